import { formatAge } from "@/lib/format";
import type { RealtimeState } from "@/lib/realtime";

/** Broadcasts are 1 s apart unless the server says otherwise (`intervalMs`, large audiences). */
export const DEFAULT_INTERVAL_MS = 1000;
/** Delivery and rendering take a moment: data is stale past the interval plus this. */
export const STALE_GRACE_MS = 1000;
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
  return {
    kind: ageMs > intervalMs + STALE_GRACE_MS ? "stale" : "fresh",
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
