import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiError, errorMessage, getInvoice, listInvoices } from "@/lib/api";
import { loadConfig, resetConfigForTests, resolveConfig } from "@/lib/config";
import { formatAge, formatAmount, formatBytes, formatDate, formatLatency } from "@/lib/format";
import { fakeFetch } from "./fakes";

beforeEach(() => resetConfigForTests());
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe("config", () => {
  it("loads /config.json once", async () => {
    const fetch = vi.fn(fakeFetch({ apiUrl: "https://api.example/", wsUrl: "wss://ws.example/prod", maxUploadBytes: 1000 }));
    vi.stubGlobal("fetch", fetch);
    const [a, b] = await Promise.all([loadConfig(), loadConfig()]);
    expect(a).toBe(b);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(a).toMatchObject({ apiUrl: "https://api.example", wsUrl: "wss://ws.example/prod", maxUploadBytes: 1000 });
    expect(a.wsHeartbeatMs).toBe(300_000);
    expect(a.maxLargeUploadBytes).toBe(20_000_000); // not in this config.json: the default
  });

  it("falls back to the build-time env when /config.json is missing", async () => {
    vi.stubEnv("NEXT_PUBLIC_API_URL", "http://127.0.0.1:8000");
    vi.stubEnv("NEXT_PUBLIC_WS_URL", "ws://127.0.0.1:8000/ws");
    vi.stubGlobal("fetch", async () => new Response("", { status: 404 }));
    expect(await loadConfig()).toMatchObject({
      apiUrl: "http://127.0.0.1:8000",
      wsUrl: "ws://127.0.0.1:8000/ws",
      maxUploadBytes: 4_500_000,
    });
  });

  it("derives the WebSocket URL from the page when nothing sets it", () => {
    expect(resolveConfig({}).wsUrl).toBe(`ws://${location.host}/ws`);
  });

  it("takes the optional heartbeat and reconnect cap in seconds and ignores junk", () => {
    expect(resolveConfig({ wsHeartbeatSeconds: 60, wsReconnectMaxSeconds: 5 })).toMatchObject({
      wsHeartbeatMs: 60_000,
      wsReconnectMaxMs: 5000,
    });
    expect(resolveConfig({ maxLargeUploadBytes: 30_000_000 }).maxLargeUploadBytes).toBe(30_000_000);
    expect(resolveConfig({ maxUploadBytes: -1, maxLargeUploadBytes: "big", wsHeartbeatSeconds: "soon" })).toMatchObject({
      maxUploadBytes: 4_500_000,
      maxLargeUploadBytes: 20_000_000,
      wsHeartbeatMs: 300_000,
    });
  });
});

describe("api", () => {
  it("uses the server's error message, or a plain fallback", () => {
    expect(errorMessage(415, { error: "Unsupported media type: text/plain" })).toBe("Unsupported media type: text/plain");
    expect(errorMessage(413, undefined)).toBe("The file is too large.");
    expect(errorMessage(418, { error: "" })).toBe("The server answered with an error (HTTP 418).");
  });

  it("lists invoices with limit, cursor and filter", async () => {
    const fetch = vi.fn(fakeFetch({ apiUrl: "http://api.test" }, { "http://api.test/api/invoices?": [200, { items: [], nextCursor: null }] }));
    vi.stubGlobal("fetch", fetch);
    await listInvoices({ cursor: "abc", q: "  acme " });
    expect(String(fetch.mock.calls[1]?.[0])).toBe("http://api.test/api/invoices?limit=20&cursor=abc&q=acme");
  });

  it("turns a 404 into an ApiError with the server's message", async () => {
    vi.stubGlobal("fetch", fakeFetch({ apiUrl: "" }, { "/api/invoices/": [404, { error: "No invoice with id x" }] }));
    const error = await getInvoice("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, message: "No invoice with id x", retryable: false });
  });

  it("reports an unreachable server", async () => {
    vi.stubGlobal("fetch", async (input: RequestInfo | URL) => {
      if (String(input) === "/config.json") return new Response("{}");
      throw new TypeError("Failed to fetch");
    });
    await expect(getInvoice("x")).rejects.toMatchObject({ status: 0, retryable: true });
  });
});

describe("format", () => {
  it("formats amounts with the invoice currency, and tolerates a bad code", () => {
    expect(formatAmount(1234.5, "EUR")).toMatch(/1,234\.50/);
    expect(formatAmount(1234.5, "EUR")).toContain("€");
    expect(formatAmount(10, "EURO")).toBe("10.00 EURO");
    expect(formatAmount(10)).toBe("10.00");
  });

  it("formats calendar dates without a time-zone shift", () => {
    expect(formatDate("2024-03-01")).toMatch(/Mar 1, 2024/);
    expect(formatDate("March 2024")).toBe("March 2024");
  });

  it("formats latency, sizes and ages", () => {
    expect(formatLatency(812.4)).toBe("812 ms");
    expect(formatLatency(1530)).toBe("1.5 s");
    expect(formatBytes(4_500_000)).toBe("4.5 MB");
    expect(formatBytes(999)).toBe("999 B");
    expect([0, 5, 90, 7200].map(formatAge)).toEqual(["just now", "5 s ago", "1 min ago", "2 h ago"]);
  });
});
