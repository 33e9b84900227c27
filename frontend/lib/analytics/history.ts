// Parameter history: what the parameters were at an earlier version, for "restore".

import type { HistoryItem, Parameters } from "./types";

/**
 * The parameters as they were right after `version`: every change recorded after it undone
 * (newest first), starting from the current parameters. A parameter whose old value was null
 * did not exist then and is left out.
 */
export function parametersAt(current: Parameters, history: readonly HistoryItem[], version: number): Parameters {
  const out: Parameters = { ...current };
  const later = history.filter((item) => item.version > version).sort((a, b) => b.version - a.version);
  for (const item of later) {
    if (item.old === null || item.old === undefined) delete out[item.parameter];
    else out[item.parameter] = item.old;
  }
  return out;
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}
