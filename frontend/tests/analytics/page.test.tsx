// The Analytics page on a fake API and a fake WebSocket: it draws the chart of a fixture, follows
// someone else's params-update (panel and curve), shows presence and cursors, saves a keyboard
// change with its version, and takes the server's state on a 409. The page rides on the widget's
// connection (lib/liveChannel.ts): `Widget` below stands for the layout's FloatingDashboard.
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Analytics } from "@/components/analytics/Analytics";
import { resetConfigForTests } from "@/lib/config";
import { useLiveMetrics } from "@/lib/useLiveMetrics";
import type { NormalData } from "@/lib/contract.gen";
import { FakeSocket } from "../fakes";

const search = vi.hoisted(() => ({ params: new URLSearchParams("id=v1") }));
vi.mock("next/navigation", () => ({ useSearchParams: () => search.params, useRouter: () => ({ push: vi.fn() }) }));

const VIZ = {
  id: "v1",
  name: "Latency under 2 s",
  type: "normal",
  parameters: { measure: "latency", k: 2, bins: 20, days: 30 },
  ownerId: "u-rita",
  owner: { sub: "u-rita", email: "rita@example.com" },
  shared: true,
  version: 3,
  createdAt: 1,
  updatedAt: 2,
};

const DATA: NormalData = {
  type: "normal",
  visualizationId: "v1",
  version: 3,
  from: 0,
  to: 1,
  rows: 10,
  truncated: false,
  measure: "latency",
  count: 10,
  bins: [
    { x0: 0, x1: 500, count: 2 },
    { x0: 500, x1: 1000, count: 5 },
    { x0: 1000, x1: 1500, count: 3 },
  ],
  fit: { mean: 800, stdDev: 300 },
  curve: { mean: 800, stdDev: 300 },
  k: 2,
  inside: 0.9,
  expectedInside: 0.9545,
  target: null,
  aboveTarget: null,
};

interface Sent {
  method: string;
  url: string;
  body: unknown;
  ifMatch?: string;
}

function Widget() {
  useLiveMetrics();
  return null;
}

function renderPage() {
  return render(
    <>
      <Widget />
      <Analytics />
    </>,
  );
}

class FakeApi {
  sent: Sent[] = [];
  viz = structuredClone(VIZ);
  /** More visualizations, served 2 a page after the first. */
  more: (typeof VIZ)[] = [];
  /** The answer to the next POST /parameters instead of accepting it. */
  next: [number, unknown] | null = null;

  fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? "GET";
    const headers = (init.headers ?? {}) as Record<string, string>;
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    const json = (status: number, value: unknown) => new Response(JSON.stringify(value), { status });
    if (url === "/config.json") return json(200, { apiUrl: "", wsUrl: "ws://gateway.test/ws" });
    this.sent.push({ method, url, body, ifMatch: headers["If-Match"] });
    if (url === "/api/visualizations") return json(200, { items: [this.viz, ...this.more.slice(0, 1)], nextCursor: this.more.length > 1 ? "p1" : null });
    if (url === "/api/visualizations?cursor=p1") return json(200, { items: this.more.slice(0, 3), nextCursor: this.more.length > 3 ? "p2" : null });
    if (url === "/api/visualizations?cursor=p2") return json(200, { items: this.more.slice(3), nextCursor: null });
    if (url === "/api/visualizations/v1") return json(200, this.viz);
    if (url === "/api/visualizations/v1/data") return json(200, DATA);
    if (url.startsWith("/api/visualizations/v1/history")) return json(200, { items: [], nextCursor: null });
    if (url === "/api/visualizations/v1/parameters" && method === "POST") {
      if (this.next) {
        const [status, value] = this.next;
        this.next = null;
        return json(status, value);
      }
      this.viz = { ...this.viz, parameters: { ...this.viz.parameters, ...body.parameters }, version: this.viz.version + 1 };
      return json(200, this.viz);
    }
    return json(404, { error: "not found" });
  };
}

let api: FakeApi;

