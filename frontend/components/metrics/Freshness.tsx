import { formatAge } from "@/lib/format";
import type { RealtimeState } from "@/lib/realtime";
import type { MetricsSnapshot } from "@/lib/types";

/** Broadcasts are 1 s apart unless the server says otherwise (`intervalMs`, large audiences). */
export const DEFAULT_INTERVAL_MS = 1000;
/**
 * The server broadcasts on change, not on a clock: a quiet minute sends nothing, and a connected
 * widget has every change. But its figures are over the last 60 s (and a 15-minute sparkline), so
 * after a quiet minute they have moved on by themselves: the widget then asks for a snapshot.
 */
export const REFRESH_AFTER_MS = 60_000;
/** A refresh (or a broadcast) not answered this long after it was due: the data is stale. */
export const STALE_GRACE_MS = 10_000;
/**
 * A server timestamp this far from the frame's arrival says more about the two clocks than about
 * the data: the arrival time is used instead.
 */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type FreshnessKind = "none" | "fresh" | "stale" | "reconnecting";

export interface Freshness {
  kind: FreshnessKind;
  /** How old the data is (ms), from when the server computed it; null without data. */
  ageMs: number | null;
  /** What the widget expects between updates now (ms). */
  intervalMs: number;
}

/** Anything in the last 15 minutes: the figures that time alone changes are not all zero. */
export function hasActivity(metrics: MetricsSnapshot | null): boolean {
  return (
    !!metrics &&
    (metrics.total > 0 || !!metrics.series?.some((p) => p.count > 0))
  );
}

/** Data older than this should be refreshed (a broadcast would have come sooner under load). */
export function refreshAfterMs(intervalMs: number): number {
  return Math.max(intervalMs, REFRESH_AFTER_MS);
}

/** True when the widget should ask for a fresh snapshot: connected, old data that time changes. */
export function needsRefresh(state: RealtimeState, value: Freshness): boolean {
  return (
    state.status === "connected" &&
    value.ageMs !== null &&
    value.ageMs > refreshAfterMs(value.intervalMs) &&
    hasActivity(state.metrics)
  );
}

/**
 * How fresh the widget's numbers are. The snapshot's `timestamp` is when the server computed it
 * (a shard of a large broadcast may arrive seconds later); never younger than its arrival.
 * Without a socket the numbers are not shown as fresh, however young: "reconnecting".
 */
export function freshness(state: RealtimeState, now: number): Freshness {
  const metrics = state.metrics;
  const reported = metrics?.intervalMs;
  const intervalMs =
    typeof reported === "number" && reported > 0
      ? reported
      : DEFAULT_INTERVAL_MS;
  if (!metrics || state.updatedAt === null) {
    return {
      kind:
        state.status === "connected" || state.status === "connecting"
          ? "none"
          : "reconnecting",
      ageMs: null,
      intervalMs,
    };
  }
  let ageMs = Math.max(0, now - state.updatedAt);
  const computedAt = metrics.timestamp;
  if (
    typeof computedAt === "number" &&
    Math.abs(state.updatedAt - computedAt) <= MAX_CLOCK_SKEW_MS
  ) {
    ageMs = Math.max(ageMs, now - computedAt);
  }
  if (state.status !== "connected")
    return { kind: "reconnecting", ageMs, intervalMs };
  // Quiet is not stale: with no activity nothing changes until a broadcast says so.
  const overdue = ageMs > refreshAfterMs(intervalMs) + STALE_GRACE_MS;
  return {
    kind: overdue && hasActivity(metrics) ? "stale" : "fresh",
    ageMs,
    intervalMs,
  };
}

function text({ kind, ageMs }: Freshness): string {
  const age = ageMs === null ? null : formatAge(ageMs / 1000);
  switch (kind) {
    case "none":
      return "No update yet";
    case "fresh":
      return `Updated ${age}`;
    case "stale":
      return `Stale · updated ${age}`;
    case "reconnecting":
      return age === null
        ? "Reconnecting…"
        : `Reconnecting… · data from ${age}`;
  }
}

/** "Updated 3 s ago", "Stale · updated 40 s ago" or "Reconnecting…", with the kind as data-freshness. */
export function FreshnessLine({ value }: { value: Freshness }) {
  const warn = value.kind === "stale" || value.kind === "reconnecting";
  return (
    <p
      data-testid="metrics-updated"
      data-freshness={value.kind}
      title={`Updates are expected every ${Math.round(value.intervalMs / 1000)} s`}
      className={`text-xs ${warn ? "font-medium text-amber-800 dark:text-amber-300" : "text-slate-600 dark:text-slate-400"}`}
    >
      {text(value)}
    </p>
  );
}
