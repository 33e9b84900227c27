// Run-time configuration: the page fetches /config.json from its own origin once, so one static
// build serves every environment. Build-time env variables are only a fallback for `next dev`.

import type { ConfigJson } from "./types";

/** Where the page signs people in: `auth` of config.json in mode `cognito` (lib/auth/cognito.ts). */
export type AuthSettings = ConfigJson["auth"] & { mode: "cognito" };

export interface AppConfig {
  /** Base URL of the HTTP API; "" means the page's own origin. */
  apiUrl: string;
  /** WebSocket URL of the live metrics. */
  wsUrl: string;
  /** Files up to this size go to the API in the request body. */
  maxUploadBytes: number;
  /** Larger files, up to this size, go straight to S3 (presigned POST) and are processed from there. */
  maxLargeUploadBytes: number;
  /** Interval of the heartbeat ping; well inside API Gateway's 10-minute idle timeout. */
  wsHeartbeatMs: number;
  /** Cap of the reconnect backoff. */
  wsReconnectMaxMs: number;
  /** Sign-in with Cognito; null = no sign-in (`auth` absent or mode `none`). */
  auth: AuthSettings | null;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 4_500_000;
export const DEFAULT_MAX_LARGE_UPLOAD_BYTES = 20_000_000;
const DEFAULT_HEARTBEAT_MS = 5 * 60_000;
const DEFAULT_RECONNECT_MAX_MS = 30_000;

type RawConfig = Partial<Record<keyof AppConfig | "wsHeartbeatSeconds" | "wsReconnectMaxSeconds", unknown>>;

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function positive(value: unknown): number | undefined {
  const n = typeof value === "string" && value !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

function defaultWsUrl(): string {
  if (typeof location === "undefined") return "";
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws`;
}

/** Normalises a parsed /config.json (or the env fallback, `raw` = {}) into a complete config. */
export function resolveConfig(raw: RawConfig): AppConfig {
  const heartbeatSeconds = positive(raw.wsHeartbeatSeconds);
  const reconnectMaxSeconds = positive(raw.wsReconnectMaxSeconds);
  return {
    apiUrl: (str(raw.apiUrl) ?? process.env.NEXT_PUBLIC_API_URL ?? "").replace(/\/+$/, ""),
    wsUrl: str(raw.wsUrl) || process.env.NEXT_PUBLIC_WS_URL || defaultWsUrl(),
    maxUploadBytes:
      positive(raw.maxUploadBytes) ??
      positive(process.env.NEXT_PUBLIC_MAX_UPLOAD_BYTES) ??
      DEFAULT_MAX_UPLOAD_BYTES,
    maxLargeUploadBytes:
      positive(raw.maxLargeUploadBytes) ??
      positive(process.env.NEXT_PUBLIC_MAX_LARGE_UPLOAD_BYTES) ??
      DEFAULT_MAX_LARGE_UPLOAD_BYTES,
    wsHeartbeatMs: heartbeatSeconds ? heartbeatSeconds * 1000 : DEFAULT_HEARTBEAT_MS,
    wsReconnectMaxMs: reconnectMaxSeconds ? reconnectMaxSeconds * 1000 : DEFAULT_RECONNECT_MAX_MS,
    auth: (raw.auth as AuthSettings | undefined)?.mode === "cognito" ? (raw.auth as AuthSettings) : null,
  };
}

async function fetchConfig(): Promise<AppConfig> {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    if (response.ok) {
      const body: unknown = await response.json();
      if (body && typeof body === "object") return resolveConfig(body as RawConfig);
    }
  } catch {
    // No /config.json (e.g. `next dev`): the env fallback below applies.
  }
  return resolveConfig({});
}

let pending: Promise<AppConfig> | undefined;

/** Loads /config.json once per page load; every caller shares the same promise. */
export function loadConfig(): Promise<AppConfig> {
  pending ??= fetchConfig();
  return pending;
}

/** Forgets the loaded config (tests only). */
export function resetConfigForTests(): void {
  pending = undefined;
}
