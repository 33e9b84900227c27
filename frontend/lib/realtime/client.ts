// Framework-free WebSocket client for the live metrics. It keeps one connection open, reconnects
// with capped exponential backoff and jitter, sends a heartbeat inside API Gateway's 10-minute
// idle timeout, and exposes its state as an external store (subscribe/getState) for React.
//
// With a token provider (signed-in pages) every attempt first asks it for the id token and puts
// it on the URL as `?token=` (browsers cannot set headers on a WebSocket). The provider is
// synchronous: it hands out the session's in-memory token, which the session refreshes a minute
// before it expires; a reconnect with a token gone stale meanwhile (a laptop waking up) is
// refused by the server and retried with the backoff, by when the refresh has come. The server closes a
// connection once its token expires, so shortly before that the client renews the connection:
// it opens a second socket with the fresh token and closes the old one only once the new one is
// open. Make-before-break rather than reconnect-after-refresh: the status never leaves
// "connected" and no broadcast falls into a gap between two sockets; the price is a few seconds
// with two connections, which the server handles like any two tabs.

import { Backoff, type BackoffOptions } from "./backoff";
import { browserSocket, documentVisibility, type SocketFactory, type SocketLike, type VisibilitySource } from "./dom";
import { type ClientMessage, encodeClientMessage, parseServerMessage, type ServerMessage, type TopicMessage } from "./protocol";
import { type ConnectionStatus, INITIAL_STATE, type RealtimeState } from "./state";

export { type ConnectionStatus, INITIAL_STATE, type RealtimeState } from "./state";

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
  /**
   * Asked before every attempt (first, retry, renewal) for the token to put on the URL as
   * `?token=`, and when it expires (ms since the epoch); null = no session, the attempt fails and
   * is retried with the backoff.
   */
  getToken?: () => SocketToken | null;
  /** A connection is renewed this long before its token's `exp`. Default 30 s. */
  renewLeadMs?: number;
}

export interface SocketToken {
  token: string;
  expiresAt: number | null;
}

export const DEFAULTS = {
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  heartbeatMs: 5 * 60_000,
  pongTimeoutMs: 10_000,
  stableMs: 30_000,
  renewLeadMs: 30_000,
} as const;

