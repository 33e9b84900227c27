// A `/data` answer (the contract's VisualizationData) and the parameters, normalised into what the
// chart draws. Defensive where the contract allows gaps: a bin or point that is not finite numbers
// is dropped rather than drawn at NaN, a series value of null (an average of nothing) is a gap.

import type { VisualizationData } from "../contract.gen";
import type { Bin } from "./math";
import type { ChartData, NormalParams, Parameters, ScatterPoint, SeriesLine } from "./types";

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The unit each measure is in, for the axis label. */
export const UNITS: Record<string, string> = { latency: "ms", accuracy: "%", measuredAccuracy: "%" };

export function parseBins(value: unknown): Bin[] {
  if (!Array.isArray(value)) return [];
  const bins: Bin[] = [];
  for (const raw of value as { x0?: unknown; x1?: unknown; count?: unknown }[]) {
    const x0 = num(raw?.x0);
    const x1 = num(raw?.x1);
    const count = num(raw?.count);
    if (x0 !== null && x1 !== null && count !== null && x1 >= x0) bins.push({ x0, x1, count });
  }
  return bins.sort((a, b) => a.x0 - b.x0);
}

/** Mean and population standard deviation of binned values (bin centres): the fallback fit. */
export function fitFromBins(bins: readonly Bin[]): { mean: number; stdDev: number } {
  const n = bins.reduce((s, b) => s + b.count, 0);
  if (n === 0) return { mean: 0, stdDev: 1 };
  const mean = bins.reduce((s, b) => s + b.count * ((b.x0 + b.x1) / 2), 0) / n;
  const variance = bins.reduce((s, b) => s + b.count * ((b.x0 + b.x1) / 2 - mean) ** 2, 0) / n;
  return { mean, stdDev: Math.sqrt(variance) || 1 };
}

function seriesLines(data: Extract<VisualizationData, { type: "series" }>): SeriesLine[] {
  return data.groups.map((group) => ({
    name: group.key,
    points: data.buckets.flatMap((t, i) => {
      const value = num(group.values[i]);
      return value === null ? [] : [{ t, value }];
    }),
  }));
}

export function parseChartData(data: VisualizationData): ChartData {
  const truncated = data.truncated === true;
  switch (data.type) {
    case "normal": {
      const bins = parseBins(data.bins);
      const fit = data.fit && data.fit.stdDev > 0 ? data.fit : fitFromBins(bins);
      const exact = data.curve
        ? { ...data.curve, k: data.k, target: data.target, inside: data.inside, above: data.aboveTarget }
        : null;
      return { type: "normal", bins, n: data.count, fit, exact, unit: UNITS[data.measure], truncated };
    }
    case "histogram":
      return { type: "histogram", bins: parseBins(data.bins), n: data.count, unit: UNITS[data.measure], truncated };
    case "series":
      return { type: "series", lines: seriesLines(data), interval: data.interval, from: data.from, to: data.to, truncated };
    case "scatter": {
      const points: ScatterPoint[] = [];
      for (const p of data.points) {
        const x = num(p.x);
        const y = num(p.y);
        if (x !== null && y !== null) points.push({ x, y, label: p.invoiceId });
      }
      return { type: "scatter", points, x: data.x, y: data.y, truncated };
    }
  }
}

/** The normal chart's parameters: the user's, else the data's fitted values. */
export function normalParams(parameters: Parameters, data: ChartData | null): NormalParams {
  const fit = data?.type === "normal" ? data.fit : { mean: 0, stdDev: 1 };
  const mean = num(parameters.mean) ?? fit.mean;
  const sd = num(parameters.stdDev);
  const k = num(parameters.k);
  return {
    measure: String(parameters.measure ?? "latency"),
    mean,
    stdDev: sd !== null && sd > 0 ? sd : fit.stdDev,
    k: k !== null && k > 0 ? k : 2,
    target: num(parameters.target),
  };
}

/** The parameter keys whose change needs new data from the server (the others are drawn here). */
export function needsData(before: Parameters, after: Parameters): boolean {
  const drawn = new Set(["mean", "stdDev", "k", "target"]);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].some((key) => !drawn.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}
