// The WebSocket protocol of the live metrics: what the server sends, what the client may send,
// and the validation of incoming frames. Nothing here knows about sockets or timers.

import type { InvoiceUpdate, Viewer } from "../contract.gen";
import type { MetricsSnapshot, SeriesPoint } from "../types";

/** Server → client. A new type is one member here plus one entry in VALIDATORS. */
export type ServerMessage =
  | { type: "metrics-update"; data: MetricsSnapshot }
  | { type: "pong" }
  | { type: "error"; error: string }
  | { type: "invoice-updated"; data: InvoiceUpdate }
  | TopicMessage;

/** Someone looking at a topic (`invoice:<id>`, `visualization:<id>`), once per person (the contract's Viewer). */
export type TopicViewer = Viewer;

/** Messages that belong to one topic; the client hands them to that topic's listeners. */
export type TopicMessage =
  | { type: "presence"; topic: string; viewers: Viewer[] }
  | {
      type: "params-update";
      topic: string;
      data: { visualizationId: string; parameters: Record<string, unknown>; version: number; by: unknown };
    }
  | {
      type: "cursor";
      topic: string;
      data: { topic: string; x: number; y: number; by: { sub: string | null; name: string; initials: string }; connectionId: string };
    }
  | {
      /** This connection was taken out of the topic: the visualization was unshared or deleted. */
      type: "visualization-removed";
      topic: string;
      data: { visualizationId: string; reason: "unshared" | "deleted" };
    };

/** Client → server. A new action is one member here. */
export type ClientMessage =
  | { action: "getMetrics" }
  | { action: "ping" }
  | { action: "subscribe" | "unsubscribe"; topic: string }
  | { action: "focus"; topic: string; field: string | null }
  | { action: "cursor"; topic: string; x: number; y: number };

export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finite(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function parseSeries(value: unknown): SeriesPoint[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((p): p is Record<string, unknown> => isRecord(p) && finite(p.t) && finite(p.count))
    .map((p) => ({
      t: p.t as number,
      count: p.count as number,
      avgLatency: finite(p.avgLatency) ? p.avgLatency : 0,
      avgAccuracy: finite(p.avgAccuracy) ? p.avgAccuracy : 0,
      errors: finite(p.errors) ? p.errors : 0,
    }));
}

function parseMetrics(data: unknown): MetricsSnapshot | null {
  if (!isRecord(data)) return null;
  const { total, throughput, avgLatency, avgAccuracy, timestamp } = data;
  if (!finite(total) || !finite(throughput) || !finite(avgLatency) || !finite(avgAccuracy) || !finite(timestamp)) {
    return null;
  }
  const snapshot: MetricsSnapshot = { total, throughput, avgLatency, avgAccuracy, timestamp };
  // intervalMs: how far apart broadcasts are now (the widget's freshness).
  const optional = ["p50Latency", "p95Latency", "errors", "windowSeconds", "reviewed", "needsReview", "intervalMs"] as const;
  for (const key of optional) {
    const value = data[key];
    if (finite(value)) snapshot[key] = value;
  }
  // null: nothing was approved in the last 24 h (shown as "—"), unlike a missing key (an older server).
  if (finite(data.reviewedAccuracy) || data.reviewedAccuracy === null) snapshot.reviewedAccuracy = data.reviewedAccuracy;
  const series = parseSeries(data.series);
  if (series) snapshot.series = series;
  return snapshot;
}

function parseViewers(value: unknown): Viewer[] | null {
  if (!Array.isArray(value)) return null;
  return value
    .filter((v): v is Record<string, unknown> => isRecord(v) && typeof v.sub === "string" && typeof v.name === "string")
    .map((v) => ({
      sub: v.sub as string,
      name: v.name as string,
      initials: typeof v.initials === "string" ? v.initials : "",
      editing: typeof v.editing === "string" ? v.editing : null,
    }));
}

function parseUpdate(data: unknown): InvoiceUpdate | null {
  if (!isRecord(data) || typeof data.invoiceId !== "string" || !finite(data.version)) return null;
  const status = data.status;
  if (status !== "needs-review" && status !== "approved" && status !== "rejected") return null;
  const changes = Array.isArray(data.changes)
    ? data.changes.filter((c): c is InvoiceUpdate["changes"][number] => isRecord(c) && typeof c.field === "string")
    : [];
  const by = isRecord(data.by) && typeof data.by.sub === "string" && typeof data.by.email === "string" ? data.by : null;
  return { invoiceId: data.invoiceId, version: data.version, changes, status, by: by as InvoiceUpdate["by"] };
}

type Validators = {
  [T in ServerMessage["type"]]: (frame: Record<string, unknown>) => Extract<ServerMessage, { type: T }> | null;
};

// Typed as a complete map, so a type added to ServerMessage without a validator fails to compile.
const VALIDATORS: Validators = {
  "metrics-update": (frame) => {
    const data = parseMetrics(frame.data);
    return data && { type: "metrics-update", data };
  },
  pong: () => ({ type: "pong" }),
  error: (frame) => ({ type: "error", error: typeof frame.error === "string" ? frame.error : "" }),
  presence: (frame) => {
    const viewers = parseViewers(frame.viewers);
    return viewers && typeof frame.topic === "string" ? { type: "presence", topic: frame.topic, viewers } : null;
  },
  "invoice-updated": (frame) => {
    const data = parseUpdate(frame.data);
    return data && { type: "invoice-updated", data };
  },
  "params-update": (frame) => {
    const data = frame.data;
    if (!isRecord(data) || typeof data.visualizationId !== "string" || !isRecord(data.parameters)) return null;
    if (!finite(data.version)) return null;
    const { visualizationId, parameters, version, by } = data;
    return { type: "params-update", topic: `visualization:${visualizationId}`, data: { visualizationId, parameters, version, by } };
  },
  cursor: (frame) => {
    const data = frame.data;
    if (!isRecord(data) || typeof data.topic !== "string" || !finite(data.x) || !finite(data.y)) return null;
    const by = isRecord(data.by) ? data.by : {};
    const name = typeof by.name === "string" ? by.name : "";
    return {
      type: "cursor",
      topic: data.topic,
      data: {
        topic: data.topic,
        x: data.x,
        y: data.y,
        by: {
          sub: typeof by.sub === "string" ? by.sub : null,
          name,
          initials: typeof by.initials === "string" ? by.initials : name.slice(0, 1).toUpperCase() || "?",
        },
        connectionId: typeof data.connectionId === "string" ? data.connectionId : "",
      },
    };
  },
  "visualization-removed": (frame) => {
    const data = frame.data;
    if (!isRecord(data) || typeof data.visualizationId !== "string") return null;
    if (data.reason !== "unshared" && data.reason !== "deleted") return null;
    const { visualizationId, reason } = data;
    return { type: "visualization-removed", topic: `visualization:${visualizationId}`, data: { visualizationId, reason } };
  },
};

function isKnownType(type: unknown): type is ServerMessage["type"] {
  // hasOwn, not `in`: a frame typed "toString" must not reach Object.prototype.
  return typeof type === "string" && Object.hasOwn(VALIDATORS, type);
}

/** Parses one server frame; null for anything malformed or unknown. */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (typeof raw !== "string") return null;
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(message) || !isKnownType(message.type)) return null;
  return VALIDATORS[message.type](message);
}
