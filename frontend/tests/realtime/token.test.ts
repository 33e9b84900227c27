// @vitest-environment node
// The WebSocket of a signed-in page: ?token= on the URL, asked before every (re)connect, and a
// make-before-break renewal shortly before the token expires.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULTS, RealtimeClient, type SocketToken, withToken } from "@/lib/realtime/client";
import { FakeSocket, FakeVisibility, metricsFrame } from "../fakes";

const URL = "ws://127.0.0.1:8000/ws";
const HOUR = 3_600_000;

/** A session whose token the test changes, as the session store's refresh does. */
let current: SocketToken | null;
let getToken: ReturnType<typeof vi.fn<() => SocketToken | null>>;

function issue(name: string, lifetimeMs = HOUR): SocketToken {
  current = { token: name, expiresAt: Date.now() + lifetimeMs };
  return current;
}

function makeClient(): RealtimeClient {
  const client = new RealtimeClient({
    url: URL,
    createSocket: (url) => new FakeSocket(url),
    visibility: new FakeVisibility(),
    random: () => 0.5,
    // The fake server answers no ping: keep the heartbeat out of these hour-long runs.
    heartbeatMs: 10 * HOUR,
    getToken,
  });
  client.start();
  return client;
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
  current = null;
  getToken = vi.fn(() => current);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("RealtimeClient with a token", () => {
  it("puts the token on the URL, encoded", () => {
    expect(withToken(URL, "a.b+c")).toBe(`${URL}?token=a.b%2Bc`);
    expect(withToken(`${URL}?x=1`, "t")).toBe(`${URL}?x=1&token=t`);
    issue("token-1");

    makeClient();

    expect(FakeSocket.latest().url).toBe(`${URL}?token=token-1`);
  });

  it("asks for the token before every reconnect", () => {
    issue("token-1");
    makeClient();
    FakeSocket.latest().open();
    issue("token-2"); // refreshed meanwhile

    FakeSocket.latest().drop();
    vi.advanceTimersToNextTimer();

    expect(getToken).toHaveBeenCalledTimes(2);
    expect(FakeSocket.latest().url).toBe(`${URL}?token=token-2`);
  });

  it("does not connect without a token, and retries with the backoff", () => {
    const client = makeClient();
    expect(FakeSocket.instances).toHaveLength(0);
    expect(client.getState().status).toBe("disconnected");

    issue("token-1");
    vi.advanceTimersToNextTimer();

    expect(FakeSocket.latest().url).toBe(`${URL}?token=token-1`);
  });

  it("never shows the token in an error", () => {
    issue("secret-token");
    const client = new RealtimeClient({
      url: "not a url",
      getToken,
      createSocket: () => {
        throw new SyntaxError("bad url");
      },
      visibility: new FakeVisibility(),
    });
    client.start();
    expect(client.getState()).toMatchObject({ status: "error" });
    expect(client.getState().error).not.toContain("secret-token");
  });

  it("renews the connection before the token expires: the new socket opens, then the old one closes", () => {
    issue("token-1");
    const client = makeClient();
    const first = FakeSocket.latest();
    first.open();
    const statuses: string[] = [];
    client.subscribe(() => statuses.push(client.getState().status));

    // The session refreshed a minute before expiry; the client renews 30 s before it.
    vi.advanceTimersByTime(HOUR - 60_000);
    issue("token-2");
    vi.advanceTimersByTime(60_000 - DEFAULTS.renewLeadMs - 1);
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);

    const second = FakeSocket.latest();
    expect(second).not.toBe(first);
    expect(second.url).toBe(`${URL}?token=token-2`);
    // Until the new socket is open the old one serves on.
    expect(first.closedWith).toBeNull();
    first.receive(metricsFrame({ total: 4 }));
    expect(client.getState().metrics?.total).toBe(4);

    second.open();

    expect(first.closedWith).toEqual({ code: 1000, reason: "token renewed" });
    expect(second.sent).toEqual([{ action: "getMetrics" }]);
    second.receive(metricsFrame({ total: 5 }));
    expect(client.getState().metrics?.total).toBe(5);
    // No visible gap: the status never left "connected".
    expect(new Set(statuses)).toEqual(new Set(["connected"]));
    // The old socket's late close changes nothing.
    first.drop();
    expect(client.getState().status).toBe("connected");
  });

  it("renews again before the next token expires", () => {
    issue("token-1");
    makeClient();
    FakeSocket.latest().open();
    for (const name of ["token-2", "token-3"]) {
      vi.advanceTimersByTime(current!.expiresAt! - 60_000 - Date.now()); // the session's refresh
      issue(name);
      vi.advanceTimersByTime(30_000);
      FakeSocket.latest().open();
      expect(FakeSocket.latest().url).toBe(`${URL}?token=${name}`);
    }
    expect(FakeSocket.instances).toHaveLength(3);
  });

  it("keeps the current socket when the renewal fails to open", () => {
    issue("token-1");
    const client = makeClient();
    const first = FakeSocket.latest();
    first.open();
    vi.advanceTimersByTime(HOUR - 60_000);
    issue("token-2");
    vi.advanceTimersByTime(30_000);

    FakeSocket.latest().drop();

    expect(first.closedWith).toBeNull();
    expect(client.getState().status).toBe("connected");
  });

  it("lets the renewal take over when the server closes the old socket first", () => {
    issue("token-1");
    const client = makeClient();
    const first = FakeSocket.latest();
    first.open();
    vi.advanceTimersByTime(HOUR - 60_000);
    issue("token-2");
    vi.advanceTimersByTime(30_000);
    const second = FakeSocket.latest();

    first.drop(); // the token expired on the server's clock a little early

    expect(client.getState().status).toBe("connecting");
    second.open();
    expect(client.getState().status).toBe("connected");
    expect(FakeSocket.instances).toHaveLength(2); // no extra attempt
  });

  it("does not renew while the session has no fresh token; the server's close then reconnects", () => {
    issue("token-1", 60_000);
    makeClient();
    const first = FakeSocket.latest();
    first.open();

    vi.advanceTimersByTime(30_000); // renewal time, but no refresh happened
    expect(FakeSocket.instances).toHaveLength(1);

    issue("token-2");
    first.drop();
    vi.advanceTimersToNextTimer();
    expect(FakeSocket.latest().url).toBe(`${URL}?token=token-2`);
  });

  it("stop() closes a renewal socket still opening", () => {
    issue("token-1");
    const client = makeClient();
    FakeSocket.latest().open();
    vi.advanceTimersByTime(HOUR - 60_000);
    issue("token-2");
    vi.advanceTimersByTime(30_000);
    const second = FakeSocket.latest();

    client.stop();

    expect(second.closedWith).toEqual({ code: 1000, reason: "client stopped" });
    second.open();
    expect(client.getState().status).toBe("disconnected");
  });
});
