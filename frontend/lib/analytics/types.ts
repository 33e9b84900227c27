// The shapes of the visualizations API as the page uses them: the wire shapes are the contract's
// (lib/contract.gen.ts, generated from docs/contract/api.schema.json); ChartData is what the
// chart draws after lib/analytics/data.ts normalised a `/data` answer.

import type * as Contract from "../contract.gen";
import type { Bin } from "./math";

export type VisualizationType = Contract.Visualization["type"];
export const VISUALIZATION_TYPES: readonly VisualizationType[] = ["normal", "histogram", "series", "scatter"];

/** Parameters as the page edits them: the contract's per-type shapes, read key by key. */
export type Parameters = Record<string, unknown>;

/** A saved visualization; `parameters` loosened to be edited key by key. */
export type Visualization = Omit<Contract.Visualization, "parameters"> & { parameters: Parameters };

export type HistoryItem = Contract.ParameterChange;
export type Person = Contract.Person3;

/** The normal type's parameters, with the fitted values where the user set none. */
export interface NormalParams {
  measure: string;
  mean: number;
  stdDev: number;
  k: number;
  target: number | null;
}

export interface SeriesPoint {
  t: number;
  value: number;
}

export interface SeriesLine {
  name: string;
  points: SeriesPoint[];
}

export interface ScatterPoint {
  x: number;
  y: number;
  label?: string;
}

/** The shares the server computed from the values themselves, for the parameters it used. */
export interface ExactShares {
  mean: number;
  stdDev: number;
  k: number;
  target: number | null;
  inside: number | null;
  above: number | null;
}

export type ChartData =
  | { type: "normal"; bins: Bin[]; n: number; fit: { mean: number; stdDev: number }; exact: ExactShares | null; unit?: string; truncated?: boolean }
  | { type: "histogram"; bins: Bin[]; n: number; unit?: string; truncated?: boolean }
  | { type: "series"; lines: SeriesLine[]; interval: string; from: number; to: number; truncated?: boolean }
  | { type: "scatter"; points: ScatterPoint[]; x: string; y: string; truncated?: boolean };
