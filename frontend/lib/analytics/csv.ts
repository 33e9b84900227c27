// The chart's data as CSV (RFC 4180: comma separated, CRLF, fields with a comma, quote or line
// break quoted, quotes doubled) and as JSON, for the client-side downloads.

import type { ChartData } from "./types";

type Cell = string | number | null | undefined;

function cell(value: Cell): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  // A leading =, +, - or @ would be a formula in a spreadsheet; a quote-prefixed text is not.
  const safe = typeof value === "string" && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** The rows behind the chart: bins, series points (ISO time) or scatter points. */
export function dataTable(data: ChartData): { header: string[]; rows: Cell[][] } {
  switch (data.type) {
    case "normal":
    case "histogram":
      return { header: ["x0", "x1", "count"], rows: data.bins.map((b) => [b.x0, b.x1, b.count]) };
    case "series":
      return {
        header: ["series", "t", "value"],
        rows: data.lines.flatMap((line) => line.points.map((p) => [line.name, new Date(p.t).toISOString(), p.value])),
      };
    case "scatter":
      return { header: [data.x, data.y, "label"], rows: data.points.map((p) => [p.x, p.y, p.label]) };
  }
}

export function dataCsv(data: ChartData): string {
  const { header, rows } = dataTable(data);
  return toCsv(header, rows);
}

export function dataJson(data: ChartData): string {
  return JSON.stringify(data, null, 2);
}
