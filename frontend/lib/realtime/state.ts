// The client's state as the UI sees it, apart from the client itself: a page renders this before
// the client's own chunk has loaded (lib/useLiveMetrics.ts imports ./client on demand).

import type { MetricsSnapshot } from "../types";

export type ConnectionStatus = "connecting" | "connected" | "disconnected" | "error";

export interface RealtimeState {
  /**
   * connecting: a socket is opening. connected: open. disconnected: no socket, a reconnect is
   * scheduled (`retryAt`) or paused while the tab is hidden. error: the client cannot connect at
   * all (e.g. a malformed URL) and does not retry.
   */
  status: ConnectionStatus;
  metrics: MetricsSnapshot | null;
  /** Date.now() when the last metrics frame arrived. */
  updatedAt: number | null;
  /** performance.now() when the last metrics frame arrived, to measure frame-to-screen time. */
  receivedAt: number | null;
  /** Date.now() at which the next reconnect attempt is due, if one is scheduled. */
  retryAt: number | null;
  error: string | null;
}

/**
 * The state before start(), also for a UI that has no client yet. "connecting", not
 * "disconnected": a client is made to be started at once, so the UI should not flash a failure.
 */
export const INITIAL_STATE: RealtimeState = {
  status: "connecting",
  metrics: null,
  updatedAt: null,
  receivedAt: null,
  retryAt: null,
  error: null,
};
