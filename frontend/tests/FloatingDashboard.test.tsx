import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import FloatingDashboard from "@/components/FloatingDashboard";
import { resetConfigForTests } from "@/lib/config";
import { PREFS_KEY } from "@/lib/widgetPrefs";
import { FakeSocket, fakeFetch, metricsFrame } from "./fakes";

const WS_URL = "ws://gateway.test/ws";

function series(counts: number[]) {
  return counts.map((count, i) => ({ t: i * 60_000, count, avgLatency: 800, avgAccuracy: 90, errors: 0 }));
}

/** Renders the widget and waits for it to open a new socket. */
async function renderWidget() {
  const before = FakeSocket.instances.length;
  const view = render(<FloatingDashboard />);
  await waitFor(() => expect(FakeSocket.instances.length).toBe(before + 1));
  return { ...view, socket: FakeSocket.latest() };
}

beforeEach(() => {
  resetConfigForTests();
  FakeSocket.reset();
  vi.stubGlobal("WebSocket", FakeSocket);
  vi.stubGlobal("fetch", fakeFetch({ apiUrl: "", wsUrl: WS_URL, maxUploadBytes: 4_500_000 }));
});

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("FloatingDashboard", () => {
  it("connects to the configured URL and shows connecting", async () => {
    const { socket } = await renderWidget();
    expect(socket.url).toBe(WS_URL);
    expect(screen.getByTestId("ws-status")).toHaveAttribute("data-status", "connecting");
    expect(screen.getByTestId("ws-status")).toHaveTextContent("Connecting…");
    expect(screen.getByTestId("metrics-total")).toHaveTextContent("—");
  });

  it("asks for metrics on open and shows the waiting state when nothing was processed", async () => {
    const { socket } = await renderWidget();
    act(() => socket.open());
    expect(socket.sent).toEqual([{ action: "getMetrics" }]);
    expect(screen.getByTestId("ws-status")).toHaveAttribute("data-status", "connected");
    expect(screen.getByTestId("metrics-waiting")).toHaveTextContent("Process some invoices to see metrics");

    act(() => socket.receive(metricsFrame({ total: 0, throughput: 0, series: series(Array(15).fill(0)) })));
    expect(screen.getByTestId("metrics-waiting")).toBeInTheDocument();
    expect(screen.getByTestId("metrics-total")).toHaveTextContent("0");
  });

  it("shows the numbers, the sparkline and the age of the data", async () => {
    const { socket } = await renderWidget();
    act(() => socket.open());
    act(() =>
      socket.receive(
        metricsFrame({
          total: 12,
          throughput: 0.2,
          avgLatency: 812.4,
          avgAccuracy: 93.46,
          p95Latency: 1530,
          series: series([0, 1, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 4, 12]),
        }),
      ),
    );
    expect(screen.getByTestId("metrics-total")).toHaveTextContent("12");
    expect(screen.getByTestId("metrics-throughput")).toHaveTextContent("0.20/s");
    expect(screen.getByTestId("metrics-avg-latency")).toHaveTextContent("812 ms");
    expect(screen.getByTestId("metrics-avg-accuracy")).toHaveTextContent("93.5%");
    expect(screen.getByTestId("metrics-p95-latency")).toHaveTextContent("1.5 s");
    expect(screen.getByTestId("metrics-sparkline")).toHaveAccessibleName(/last 15 minutes, peak 12/);
    expect(screen.queryByTestId("metrics-waiting")).not.toBeInTheDocument();
    expect(screen.getByTestId("metrics-updated")).toHaveTextContent("Updated just now");
    expect(screen.getByTestId("metrics-total").closest("[aria-live]")).toHaveAttribute("aria-live", "polite");
  });

  it("shows the review numbers, the measured accuracy labelled apart from the estimate", async () => {
    const { socket } = await renderWidget();
    act(() => socket.open());
    act(() =>
      socket.receive(metricsFrame({ avgAccuracy: 91.04, reviewed: 2, reviewedAccuracy: 87.5, needsReview: 14 })),
    );
    expect(screen.getByTestId("metrics-needs-review")).toHaveTextContent("14");
    expect(screen.getByTestId("metrics-reviewed")).toHaveTextContent("2");
    expect(screen.getByTestId("metrics-measured-accuracy")).toHaveTextContent("87.5%");
    expect(screen.getByTestId("metrics-avg-accuracy")).toHaveTextContent("91.0%");
    const term = (id: string) => screen.getByTestId(id).previousElementSibling?.textContent;
    expect(term("metrics-avg-accuracy")).toBe("Accuracy (estimated)");
    expect(term("metrics-measured-accuracy")).toBe("Accuracy (measured, 24 h)");
    expect(term("metrics-needs-review")).toBe("Waiting for review");

    // null: nothing approved in 24 h; an older server sends none of these keys
    act(() => socket.receive(metricsFrame({ reviewed: 0, reviewedAccuracy: null, needsReview: 0 })));
    expect(screen.getByTestId("metrics-measured-accuracy")).toHaveTextContent("—");
    expect(screen.getByTestId("metrics-reviewed")).toHaveTextContent("0");
    act(() => socket.receive(metricsFrame({ reviewedAccuracy: "88" })));
    for (const id of ["metrics-needs-review", "metrics-reviewed", "metrics-measured-accuracy"]) {
      expect(screen.getByTestId(id)).toHaveTextContent("—");
    }
  });

  it("keeps the last numbers and shows disconnected with a retry countdown when the socket drops", async () => {
    const { socket } = await renderWidget();
    act(() => socket.open());
    act(() => socket.receive(metricsFrame({ total: 5 })));
    act(() => socket.drop());
    const status = screen.getByTestId("ws-status");
    expect(status).toHaveAttribute("data-status", "disconnected");
    expect(status).toHaveTextContent(/Disconnected · retrying in \d+ s/);
    expect(screen.getByTestId("metrics-total")).toHaveTextContent("5");
  });

  it("ignores a malformed frame", async () => {
    const { socket } = await renderWidget();
    act(() => socket.open());
    act(() => socket.receive(metricsFrame({ total: 2 })));
    act(() => socket.receive("{not json"));
    expect(screen.getByTestId("metrics-total")).toHaveTextContent("2");
    expect(screen.getByTestId("ws-status")).toHaveAttribute("data-status", "connected");
  });

  it("minimises to a pill, remembers it, and refreshes the metrics on expand", async () => {
    const user = userEvent.setup();
    const { socket, unmount } = await renderWidget();
    act(() => socket.open());
    act(() => socket.receive(metricsFrame({ total: 4 })));

    await user.click(screen.getByTestId("widget-toggle"));
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? "{}")).toMatchObject({ minimised: true });
    const pill = screen.getByTestId("widget-toggle");
    expect(pill).toHaveAttribute("aria-expanded", "false");
    expect(pill).toHaveFocus();
    expect(within(pill).getByTestId("metrics-pill-total")).toHaveTextContent("4");
    expect(within(pill).getByTestId("ws-status")).toHaveAttribute("data-status", "connected");
    expect(screen.queryByTestId("metrics-total")).not.toBeInTheDocument();

    unmount();
    const again = await renderWidget();
    expect(screen.getByTestId("widget-toggle")).toHaveAttribute("aria-expanded", "false");
    act(() => again.socket.open());
    await user.click(screen.getByTestId("widget-toggle"));
    expect(screen.getByTestId("metrics-total")).toBeInTheDocument();
    expect(again.socket.sent).toEqual([{ action: "getMetrics" }, { action: "getMetrics" }]);
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? "{}")).toMatchObject({ minimised: false });
  });

  it("moves to the next corner and remembers it", async () => {
    const user = userEvent.setup();
    await renderWidget();
    const widget = screen.getByTestId("metrics-widget");
    expect(widget).toHaveAttribute("data-corner", "bottom-right");
    await user.click(screen.getByRole("button", { name: "Move to the bottom left corner" }));
    expect(widget).toHaveAttribute("data-corner", "bottom-left");
    expect(JSON.parse(localStorage.getItem(PREFS_KEY) ?? "{}")).toMatchObject({ corner: "bottom-left" });
  });

  it("starts as a pill on a phone-sized screen when nothing was chosen", async () => {
    vi.stubGlobal("matchMedia", (query: string) => ({ matches: query.includes("max-width"), media: query }));
    await renderWidget();
    expect(screen.getByTestId("metrics-widget")).toHaveAttribute("data-minimised", "true");
  });
});