beforeEach(() => {
  resetConfigForTests();
  FakeSocket.reset();
  api = new FakeApi();
  vi.stubGlobal("WebSocket", FakeSocket);
  vi.stubGlobal("fetch", api.fetch);
});

afterEach(() => {
  vi.unstubAllGlobals();
});

async function openPage() {
  renderPage();
  const chart = await screen.findByRole("img", { name: "Latency under 2 s" });
  await waitFor(() => expect(screen.getAllByTestId("bar")).toHaveLength(3));
  await waitFor(() => expect(FakeSocket.instances.length).toBe(1));
  const socket = FakeSocket.latest();
  act(() => socket.open());
  return { chart, socket };
}

const meanBox = () => screen.getByTestId("param-mean") as HTMLInputElement;
const curve = () => screen.getByTestId("curve");

describe("Analytics page", () => {
  it("draws the normal chart of the data with its summary and shares", async () => {
    const { chart } = await openPage();
    const summary = document.getElementById(chart.getAttribute("aria-describedby")!);
    expect(summary).toHaveTextContent("10 invoices");
    expect(summary).toHaveTextContent("mean 800, standard deviation 300");
    // The server's exact share (90 %) while the chart shows the parameters it was computed for.
    expect(summary).toHaveTextContent("90.0 % inside mean ± 2·σ (200 to 1,400)");
    expect(curve()).toHaveAttribute("data-mean", "800");
    expect(meanBox().value).toBe("800");
    expect(screen.getByRole("slider", { name: "Mean on the chart" })).toHaveAttribute("aria-valuenow", "800");
  });

  it("subscribes to the topic and follows someone else's params-update", async () => {
    const { socket } = await openPage();
    expect(socket.sent).toContainEqual({ action: "subscribe", topic: "visualization:v1" });

    act(() =>
      socket.receive(
        JSON.stringify({
          type: "params-update",
          data: { visualizationId: "v1", parameters: { ...VIZ.parameters, mean: 1000, target: 1200 }, version: 4, by: { sub: "u-adam", email: "adam@example.com" } },
        }),
      ),
    );
    // The panel follows at once, the curve animates there.
    await waitFor(() => expect(meanBox().value).toBe("1000"));
    expect((screen.getByTestId("param-target") as HTMLInputElement).value).toBe("1200");
    await waitFor(() => expect(curve()).toHaveAttribute("data-mean", "1000"));
    expect(screen.getByTestId("target-line")).toBeInTheDocument();
    expect(screen.getByTestId("viz-notice")).toHaveTextContent("adam@example.com changed the parameters (v4)");
    // A stale echo (an older version) changes nothing.
    act(() =>
      socket.receive(
        JSON.stringify({ type: "params-update", data: { visualizationId: "v1", parameters: { ...VIZ.parameters, mean: 1 }, version: 4, by: {} } }),
      ),
    );
    expect(meanBox().value).toBe("1000");
  });

  it("shows who is looking and where their cursor is, and drops it when they leave", async () => {
    const { socket } = await openPage();
    const viewers = [
      { sub: "u-rita", name: "Rita Reviewer", initials: "RR", editing: null },
      { sub: "u-adam", name: "Adam Admin", initials: "AA", editing: null },
    ];
    act(() => socket.receive(JSON.stringify({ type: "presence", topic: "visualization:v1", viewers })));
    expect(screen.getAllByTestId("presence-avatar").map((a) => a.textContent)).toEqual(["RRRita Reviewer", "AAAdam Admin"]);

    act(() =>
      socket.receive(
        JSON.stringify({
          type: "cursor",
          data: { topic: "visualization:v1", x: 800, y: 0.0005, by: { sub: "u-adam", name: "Adam Admin", initials: "AA" }, connectionId: "c2" },
        }),
      ),
    );
    const cursor = await screen.findByTestId("remote-cursor");
    expect(cursor).toHaveAttribute("data-initials", "AA");

    act(() => socket.receive(JSON.stringify({ type: "presence", topic: "visualization:v1", viewers: viewers.slice(0, 1) })));
    expect(screen.queryByTestId("remote-cursor")).toBeNull();
  });

  it("saves an arrow key on the mean handle with the version, snapped to the grid", async () => {
    await openPage();
    const handle = screen.getByRole("slider", { name: "Mean on the chart" });
    fireEvent.keyDown(handle, { key: "ArrowRight" });
    fireEvent.keyUp(handle, { key: "ArrowRight" });
    // The domain is -400…2000 (the fit ± 4σ): a grid of 20.
    expect(meanBox().value).toBe("820");
    await waitFor(() => expect(api.sent.some((s) => s.method === "POST")).toBe(true));
    const post = api.sent.find((s) => s.method === "POST")!;
    expect(post.body).toEqual({ parameters: { mean: 820 }, version: 3 });
    await waitFor(() => expect(screen.getByTestId("visualization")).toHaveAttribute("data-version", "4"));
  });

  it("takes the server's state on a 409", async () => {
    await openPage();
    api.next = [409, { error: "stale", current: { ...VIZ, parameters: { ...VIZ.parameters, mean: 600 }, version: 7 } }];
    fireEvent.change(meanBox(), { target: { value: "900" } });
    expect(meanBox().value).toBe("900");
    await waitFor(() => expect(meanBox().value).toBe("600"));
    expect(screen.getByTestId("viz-notice")).toHaveTextContent("Someone else changed this visualization first");
    expect(screen.getByTestId("visualization")).toHaveAttribute("data-version", "7");
  });

  it("says so when the visualization cannot be opened", async () => {
    search.params = new URLSearchParams("id=nope");
    try {
      renderPage();
      expect(await screen.findByTestId("viz-error")).toHaveTextContent("does not exist, or it is private to someone else");
    } finally {
      search.params = new URLSearchParams("id=v1");
    }
  });

  it("uses the widget's connection, not a second one", async () => {
    const { socket } = await openPage();
    expect(FakeSocket.instances).toHaveLength(1);
    // The widget's own traffic and the page's topic on one socket.
    expect(socket.sent).toContainEqual({ action: "getMetrics" });
    expect(socket.sent).toContainEqual({ action: "subscribe", topic: "visualization:v1" });
  });

  it("stops showing the chart when the visualization is unshared", async () => {
    const { socket } = await openPage();
    const listCalls = api.sent.filter((s) => s.url === "/api/visualizations").length;
    act(() => socket.receive(JSON.stringify({ type: "visualization-removed", data: { visualizationId: "v1", reason: "unshared" } })));
    expect(await screen.findByTestId("viz-error")).toHaveTextContent("no longer shared");
    expect(screen.queryByRole("img", { name: "Latency under 2 s" })).toBeNull();
    expect(socket.sent.at(-1)).toEqual({ action: "unsubscribe", topic: "visualization:v1" });
    await waitFor(() => expect(api.sent.filter((s) => s.url === "/api/visualizations").length).toBe(listCalls + 1));
  });

  it("ignores the removal of another visualization", async () => {
    const { socket } = await openPage();
    act(() => socket.receive(JSON.stringify({ type: "visualization-removed", data: { visualizationId: "v2", reason: "deleted" } })));
    expect(screen.queryByTestId("viz-error")).toBeNull();
    expect(screen.getByRole("img", { name: "Latency under 2 s" })).toBeInTheDocument();
  });

  it("loads more of the list, page by page", async () => {
    api.more = [2, 3, 4, 5].map((n) => ({ ...VIZ, id: `v${n}`, name: `Chart ${n}` }));
    renderPage();
    const list = await screen.findByTestId("viz-list");
    await waitFor(() => expect(list.querySelectorAll("li")).toHaveLength(2));
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    // The second page repeats v2 (as a page boundary may): it is listed once.
    await waitFor(() => expect(list.querySelectorAll("li")).toHaveLength(4));
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(list.querySelectorAll("li")).toHaveLength(5));
    expect([...list.querySelectorAll("li")].map((li) => li.textContent?.split("normal")[0])).toEqual([
      "Latency under 2 s",
      "Chart 2",
      "Chart 3",
      "Chart 4",
      "Chart 5",
    ]);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });
});
