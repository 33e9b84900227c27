// @vitest-environment node
// The realtime client's topic part (watchTopic, sendAction) and the topic frames' validation,
// plus the cursor bookkeeping of the Analytics page (leave and idle).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ageCursors, CURSOR_IDLE_MS, nextCursors, type RemoteCursor } from "@/lib/analytics/useVisualizationLive";
import { RealtimeClient } from "@/lib/realtime/client";
import { parseServerMessage, type TopicMessage } from "@/lib/realtime/protocol";
import { FakeSocket, FakeVisibility } from "../fakes";

const TOPIC = "visualization:v1";
const cursorFrame = (connectionId: string, x: number) =>
  JSON.stringify({ type: "cursor", data: { topic: TOPIC, x, y: 2, by: { sub: "u2", name: "Adam Admin", initials: "AA" }, connectionId } });

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});

afterEach(() => {
  vi.useRealTimers();
});

function makeClient() {
  const client = new RealtimeClient({ url: "ws://x/ws", createSocket: (url) => new FakeSocket(url), visibility: new FakeVisibility(), random: () => 0.5 });
  client.start();
  return client;
}

describe("topics on the realtime client", () => {
  it("subscribes once open, again after a reconnect, and unsubscribes with the last listener", () => {
    const client = makeClient();
    const got: TopicMessage[] = [];
    const stopA = client.watchTopic(TOPIC, (m) => got.push(m));
    const stopB = client.watchTopic(TOPIC, () => {});
    expect(client.sendAction({ action: "cursor", topic: TOPIC, x: 1, y: 2 })).toBe(false); // not open: dropped

    FakeSocket.latest().open();
    expect(FakeSocket.latest().sent).toEqual([{ action: "getMetrics" }, { action: "subscribe", topic: TOPIC }]);
    FakeSocket.latest().receive(cursorFrame("c2", 5));
    FakeSocket.latest().receive(JSON.stringify({ type: "presence", topic: "visualization:other", viewers: [] }));
    expect(got.map((m) => m.type)).toEqual(["cursor"]);

    FakeSocket.latest().drop();
    vi.advanceTimersToNextTimer();
    FakeSocket.latest().open();
    expect(FakeSocket.latest().sent).toContainEqual({ action: "subscribe", topic: TOPIC });

    expect(client.sendAction({ action: "cursor", topic: TOPIC, x: 1, y: 2 })).toBe(true);
    stopA();
    expect(FakeSocket.latest().sent.at(-1)).toEqual({ action: "cursor", topic: TOPIC, x: 1, y: 2 });
    stopB();
    expect(FakeSocket.latest().sent.at(-1)).toEqual({ action: "unsubscribe", topic: TOPIC });
    client.stop();
  });
});

describe("topic frames", () => {
  it("parses presence, params-update and cursor, and refuses malformed ones", () => {
    expect(parseServerMessage(JSON.stringify({ type: "presence", topic: TOPIC, viewers: [{ sub: "u", name: "Ada", initials: "A", editing: null }, 3] }))).toEqual({
      type: "presence",
      topic: TOPIC,
      viewers: [{ sub: "u", name: "Ada", initials: "A", editing: null }],
    });
    const update = parseServerMessage(
      JSON.stringify({ type: "params-update", data: { visualizationId: "v1", parameters: { mean: 3 }, version: 2, by: { sub: "u", email: "e" } } }),
    );
    expect(update).toMatchObject({ type: "params-update", topic: TOPIC, data: { version: 2, parameters: { mean: 3 } } });
    expect(parseServerMessage(cursorFrame("c2", 5))).toMatchObject({ type: "cursor", topic: TOPIC, data: { x: 5, y: 2, connectionId: "c2" } });
    expect(parseServerMessage(JSON.stringify({ type: "cursor", data: { topic: TOPIC, x: "5", y: 2 } }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "params-update", data: { visualizationId: "v1", parameters: {}, version: "2" } }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "presence", topic: TOPIC }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "visualization-removed", data: { visualizationId: "v1", reason: "unshared" } }))).toEqual({
      type: "visualization-removed",
      topic: TOPIC,
      data: { visualizationId: "v1", reason: "unshared" },
    });
    expect(parseServerMessage(JSON.stringify({ type: "visualization-removed", data: { visualizationId: "v1", reason: "bored" } }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "visualization-removed", data: { reason: "deleted" } }))).toBeNull();
  });
});

describe("cursors", () => {
  const cursor = parseServerMessage(cursorFrame("c2", 5)) as TopicMessage;

  it("keeps one per connection and forgets those who left", () => {
    let cursors = nextCursors(new Map(), cursor, 0);
    cursors = nextCursors(cursors, parseServerMessage(cursorFrame("c2", 7)) as TopicMessage, 10);
    expect([...cursors.values()].map((c) => c.x)).toEqual([7]);
    const left = nextCursors(cursors, { type: "presence", topic: TOPIC, viewers: [{ sub: "u1", name: "Rita", initials: "R", editing: null }] }, 20);
    expect(left.size).toBe(0);
  });

  it("fades an idle cursor, then drops it", () => {
    const cursors = nextCursors(new Map(), cursor, 0);
    const one = (m: Map<string, RemoteCursor>) => [...m.values()][0];
    expect(one(ageCursors(cursors, CURSOR_IDLE_MS - 1))?.idle).toBe(false);
    expect(one(ageCursors(cursors, CURSOR_IDLE_MS))?.idle).toBe(true);
    expect(ageCursors(cursors, 2 * CURSOR_IDLE_MS).size).toBe(0);
  });
});
