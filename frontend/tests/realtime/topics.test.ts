// @vitest-environment node
// Topics on the one connection: subscribe while joined, again after every reconnect, one
// subscription for several joiners; presence and invoice-updated frames reach the listeners.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RealtimeClient } from "@/lib/realtime/client";
import { parseServerMessage } from "@/lib/realtime/protocol";
import { FakeSocket, FakeVisibility } from "../fakes";

let client: RealtimeClient;

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
  client = new RealtimeClient({
    url: "ws://x/ws",
    createSocket: (url) => new FakeSocket(url),
    visibility: new FakeVisibility(),
    random: () => 0.5,
  });
  client.start();
});

afterEach(() => {
  client.stop();
  vi.useRealTimers();
});

const subscriptions = (socket: FakeSocket) =>
  socket.sent.filter((m) => (m as { action: string }).action !== "getMetrics");

describe("topics", () => {
  it("a topic joined before the socket opens is subscribed on open, and again after a reconnect", () => {
    client.joinTopic("invoice:inv-1");
    FakeSocket.latest().open();
    expect(subscriptions(FakeSocket.latest())).toEqual([{ action: "subscribe", topic: "invoice:inv-1" }]);

    FakeSocket.latest().drop();
    vi.advanceTimersToNextTimer();
    FakeSocket.latest().open();
    expect(FakeSocket.instances).toHaveLength(2);
    expect(subscriptions(FakeSocket.latest())).toEqual([{ action: "subscribe", topic: "invoice:inv-1" }]);
  });

  it("two joiners share one subscription; the last to leave unsubscribes; focus needs a join", () => {
    FakeSocket.latest().open();
    const leaveA = client.joinTopic("invoices");
    const leaveB = client.joinTopic("invoices");
    client.focus("invoice:other", "total"); // not joined: nothing sent
    leaveA();
    leaveA(); // twice is once
    expect(subscriptions(FakeSocket.latest())).toEqual([{ action: "subscribe", topic: "invoices" }]);
    leaveB();
    expect(subscriptions(FakeSocket.latest())).toEqual([
      { action: "subscribe", topic: "invoices" },
      { action: "unsubscribe", topic: "invoices" },
    ]);
  });

  it("sends a focus only when the field changes, and again after a reconnect", () => {
    client.joinTopic("invoice:inv-1");
    FakeSocket.latest().open();
    for (const field of ["total", "total", "total", "vendorName", null, null]) client.focus("invoice:inv-1", field);
    client.focus("invoice:inv-1", "total");
    const focus = (topic: string, field: string | null) => ({ action: "focus", topic, field });
    expect(subscriptions(FakeSocket.latest()).slice(1)).toEqual([
      focus("invoice:inv-1", "total"),
      focus("invoice:inv-1", "vendorName"),
      focus("invoice:inv-1", null),
      focus("invoice:inv-1", "total"),
    ]);

    FakeSocket.latest().drop();
    client.focus("invoice:inv-1", "iban"); // while disconnected: remembered
    vi.advanceTimersToNextTimer();
    FakeSocket.latest().open();
    expect(subscriptions(FakeSocket.latest())).toEqual([{ action: "subscribe", topic: "invoice:inv-1" }, focus("invoice:inv-1", "iban")]);
  });

  it("hands presence and invoice-updated frames to message listeners", () => {
    const seen = vi.fn();
    const stop = client.onMessage(seen);
    FakeSocket.latest().open();
    const presence = { type: "presence", topic: "invoice:inv-1", viewers: [{ sub: "u1", name: "Rita Reviewer", initials: "RR", editing: "total" }] };
    FakeSocket.latest().receive(JSON.stringify(presence));
    FakeSocket.latest().receive(
      JSON.stringify({ type: "invoice-updated", data: { invoiceId: "inv-1", version: 2, changes: [], status: "approved", by: null } }),
    );
    expect(seen.mock.calls.map(([m]) => m.type)).toEqual(["presence", "invoice-updated"]);
    expect(seen.mock.calls[0]![0]).toEqual(presence);
    stop();
    FakeSocket.latest().receive(JSON.stringify(presence));
    expect(seen).toHaveBeenCalledTimes(2);
  });
});

describe("parsing", () => {
  it("keeps well-formed viewers and updates, refuses the malformed", () => {
    expect(parseServerMessage(JSON.stringify({ type: "presence", topic: "invoice:a", viewers: [{ sub: "u", name: "N" }, 7] }))).toEqual({
      type: "presence",
      topic: "invoice:a",
      viewers: [{ sub: "u", name: "N", initials: "", editing: null }],
    });
    expect(parseServerMessage(JSON.stringify({ type: "presence", topic: "invoice:a", viewers: "x" }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "invoice-updated", data: { invoiceId: "a", version: 2, status: "odd" } }))).toBeNull();
    expect(parseServerMessage(JSON.stringify({ type: "invoice-updated", data: { invoiceId: "a", version: "2", status: "approved" } }))).toBeNull();
    const update = parseServerMessage(
      JSON.stringify({
        type: "invoice-updated",
        data: { invoiceId: "a", version: 3, status: "approved", changes: [{ field: "total", old: 1, new: 2 }, "x"], by: { sub: "s", email: "e@x" } },
      }),
    );
    expect(update).toEqual({
      type: "invoice-updated",
      data: { invoiceId: "a", version: 3, status: "approved", changes: [{ field: "total", old: 1, new: 2 }], by: { sub: "s", email: "e@x" } },
    });
  });
});
