"use client";

// The parameters of the open visualization as form controls (keyboard access to everything the
// chart's handles do). It shows the page's current parameters, so it follows a drag on the chart
// and a params-update from someone else alike.

import type { Parameters, VisualizationType } from "@/lib/analytics/types";

type Option = readonly [value: string, label: string];

interface Field {
  key: string;
  label: string;
  kind: "number" | "select" | "date" | "text";
  options?: readonly Option[];
  min?: number;
  max?: number;
  step?: number;
  /** May be empty: the server's default (mean/stdDev: the fitted value; target: none). */
  optional?: boolean;
  /** A range slider beside the number box. */
  slider?: boolean;
  hint?: string;
}

const NUMERIC: readonly Option[] = [
  ["latency", "processing latency (ms)"],
  ["total", "invoice total"],
  ["accuracy", "accuracy (%)"],
  ["measuredAccuracy", "measured accuracy (%)"],
  ["pages", "pages"],
];
const DAYS: Field = { key: "days", label: "Days", kind: "number", min: 1, max: 92, step: 1, hint: "the last N UTC days" };
const BINS: Field = { key: "bins", label: "Bins", kind: "number", min: 5, max: 100, step: 1 };

export interface NumericRanges {
  mean: [number, number];
  stdDev: [number, number];
  step: number;
}

function fields(type: VisualizationType, ranges: NumericRanges | null): Field[] {
  switch (type) {
    case "normal": {
      const r = ranges ?? { mean: [0, 100], stdDev: [0, 100], step: 1 };
      return [
        { key: "measure", label: "Measure", kind: "select", options: NUMERIC.slice(0, 3) },
        { key: "mean", label: "Mean", kind: "number", min: r.mean[0], max: r.mean[1], step: r.step, optional: true, slider: true, hint: "empty: fitted" },
        { key: "stdDev", label: "Standard deviation", kind: "number", min: r.step, max: r.stdDev[1], step: r.step, optional: true, slider: true, hint: "empty: fitted" },
        { key: "k", label: "Band k (mean ± k·σ)", kind: "number", min: 0.1, max: 10, step: 0.1, slider: true },
        { key: "target", label: "Target", kind: "number", min: r.mean[0], max: r.mean[1], step: r.step, optional: true, hint: "empty: none" },
        BINS,
        DAYS,
      ];
    }
    case "histogram":
      return [
        { key: "measure", label: "Measure", kind: "select", options: NUMERIC },
        BINS,
        DAYS,
        { key: "filters.vendor", label: "Vendor", kind: "text", optional: true },
        { key: "filters.currency", label: "Currency", kind: "text", optional: true },
        {
          key: "filters.status",
          label: "Status",
          kind: "select",
          optional: true,
          options: [
            ["", "any"],
            ["needs-review", "needs review"],
            ["approved", "approved"],
            ["rejected", "rejected"],
          ],
        },
      ];
    case "series":
      return [
        {
          key: "measure",
          label: "Measure",
          kind: "select",
          options: [
            ["count", "invoices"],
            ["spend", "spend by currency"],
            ["latency", "average latency (ms)"],
            ["measuredAccuracy", "measured accuracy (%)"],
          ],
        },
        { key: "interval", label: "Interval", kind: "select", options: [["hour", "hour"], ["day", "day"], ["week", "ISO week"]] },
        { key: "from", label: "From (UTC)", kind: "date" },
        { key: "to", label: "To (UTC, exclusive)", kind: "date" },
        { key: "split", label: "Split", kind: "select", options: [["none", "none"], ["vendor", "by vendor"]] },
        { key: "topN", label: "Top N vendors", kind: "number", min: 1, max: 20, step: 1, optional: true },
      ];
    case "scatter":
      return [
        { key: "x", label: "x", kind: "select", options: NUMERIC },
        { key: "y", label: "y", kind: "select", options: NUMERIC },
        DAYS,
      ];
  }
}

/** `params[a][b]` for the key "a.b". */
export function getParam(params: Parameters, key: string): unknown {
  const [head, tail] = key.split(".", 2) as [string, string | undefined];
  const value = params[head];
  if (tail === undefined) return value;
  return value && typeof value === "object" ? (value as Record<string, unknown>)[tail] : undefined;
}

