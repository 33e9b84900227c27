// Framework-free WebSocket client for the live metrics. It keeps one connection open, reconnects
// with capped exponential backoff and jitter, sends a heartbeat inside API Gateway's 10-minute
// idle timeout, and exposes its state as an external store (subscribe/getState) for React.

import type { MetricsSnapshot } from "../types";
import { type BackoffOptions, backoffDelay } from "./backoff";
import { browserSocket, documentVisibility, type SocketFactory, type SocketLike, type VisibilitySource } from "./dom";
import { type ClientMessage, encodeClientMessage, parseServerMessage } from "./protocol";

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
  createSocket?: SocketFactory;
  visibility?: VisibilitySource;
}

export const DEFAULTS = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  heartbeatMs: 5 * 60_000,
  pongTimeoutMs: 10_000,
  stableMs: 30_000,
} as const;

type Timer = ReturnType<typeof setTimeout>;

export class RealtimeClient {
  private readonly url: string;
  private readonly backoff: BackoffOptions;
  private readonly heartbeatMs: number;
  private readonly pongTimeoutMs: number;
  private readonly stableMs: number;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly createSocket: SocketFactory;
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
    this.createSocket = options.createSocket ?? browserSocket;
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

  private send(message: ClientMessage): void {
    if (this.state.status === "connected") this.socket?.send(encodeClientMessage(message));
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
