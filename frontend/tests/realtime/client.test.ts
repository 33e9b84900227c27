// @vitest-environment node
// No DOM: the realtime modules must run without document or WebSocket.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { INITIAL_STATE, RealtimeClient, type RealtimeOptions } from "@/lib/realtime/client";
import { FakeSocket, FakeVisibility, metricsFrame } from "../fakes";

const URL = "ws://127.0.0.1:8000/ws";

let visibility: FakeVisibility;

function makeClient(options: Partial<RealtimeOptions> = {}): RealtimeClient {
  const client = new RealtimeClient({
    url: URL,
    createSocket: (url) => new FakeSocket(url),
    visibility,
    random: () => 0.5,
    ...options,
  });
  client.start();
  return client;
}

/** Fails every attempt and returns the delays between successive attempts. */
function failAttempts(count: number): number[] {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const before = FakeSocket.instances.length;
    const started = Date.now();
    FakeSocket.latest().drop();
    vi.advanceTimersToNextTimer();
    expect(FakeSocket.instances.length).toBe(before + 1);
    delays.push(Date.now() - started);
  }
  return delays;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
  visibility = new FakeVisibility();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("RealtimeClient", () => {
  it("runs here without a DOM, on the injected socket and visibility alone", () => {
    expect(typeof document).toBe("undefined");
    makeClient().stop();
  });

  it("connects, asks for metrics on open and stores the snapshot", () => {
    const client = makeClient();
    const socket = FakeSocket.latest();
    expect(socket.url).toBe(URL);
    expect(client.getState().status).toBe("connecting");

    socket.open();
    expect(client.getState().status).toBe("connected");
    expect(socket.sent).toEqual([{ action: "getMetrics" }]);

    socket.receive(metricsFrame({ total: 7 }));
    expect(client.getState().metrics?.total).toBe(7);
    expect(client.getState().updatedAt).toBe(Date.now());
  });

  it("notifies subscribers on every change", () => {
    const client = makeClient();
    const listener = vi.fn();
    const unsubscribe = client.subscribe(listener);
    FakeSocket.latest().open();
    FakeSocket.latest().receive(metricsFrame());
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    FakeSocket.latest().receive(metricsFrame());
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it("ignores malformed frames and keeps the last good snapshot", () => {
    const client = makeClient();
    const socket = FakeSocket.latest();
    socket.open();
    socket.receive(metricsFrame({ total: 4 }));
    const before = client.getState();

    for (const frame of ["garbage", "null", '{"type":"metrics-update","data":[]}', new Blob(["x"])]) {
      socket.receive(frame);
    }
    expect(client.getState()).toBe(before);
    expect(client.getState().status).toBe("connected");
  });

  it("reconnects after a close with the exponential backoff sequence, capped", () => {
    const client = makeClient({ random: () => 1 - Number.EPSILON });
    FakeSocket.latest().open();
    const delays = failAttempts(7);
    expect(delays.map((d) => Math.round(d / 1000))).toEqual([1, 2, 4, 8, 16, 30, 30]);
    expect(client.getState().status).toBe("connecting");
  });

  it("shows disconnected with the time of the next attempt", () => {
    const client = makeClient({ random: () => 0 });
    FakeSocket.latest().open();
    FakeSocket.latest().drop();
    expect(client.getState()).toMatchObject({ status: "disconnected", retryAt: Date.now() + 500 });
    vi.advanceTimersByTime(499);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it("resets the backoff after a stable connection, not after a brief one", () => {
    makeClient({ random: () => 0, stableMs: 30_000 });
    expect(failAttempts(3)).toEqual([500, 1000, 2000]);

    // Open briefly: the backoff keeps growing.
    FakeSocket.latest().open();
    vi.advanceTimersByTime(29_000);
    expect(failAttempts(1)).toEqual([4000]);

    // Open long enough: the next retry starts from the base delay again.
    FakeSocket.latest().open();
    vi.advanceTimersByTime(30_000);
    expect(failAttempts(2)).toEqual([500, 1000]);
  });

  it("sends a heartbeat ping at the configured interval", () => {
    makeClient({ heartbeatMs: 60_000 });
    const socket = FakeSocket.latest();
    socket.open();
    vi.advanceTimersByTime(59_999);
    expect(socket.sent).toEqual([{ action: "getMetrics" }]);
    vi.advanceTimersByTime(1);
    expect(socket.sent.at(-1)).toEqual({ action: "ping" });
    socket.receive('{"type":"pong"}');
    vi.advanceTimersByTime(60_000);
    expect(socket.sent.filter((m) => (m as { action: string }).action === "ping")).toHaveLength(2);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it("defaults the heartbeat well inside API Gateway's 10-minute idle timeout", () => {
    makeClient();
    const socket = FakeSocket.latest();
    socket.open();
    vi.advanceTimersByTime(5 * 60_000);
    expect(socket.sent.at(-1)).toEqual({ action: "ping" });
  });

  it("drops a connection that does not answer the ping and reconnects", () => {
    const client = makeClient({ heartbeatMs: 60_000, pongTimeoutMs: 10_000, random: () => 0 });
    const socket = FakeSocket.latest();
    socket.open();
    vi.advanceTimersByTime(60_000 + 10_000);
    expect(socket.closedWith?.code).toBe(4000);
    expect(client.getState().status).toBe("disconnected");
    vi.advanceTimersByTime(500);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it("pauses reconnect attempts while the tab is hidden and resumes when shown", () => {
    const client = makeClient();
    FakeSocket.latest().open();

    visibility.set(true);
    FakeSocket.latest().drop();
    expect(client.getState()).toMatchObject({ status: "disconnected", retryAt: null });
    vi.advanceTimersByTime(10 * 60_000);
    expect(FakeSocket.instances).toHaveLength(1);

    visibility.set(false);
    expect(FakeSocket.instances).toHaveLength(2);
    expect(client.getState().status).toBe("connecting");
  });

  it("cancels a scheduled retry when the tab is hidden", () => {
    const client = makeClient();
    FakeSocket.latest().drop();
    visibility.set(true);
    expect(client.getState().retryAt).toBeNull();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    visibility.set(false);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it("refreshes the metrics when a connected tab is shown again", () => {
    makeClient();
    const socket = FakeSocket.latest();
    socket.open();
    visibility.set(true);
    visibility.set(false);
    expect(socket.sent).toEqual([{ action: "getMetrics" }, { action: "getMetrics" }]);
  });

  it("reports an error and does not retry when the URL is unusable", () => {
    const client = makeClient({
      createSocket: () => {
        throw new SyntaxError("bad url");
      },
    });
    expect(client.getState().status).toBe("error");
    expect(client.getState().error).toContain(URL);
    vi.advanceTimersByTime(60_000);
    expect(client.getState().status).toBe("error");
  });

  it("stops cleanly: closes the socket, clears timers and ignores late events", () => {
    const client = makeClient();
    const socket = FakeSocket.latest();
    socket.open();
    client.stop();
    expect(socket.closedWith?.code).toBe(1000);
    socket.drop();
    vi.advanceTimersByTime(60 * 60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(client.getState().status).toBe("disconnected");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("reports the shared initial state until started", () => {
    const client = new RealtimeClient({ url: URL, createSocket: (url) => new FakeSocket(url), visibility });
    expect(client.getState()).toBe(INITIAL_STATE);
    expect(FakeSocket.instances).toHaveLength(0);
  });

  it("stops cleanly while a retry is scheduled, and can be started again", () => {
    const client = makeClient();
    FakeSocket.latest().drop();
    expect(client.getState().retryAt).not.toBeNull();
    client.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(client.getState()).toMatchObject({ status: "disconnected", retryAt: null });

    client.start();
    expect(FakeSocket.instances).toHaveLength(2);
    expect(client.getState().status).toBe("connecting");
  });

  it("stays in error when the tab is hidden and shown again", () => {
    const client = makeClient({
      createSocket: () => {
        throw new SyntaxError("bad url");
      },
    });
    visibility.set(true);
    visibility.set(false);
    expect(client.getState().status).toBe("error");
    expect(vi.getTimerCount()).toBe(0);
  });
});