/** The patch that sets `key` ("a.b": inside the object `a`, kept whole) to `value` (null: unset). */
export function patchFor(params: Parameters, key: string, value: unknown): Parameters {
  const [head, tail] = key.split(".", 2) as [string, string | undefined];
  if (tail === undefined) return { [head]: value };
  const inner = { ...((params[head] as Record<string, unknown> | undefined) ?? {}) };
  if (value === null || value === "") delete inner[tail];
  else inner[tail] = value;
  return { [head]: inner };
}

const isoDay = (ms: unknown) => (typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "");

interface PanelProps {
  type: VisualizationType;
  params: Parameters;
  /** Values shown where a parameter is unset (normal: the fitted mean/stdDev). */
  effective?: Parameters;
  ranges: NumericRanges | null;
  disabled: boolean;
  onChange: (patch: Parameters) => void;
}

export function ParametersPanel({ type, params, effective = {}, ranges, disabled, onChange }: PanelProps) {
  return (
    <fieldset className="flex flex-col gap-3" disabled={disabled} aria-describedby={disabled ? "params-readonly" : undefined}>
      <legend className="mb-1 text-sm font-semibold">Parameters</legend>
      {disabled && (
        <p id="params-readonly" className="text-xs text-slate-500">
          Your role can look, not change (reviewer or above).
        </p>
      )}
      {fields(type, ranges).map((field) => {
        const id = `param-${field.key.replace(".", "-")}`;
        const raw = getParam(params, field.key);
        const shown = raw ?? getParam(effective, field.key);
        const set = (value: unknown) => onChange(patchFor(params, field.key, value));
        const label = (
          <label htmlFor={id} className="text-xs font-medium text-slate-700 dark:text-slate-300">
            {field.label}
            {field.hint && <span className="font-normal text-slate-500"> ({field.hint})</span>}
          </label>
        );
        const box = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900";
        if (field.kind === "select") {
          return (
            <div key={field.key} className="flex flex-col gap-1">
              {label}
              <select id={id} data-testid={id} className={box} value={String(shown ?? "")} onChange={(e) => set(e.target.value || null)}>
                {field.options?.map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            </div>
          );
        }
        if (field.kind === "date") {
          return (
            <div key={field.key} className="flex flex-col gap-1">
              {label}
              <input
                id={id}
                data-testid={id}
                type="date"
                className={box}
                value={isoDay(shown)}
                onChange={(e) => {
                  const ms = Date.parse(`${e.target.value}T00:00:00Z`);
                  if (!Number.isNaN(ms)) set(ms);
                }}
              />
            </div>
          );
        }
        if (field.kind === "text") {
          return (
            <div key={field.key} className="flex flex-col gap-1">
              {label}
              <input id={id} data-testid={id} type="text" className={box} value={String(shown ?? "")} onChange={(e) => set(e.target.value || null)} />
            </div>
          );
        }
        // A value the user set in full; a default (the fitted mean, stdDev) to 4 significant digits.
        const digits = raw === undefined || raw === null ? 4 : 10;
        const value = typeof shown === "number" && Number.isFinite(shown) ? Number(shown.toPrecision(digits)) : "";
        return (
          <div key={field.key} className="flex flex-col gap-1">
            {label}
            <div className="flex items-center gap-2">
              <input
                id={id}
                data-testid={id}
                type="number"
                className={`${box} w-28 tabular-nums`}
                value={value}
                min={field.min}
                max={field.max}
                step={field.step}
                onChange={(e) => {
                  if (e.target.value === "") {
                    if (field.optional) set(null);
                    return;
                  }
                  const n = e.target.valueAsNumber;
                  if (Number.isFinite(n)) set(n);
                }}
              />
              {field.slider && typeof value === "number" && (
                <input
                  type="range"
                  aria-label={`${field.label} (slider)`}
                  className="min-w-0 flex-1"
                  value={value}
                  min={Math.min(field.min ?? value, value)}
                  max={Math.max(field.max ?? value, value)}
                  step={field.step}
                  onChange={(e) => set(e.target.valueAsNumber)}
                />
              )}
            </div>
          </div>
        );
      })}
    </fieldset>
  );
}
