// @vitest-environment node
// No DOM: the realtime modules must run without document or WebSocket.
import { describe, expect, it } from "vitest";
import { parseServerMessage } from "@/lib/realtime/protocol";
import { metricsFrame } from "../fakes";

describe("parseServerMessage", () => {
  it("parses a metrics update and drops malformed series points", () => {
    const message = parseServerMessage(
      metricsFrame({ p95Latency: 1200, series: [{ t: 60_000, count: 2, avgLatency: 10 }, { t: "x" }, null] }),
    );
    expect(message).toEqual({
      type: "metrics-update",
      data: {
        total: 3,
        throughput: 0.05,
        avgLatency: 812.4,
        avgAccuracy: 93.5,
        timestamp: 1_700_000_000_000,
        p95Latency: 1200,
        series: [{ t: 60_000, count: 2, avgLatency: 10, avgAccuracy: 0, errors: 0 }],
      },
    });
  });

  it.each([
    ["not JSON", "{oops"],
    ["a binary frame", new ArrayBuffer(4)],
    ["an array", "[1,2]"],
    ["an unknown type", '{"type":"hello"}'],
    ["metrics without data", '{"type":"metrics-update"}'],
    ["metrics with a string total", metricsFrame({ total: "3" })],
    ["metrics with a missing timestamp", '{"type":"metrics-update","data":{"total":1,"throughput":1,"avgLatency":1,"avgAccuracy":1}}'],
  ])("returns null for %s", (_, raw) => {
    expect(parseServerMessage(raw)).toBeNull();
  });

  it("does not take an inherited property name for a message type", () => {
    for (const type of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(parseServerMessage(JSON.stringify({ type }))).toBeNull();
    }
  });

  it("parses pong and error frames", () => {
    expect(parseServerMessage('{"type":"pong"}')).toEqual({ type: "pong" });
    expect(parseServerMessage('{"type":"error","error":"unknown action"}')).toEqual({
      type: "error",
      error: "unknown action",
    });
  });
});
