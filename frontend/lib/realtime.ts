// Framework-free WebSocket client for the live metrics. It keeps one connection open, reconnects
// with capped exponential backoff and jitter, sends a heartbeat inside API Gateway's 10-minute
// idle timeout, and exposes its state as an external store (subscribe/getState) for React.

import type { MetricsSnapshot, SeriesPoint } from "./types";

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

export type ServerMessage =
  | { type: "metrics-update"; data: MetricsSnapshot }
  | { type: "pong" }
  | { type: "error"; error: string };

/** The part of the browser WebSocket this client uses, so tests can pass a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface VisibilitySource {
  isHidden(): boolean;
  /** Calls `listener` on every visibility change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RealtimeOptions extends Partial<BackoffOptions> {
  url: string;
  /** Interval of `{"action":"ping"}` while connected. Default 5 min. */
  heartbeatMs?: number;
  /** A connection with no frame this long after a ping is taken for dead. Default 10 s. */
  pongTimeoutMs?: number;
  /** A connection open this long resets the backoff. Default 30 s. */
  stableMs?: number;
  random?: () => number;
  now?: () => number;
  createSocket?: (url: string) => SocketLike;
  visibility?: VisibilitySource;
}

export const DEFAULTS = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  heartbeatMs: 5 * 60_000,
  pongTimeoutMs: 10_000,
  stableMs: 30_000,
} as const;

/**
 * Delay before reconnect attempt number `attempt` (0-based). "Equal jitter": half of the capped
 * exponential delay is fixed and half random, so tabs that lost the same server spread out
 * without ever retrying in a tight loop. Result in [ceiling / 2, ceiling).
 */
export function backoffDelay(attempt: number, { baseDelayMs, maxDelayMs }: BackoffOptions, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
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
  for (const key of ["p50Latency", "p95Latency", "errors", "windowSeconds"] as const) {
    const value = data[key];
    if (finite(value)) snapshot[key] = value;
  }
  const series = parseSeries(data.series);
  if (series) snapshot.series = series;
  return snapshot;
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
  if (!isRecord(message)) return null;
  switch (message.type) {
    case "metrics-update": {
      const data = parseMetrics(message.data);
      return data && { type: "metrics-update", data };
    }
    case "pong":
      return { type: "pong" };
    case "error":
      return { type: "error", error: typeof message.error === "string" ? message.error : "" };
    default:
      return null;
  }
}

const documentVisibility: VisibilitySource = {
  isHidden: () => typeof document !== "undefined" && document.visibilityState === "hidden",
  onChange(listener) {
    if (typeof document === "undefined") return () => {};
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
};

type Timer = ReturnType<typeof setTimeout>;

export class RealtimeClient {
  private readonly url: string;
  private readonly backoff: BackoffOptions;
  private readonly heartbeatMs: number;
  private readonly pongTimeoutMs: number;
  private readonly stableMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly createSocket: (url: string) => SocketLike;
  private readonly visibility: VisibilitySource;

  private state: RealtimeState = {
    status: "disconnected",
    metrics: null,
    updatedAt: null,
    receivedAt: null,
    retryAt: null,
    error: null,
  };
  private readonly listeners = new Set<() => void>();
  private socket: SocketLike | null = null;
  private attempt = 0;
  private running = false;
  private stopWatchingVisibility: (() => void) | null = null;
  private retryTimer: Timer | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: Timer | null = null;
  private stableTimer: Timer | null = null;

  constructor(options: RealtimeOptions) {
    this.url = options.url;
    this.backoff = {
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
    };
    this.heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
    this.pongTimeoutMs = options.pongTimeoutMs ?? DEFAULTS.pongTimeoutMs;
    this.stableMs = options.stableMs ?? DEFAULTS.stableMs;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.createSocket = options.createSocket ?? ((url) => new WebSocket(url));
    this.visibility = options.visibility ?? documentVisibility;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): RealtimeState => this.state;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopWatchingVisibility = this.visibility.onChange(this.handleVisibilityChange);
    this.connect();
  }

  stop(): void {
    this.running = false;
    this.stopWatchingVisibility?.();
    this.stopWatchingVisibility = null;
    this.clearRetry();
    const socket = this.socket;
    this.dropSocket();
    socket?.close(1000, "client stopped");
    this.setState({ status: "disconnected", retryAt: null });
  }

  /** Asks the server for a fresh snapshot; a no-op while not connected. */
  requestMetrics(): void {
    this.send({ action: "getMetrics" });
  }

  private setState(patch: Partial<RealtimeState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  private send(message: object): void {
    if (this.state.status === "connected") this.socket?.send(JSON.stringify(message));
  }

  private connect(): void {
    this.clearRetry();
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch {
      // A malformed URL will not heal by retrying.
      this.setState({ status: "error", retryAt: null, error: `Cannot open a WebSocket to "${this.url}".` });
      return;
    }
    this.socket = socket;
    this.setState({ status: "connecting", retryAt: null, error: null });

    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.setState({ status: "connected" });
      this.requestMetrics();
      this.heartbeatTimer = setInterval(this.sendHeartbeat, this.heartbeatMs);
      this.stableTimer = setTimeout(() => {
        this.attempt = 0;
      }, this.stableMs);
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.clearPongTimer();
      const message = parseServerMessage(event.data);
      if (message?.type === "metrics-update") {
        this.setState({ metrics: message.data, updatedAt: this.now(), receivedAt: performance.now() });
      }
    };
    // No onerror: the close event that always follows an error decides what happens next.
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.dropSocket();
      this.scheduleReconnect();
    };
  }

  private readonly sendHeartbeat = (): void => {
    this.send({ action: "ping" });
    if (this.pongTimer === null) this.pongTimer = setTimeout(this.handleDeadConnection, this.pongTimeoutMs);
  };

  /** No answer to a ping: the connection is half-open; do not wait for a close handshake. */
  private readonly handleDeadConnection = (): void => {
    const socket = this.socket;
    this.dropSocket();
    socket?.close(4000, "heartbeat timeout");
    this.scheduleReconnect();
  };

  private scheduleReconnect(): void {
    if (!this.running) return;
    if (this.visibility.isHidden()) {
      // Paused: handleVisibilityChange reconnects when the tab is shown again.
      this.setState({ status: "disconnected", retryAt: null });
      return;
    }
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
    this.setState({ status: "disconnected", retryAt: this.now() + delay });
  }

  private readonly handleVisibilityChange = (): void => {
    if (!this.running) return;
    if (this.visibility.isHidden()) {
      if (this.retryTimer !== null) {
        this.clearRetry();
        this.setState({ retryAt: null });
      }
    } else if (this.socket === null && this.state.status === "disconnected") {
      this.connect();
    } else {
      // The 60-second window may have moved on while the tab was hidden.
      this.requestMetrics();
    }
  };

  /** Forgets the current socket and its timers, so its late events are ignored. */
  private dropSocket(): void {
    if (this.heartbeatTimer !== null) clearInterval(this.heartbeatTimer);
    if (this.stableTimer !== null) clearTimeout(this.stableTimer);
    this.heartbeatTimer = null;
    this.stableTimer = null;
    this.clearPongTimer();
    if (this.socket) {
      this.socket.onopen = null;
      this.socket.onmessage = null;
      this.socket.onclose = null;
    }
    this.socket = null;
  }

  private clearPongTimer(): void {
    if (this.pongTimer !== null) clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }
}