/** `url` with `?token=` (or `&token=`) added. */
export function withToken(url: string, token: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}token=${encodeURIComponent(token)}`;
}

/**
 * Where the connection is: exactly one of these at a time, each holding only what it needs.
 * idle: not started, or stopped. connecting, open: a socket. waiting: the retry timer runs.
 * paused: no socket while the tab is hidden; showing it reconnects. failed: unusable URL, no retry.
 */
type Phase =
  | { name: "idle" }
  | { name: "connecting"; socket: SocketLike }
  | { name: "open"; socket: SocketLike }
  | { name: "waiting" }
  | { name: "paused" }
  | { name: "failed" };

const STATUS: Record<Phase["name"], ConnectionStatus> = {
  idle: "disconnected",
  connecting: "connecting",
  open: "connected",
  waiting: "disconnected",
  paused: "disconnected",
  failed: "error",
};

// retry: the next attempt (waiting). The others live and die with an open socket.
type TimerName = "retry" | "heartbeat" | "pong" | "stable" | "renew";

/** Every timer of the client, by name, so that leaving a socket or stopping clears them all. */
class Timers {
  private readonly cancels = new Map<TimerName, () => void>();

  /** Replaces a pending timer of the same name; forgets itself once it has fired. */
  once(name: TimerName, ms: number, callback: () => void): void {
    this.clear(name);
    const id = setTimeout(() => {
      this.cancels.delete(name);
      callback();
    }, ms);
    this.cancels.set(name, () => clearTimeout(id));
  }

  every(name: TimerName, ms: number, callback: () => void): void {
    this.clear(name);
    const id = setInterval(callback, ms);
    this.cancels.set(name, () => clearInterval(id));
  }

  has(name: TimerName): boolean {
    return this.cancels.has(name);
  }

  clear(...names: TimerName[]): void {
    for (const name of names) {
      this.cancels.get(name)?.();
      this.cancels.delete(name);
    }
  }

  clearAll(): void {
    this.clear(...this.cancels.keys());
  }
}

export class RealtimeClient {
  private readonly url: string;
  private readonly backoff: Backoff;
  private readonly heartbeatMs: number;
  private readonly pongTimeoutMs: number;
  private readonly stableMs: number;
  private readonly now: () => number;
  private readonly createSocket: SocketFactory;
  private readonly visibility: VisibilitySource;
  private readonly getToken: (() => SocketToken | null) | undefined;
  private readonly renewLeadMs: number;

  private state = INITIAL_STATE;
  private phase: Phase = { name: "idle" };
  private readonly timers = new Timers();
  private readonly listeners = new Set<() => void>();
  private stopWatchingVisibility: (() => void) | null = null;
  /** The token of the open socket. */
  private token: SocketToken | null = null;
  /** The renewal socket, opening while the current one still serves. */
  private next: SocketLike | null = null;
  /** Topics joined, with their listeners (a joiner without one holds an empty slot); subscribed again on every new socket. */
  private readonly topics = new Map<string, Set<(message: TopicMessage) => void>>();
  private readonly messageListeners = new Set<(message: ServerMessage) => void>();
  /** The field this person edits, per joined topic: told again on every new socket. */
  private readonly focused = new Map<string, string>();

  constructor(options: RealtimeOptions) {
    this.url = options.url;
    this.backoff = new Backoff(
      { baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs, maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs },
      options.random,
    );
    this.heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
    this.pongTimeoutMs = options.pongTimeoutMs ?? DEFAULTS.pongTimeoutMs;
    this.stableMs = options.stableMs ?? DEFAULTS.stableMs;
    this.now = options.now ?? Date.now;
    this.createSocket = options.createSocket ?? browserSocket;
    this.visibility = options.visibility ?? documentVisibility;
    this.getToken = options.getToken;
    this.renewLeadMs = options.renewLeadMs ?? DEFAULTS.renewLeadMs;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): RealtimeState => this.state;

  start(): void {
    if (this.phase.name !== "idle") return;
    this.stopWatchingVisibility = this.visibility.onChange(this.handleVisibilityChange);
    this.connect();
  }

  stop(): void {
    this.stopWatchingVisibility?.();
    this.stopWatchingVisibility = null;
    this.dropSocket()?.close(1000, "client stopped");
    this.dropNext();
    this.timers.clearAll();
    this.enter({ name: "idle" });
  }

  /** Every parsed server message (metrics, presence, invoice-updated, errors) goes to `listener`. */
  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  /**
   * Subscribes to `topic` until the returned function is called; kept across reconnects and
   * renewals (a new socket subscribes again). Several joiners of one topic share one subscription.
   */
  joinTopic(topic: string): () => void {
    // Each joiner is its own listener, so the topic stays subscribed until the last one leaves.
    return this.watchTopic(topic, () => {});
  }

  /**
   * Tells a topic's viewers which field this person edits (null: none). Sent only when it
   * changes (a form calls this on every keystroke; the server limits presence actions), and
   * again after a reconnect; while not connected it is only remembered.
   */
  focus(topic: string, field: string | null): void {
    if (!this.topics.has(topic) || (this.focused.get(topic) ?? null) === field) return;
    if (field === null) this.focused.delete(topic);
    else this.focused.set(topic, field);
    this.send({ action: "focus", topic, field });
  }

  /** Asks the server for a fresh snapshot; a no-op while not connected. */
  requestMetrics(): void {
    this.send({ action: "getMetrics" });
  }

  /**
   * Subscribes to `topic` (now if connected, else once connected, and again after every
   * reconnect) and hands its messages to `listener`; the returned function stops listening and
   * unsubscribes when no listener is left.
   */
  watchTopic(topic: string, listener: (message: TopicMessage) => void): () => void {
    let listeners = this.topics.get(topic);
    if (!listeners) {
      listeners = new Set();
      this.topics.set(topic, listeners);
      this.send({ action: "subscribe", topic });
    }
    listeners.add(listener);
    return () => {
      const current = this.topics.get(topic);
      if (!current?.delete(listener) || current.size > 0) return;
      this.topics.delete(topic);
      this.focused.delete(topic);
      this.send({ action: "unsubscribe", topic });
    };
  }

  /** Sends a client action (e.g. a cursor); false (dropped) while not connected. */
  sendAction(message: ClientMessage): boolean {
    if (this.phase.name !== "open") return false;
    this.send(message);
    return true;
  }

  private setState(patch: Partial<RealtimeState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }

  /** The only way the phase changes; the status follows from it, and retryAt unless given. */
  private enter(phase: Phase, patch: Partial<RealtimeState> = {}): void {
    this.phase = phase;
    this.setState({ status: STATUS[phase.name], retryAt: null, ...patch });
  }

  private send(message: ClientMessage): void {
    if (this.phase.name === "open") this.phase.socket.send(encodeClientMessage(message));
  }

  /** True while `socket` is the current one: events of a dropped socket are ignored. */
  private owns(socket: SocketLike): boolean {
    return "socket" in this.phase && this.phase.socket === socket;
  }

  // Every attempt, first or retry, starts here.
  private connect(): void {
    this.timers.clear("retry");
    const token = this.getToken?.() ?? null;
    if (token || !this.getToken) {
      this.open(token);
    } else {
      // No session (yet): an attempt that failed at once.
      this.phase = { name: "waiting" };
      this.scheduleReconnect();
    }
  }

  /** Opens a socket: the current one's successor, or (`renewal`) a second one beside it. */
  private open(token: SocketToken | null, renewal = false): void {
    let socket: SocketLike;
    try {
      socket = this.createSocket(token ? withToken(this.url, token.token) : this.url);
    } catch {
      // A malformed URL will not heal by retrying. (this.url: the message never shows a token.)
      if (!renewal) this.enter({ name: "failed" }, { error: `Cannot open a WebSocket to "${this.url}".` });
      return;
    }
    if (renewal) {
      this.dropNext();
      this.next = socket;
    } else {
      this.enter({ name: "connecting", socket }, { error: null });
    }
    socket.onopen = () => {
      if (this.next === socket) {
        // The renewal is open: it takes over, then the old socket goes.
        this.next = null;
        this.dropSocket()?.close(1000, "token renewed");
        this.opened(socket, token);
      } else if (this.owns(socket)) {
        this.opened(socket, token);
      }
    };
    // No onerror: the close event that always follows an error decides what happens next.
    socket.onclose = () => {
      if (this.next === socket) this.next = null; // the renewal failed; the current socket serves on
      else if (this.owns(socket)) this.lost();
    };
  }

  /** `socket` is open and becomes the current one. */
  private opened(socket: SocketLike, token: SocketToken | null): void {
    this.enter({ name: "open", socket });
    this.token = token;
    socket.onmessage = (event) => {
      if (!this.owns(socket)) return;
      // Any frame proves the connection alive, not only a pong.
      this.timers.clear("pong");
      const message = parseServerMessage(event.data);
      if (message?.type === "metrics-update") {
        this.setState({ metrics: message.data, updatedAt: this.now(), receivedAt: performance.now() });
      } else if (message && "topic" in message) {
        for (const listener of this.topics.get(message.topic) ?? []) listener(message);
      }
      if (message) for (const listener of this.messageListeners) listener(message);
    };
    this.requestMetrics();
    // A new connection is a new member: the server forgot the old socket's subscriptions.
    for (const topic of this.topics.keys()) {
      this.send({ action: "subscribe", topic });
      const field = this.focused.get(topic);
      if (field) this.send({ action: "focus", topic, field });
    }
    this.timers.every("heartbeat", this.heartbeatMs, this.sendHeartbeat);
    this.timers.once("stable", this.stableMs, () => this.backoff.reset());
    // (An id token lives an hour, a day at most: well inside setTimeout's 24.8-day range.)
    if (token?.expiresAt) this.timers.once("renew", token.expiresAt - this.renewLeadMs - this.now(), this.renew);
  }

  /**
   * Opens a second socket with the fresh token. No fresh token (no refresh yet, or signed out):
   * nothing; when the server closes the connection the usual reconnect asks again.
   */
  private readonly renew = (): void => {
    const token = this.getToken?.();
    if (token && token.token !== this.token?.token) this.open(token, true);
  };

  /** The current socket is gone: a renewal socket still opening takes its place, else retry. */
  private lost(): void {
    this.dropSocket();
    const { next } = this;
    this.next = null;
    if (next) this.enter({ name: "connecting", socket: next });
    else this.scheduleReconnect();
  }

  private dropNext(): void {
    const { next } = this;
    if (!next) return;
    this.next = null;
    next.onopen = next.onclose = null;
    next.close(1000, "client stopped");
  }

  private readonly sendHeartbeat = (): void => {
    this.send({ action: "ping" });
    if (!this.timers.has("pong")) this.timers.once("pong", this.pongTimeoutMs, this.handleDeadConnection);
  };

  /** No answer to a ping: the connection is half-open; do not wait for a close handshake. */
  private readonly handleDeadConnection = (): void => {
    this.dropSocket()?.close(4000, "heartbeat timeout");
    this.lost();
  };

  /** Called with no socket left: retry after the backoff delay, or pause while hidden. */
  private scheduleReconnect(): void {
    if (this.phase.name === "idle") return;
    if (this.visibility.isHidden()) {
      // Paused: handleVisibilityChange reconnects when the tab is shown again.
      this.enter({ name: "paused" });
      return;
    }
    const delay = this.backoff.next();
    this.timers.once("retry", delay, () => this.connect());
    this.enter({ name: "waiting" }, { retryAt: this.now() + delay });
  }

  private readonly handleVisibilityChange = (): void => {
    const { name } = this.phase;
    if (name === "idle") return;
    if (this.visibility.isHidden()) {
      if (name === "waiting") {
        this.timers.clear("retry");
        this.enter({ name: "paused" });
      }
    } else if (name === "waiting" || name === "paused") {
      this.connect();
    } else {
      // The 60-second window may have moved on while the tab was hidden.
      this.requestMetrics();
    }
  };

  /**
   * Detaches the current socket and clears its timers, so its late events are ignored; returns
   * it to be closed. The caller enters the next phase at once.
   */
  private dropSocket(): SocketLike | null {
    this.timers.clear("heartbeat", "pong", "stable", "renew");
    this.token = null;
    if (!("socket" in this.phase)) return null;
    const { socket } = this.phase;
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    return socket;
  }
}
