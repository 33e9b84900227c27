// The browser behind the realtime client, behind small interfaces so the client runs (and is
// tested) without a DOM. Only this module touches `document` and `WebSocket`.

/** The part of the browser WebSocket the client uses, so tests can pass a fake. */
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Opens a socket; throws (as `new WebSocket` does) for a URL that can never work. */
export type SocketFactory = (url: string) => SocketLike;

export interface VisibilitySource {
  isHidden(): boolean;
  /** Calls `listener` on every visibility change; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

// Looked up at call time, so tests that stub the global WebSocket reach it.
export const browserSocket: SocketFactory = (url) => new WebSocket(url);

// Without a document (server rendering) the page counts as visible and never changes.
export const documentVisibility: VisibilitySource = {
  isHidden: () => typeof document !== "undefined" && document.visibilityState === "hidden",
  onChange(listener) {
    if (typeof document === "undefined") return () => {};
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
};
