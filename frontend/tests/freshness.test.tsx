import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import FloatingDashboard from "@/components/FloatingDashboard";
import {
  DEFAULT_INTERVAL_MS,
  REFRESH_AFTER_MS,
  STALE_GRACE_MS,
  freshness,
  needsRefresh,
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
  it("is fresh while quiet, stale when a refresh is overdue and time changes the figures", () => {
    const state = stateWith({});
    const due = REFRESH_AFTER_MS + STALE_GRACE_MS;
    // Broadcasts come on change: seconds of quiet are not staleness.
    expect(freshness(state, NOW + 5 * DEFAULT_INTERVAL_MS)).toMatchObject({
      kind: "fresh",
    });
    expect(freshness(state, NOW + due)).toMatchObject({ kind: "fresh" });
    expect(freshness(state, NOW + due + 1)).toMatchObject({
      kind: "stale",
      ageMs: due + 1,
    });
    // Nothing in the last 15 minutes: only a broadcast can change the figures, and none is missed.
    const idle = stateWith({}, { total: 0, series: [{ count: 0 }] });
    expect(freshness(idle, NOW + 10 * due)).toMatchObject({ kind: "fresh" });
  });

  it("asks for a snapshot after a quiet minute, not before, and only with activity", () => {
    const state = stateWith({});
    expect(needsRefresh(state, freshness(state, NOW + REFRESH_AFTER_MS))).toBe(
      false,
    );
    expect(
      needsRefresh(state, freshness(state, NOW + REFRESH_AFTER_MS + 1)),
    ).toBe(true);
    const idle = stateWith({}, { total: 0 });
    expect(
      needsRefresh(idle, freshness(idle, NOW + 2 * REFRESH_AFTER_MS)),
    ).toBe(false);
    const down = stateWith({ status: "disconnected" });
    expect(
      needsRefresh(down, freshness(down, NOW + 2 * REFRESH_AFTER_MS)),
    ).toBe(false);
  });

  it("expects the interval the server reports for a large audience", () => {
    const state = stateWith({}, { intervalMs: 90_000 });
    expect(freshness(state, NOW + 95_000)).toMatchObject({
      kind: "fresh",
      intervalMs: 90_000,
    });
    expect(freshness(state, NOW + 90_000 + STALE_GRACE_MS + 1)).toMatchObject({
      kind: "stale",
    });
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

  it("says how old the data is, asks after a quiet minute, is stale when unanswered, reconnecting when the socket drops", async () => {
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

    act(() => vi.advanceTimersByTime(5000)); // quiet for seconds: still fresh, the age counts on
    expect(line).toHaveAttribute("data-freshness", "fresh");
    expect(line).toHaveTextContent(/^Updated [78] s ago$/);

    const asked = () =>
      socket.sent.filter(
        (m) => (m as { action?: string }).action === "getMetrics",
      ).length;
    const before = asked();
    act(() => vi.advanceTimersByTime(REFRESH_AFTER_MS - 8000 + 2000)); // past a quiet minute
    expect(asked()).toBe(before + 1); // the 60-s figures moved on: one snapshot asked for
    act(() => vi.advanceTimersByTime(STALE_GRACE_MS)); // and not answered
    expect(asked()).toBe(before + 1); // at most once a minute
    expect(line).toHaveAttribute("data-freshness", "stale");
    expect(line).toHaveTextContent(/^Stale · updated/);
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
    expect(line).toHaveAttribute("data-freshness", "fresh");

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
