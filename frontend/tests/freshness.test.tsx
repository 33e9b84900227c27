import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import FloatingDashboard from "@/components/FloatingDashboard";
import {
  DEFAULT_INTERVAL_MS,
  STALE_GRACE_MS,
  freshness,
} from "@/components/metrics/Freshness";
import { resetConfigForTests } from "@/lib/config";
import { INITIAL_STATE, type RealtimeState } from "@/lib/realtime/state";
import { FakeSocket, fakeFetch, metricsFrame } from "./fakes";

const NOW = 1_800_000_000_000;

function stateWith(
  patch: Partial<RealtimeState>,
  metrics: Record<string, unknown> = {},
): RealtimeState {
  return {
    ...INITIAL_STATE,
    status: "connected",
    metrics: {
      total: 1,
      throughput: 0,
      avgLatency: 1,
      avgAccuracy: 90,
      timestamp: NOW,
      ...metrics,
    },
    updatedAt: NOW,
    ...patch,
  };
}

describe("freshness", () => {
  it("is fresh within the interval plus the grace, stale after it", () => {
    const state = stateWith({});
    expect(
      freshness(state, NOW + DEFAULT_INTERVAL_MS + STALE_GRACE_MS),
    ).toMatchObject({ kind: "fresh" });
    expect(
      freshness(state, NOW + DEFAULT_INTERVAL_MS + STALE_GRACE_MS + 1),
    ).toMatchObject({
      kind: "stale",
      ageMs: DEFAULT_INTERVAL_MS + STALE_GRACE_MS + 1,
    });
  });

  it("expects the interval the server reports for a large audience", () => {
    const state = stateWith({}, { intervalMs: 20_000 });
    expect(freshness(state, NOW + 15_000)).toMatchObject({
      kind: "fresh",
      intervalMs: 20_000,
    });
    expect(freshness(state, NOW + 21_001)).toMatchObject({ kind: "stale" });
  });

  it("counts the age from when the snapshot was computed, not when it arrived", () => {
    // A shard of a large broadcast arrives 3 s after the snapshot was taken.
    const state = stateWith(
      { updatedAt: NOW + 3000 },
      { timestamp: NOW, intervalMs: 10_000 },
    );
    expect(freshness(state, NOW + 3000).ageMs).toBe(3000);
  });

  it("trusts the arrival time when the clocks disagree by minutes", () => {
    const state = stateWith({ updatedAt: NOW }, { timestamp: NOW - 3_600_000 });
    expect(freshness(state, NOW + 500)).toMatchObject({
      kind: "fresh",
      ageMs: 500,
    });
    const ahead = stateWith({ updatedAt: NOW }, { timestamp: NOW + 60_000 }); // server ahead: never negative
    expect(freshness(ahead, NOW).ageMs).toBe(0);
  });

  it("is reconnecting, not fresh, whenever the socket is down", () => {
    expect(freshness(stateWith({ status: "disconnected" }), NOW)).toMatchObject(
      { kind: "reconnecting", ageMs: 0 },
    );
    expect(freshness(stateWith({ status: "connecting" }), NOW)).toMatchObject({
      kind: "reconnecting",
    });
    expect(
      freshness({ ...INITIAL_STATE, status: "disconnected" }, NOW),
    ).toMatchObject({ kind: "reconnecting" });
    expect(freshness(INITIAL_STATE, NOW)).toMatchObject({
      kind: "none",
      ageMs: null,
    });
  });

  it("ignores an interval that is not a positive number", () => {
    expect(freshness(stateWith({}, { intervalMs: -5 }), NOW).intervalMs).toBe(
      DEFAULT_INTERVAL_MS,
    );
    expect(
      freshness(stateWith({}, { intervalMs: "soon" }), NOW).intervalMs,
    ).toBe(DEFAULT_INTERVAL_MS);
  });
});

describe("the widget's freshness", () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true, now: NOW });
    resetConfigForTests();
    FakeSocket.reset();
    vi.stubGlobal("WebSocket", FakeSocket);
    vi.stubGlobal(
      "fetch",
      fakeFetch({
        apiUrl: "",
        wsUrl: "ws://gateway.test/ws",
        maxUploadBytes: 4_500_000,
      }),
    );
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  async function renderWidget() {
    const before = FakeSocket.instances.length;
    render(<FloatingDashboard />);
    await waitFor(() => expect(FakeSocket.instances.length).toBe(before + 1));
    return FakeSocket.latest();
  }

  it("says how old the data is, then marks it stale, then reconnecting when the socket drops", async () => {
    const socket = await renderWidget();
    act(() => socket.open());
    act(() =>
      socket.receive(
        metricsFrame({
          total: 5,
          timestamp: Date.now() - 3000,
          intervalMs: 5000,
        }),
      ),
    );
    const line = screen.getByTestId("metrics-updated");
    expect(line).toHaveAttribute("data-freshness", "fresh");
    expect(line).toHaveTextContent("Updated 3 s ago");
    expect(screen.getByTestId("metrics-cards")).toHaveAttribute(
      "data-stale",
      "false",
    );

    act(() => vi.advanceTimersByTime(5000)); // ≥ 7 s old (the clock ticks each second); interval 5 s + 1 s
    expect(line).toHaveAttribute("data-freshness", "stale");
    expect(line).toHaveTextContent(/^Stale · updated [78] s ago$/);
    expect(screen.getByTestId("metrics-cards")).toHaveAttribute(
      "data-stale",
      "true",
    );

    act(() =>
      socket.receive(
        metricsFrame({ total: 6, timestamp: Date.now(), intervalMs: 5000 }),
      ),
    );
    expect(line).toHaveTextContent("Updated just now");

    act(() => socket.drop());
    expect(line).toHaveAttribute("data-freshness", "reconnecting");
    expect(line).toHaveTextContent(/^Reconnecting… · data from/);
    expect(screen.getByTestId("metrics-cards")).toHaveAttribute(
      "data-stale",
      "true",
    );
    expect(screen.getByTestId("metrics-total")).toHaveTextContent("6"); // kept, but not shown as live
  });
});
