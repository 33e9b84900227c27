// The visualizations API (`/api/visualizations…`) over lib/api.ts's authorised fetch.

import { ApiError, apiFetch, errorMessage, readJson } from "../api";
import type { VisualizationData } from "../contract.gen";
import type { HistoryItem, Parameters, Visualization, VisualizationType } from "./types";

/** A 409: someone changed the visualization first; `current` is its state now. */
export class VersionConflict extends ApiError {
  constructor(
    message: string,
    readonly current: Visualization,
  ) {
    super(message, 409);
    this.name = "VersionConflict";
  }
}

const BASE = "/api/visualizations";
const path = (id: string, rest = "") => `${BASE}/${encodeURIComponent(id)}${rest}`;

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await apiFetch(url, {
    ...init,
    headers: init.body ? { "Content-Type": "application/json", ...(init.headers as Record<string, string>) } : init.headers,
  });
  const body = await readJson(response);
  const current = response.status === 409 && body && typeof body === "object" ? (body as { current?: unknown }).current : null;
  if (current && typeof current === "object") throw new VersionConflict(errorMessage(409, body), current as Visualization);
  if (!response.ok) throw new ApiError(errorMessage(response.status, body), response.status);
  return body as T;
}

/** The `items` of a list answer (VisualizationList, ParameterHistoryPage). */
function items<T>(body: unknown): T[] {
  const value = body && typeof body === "object" ? (body as { items?: unknown }).items : undefined;
  return Array.isArray(value) ? (value as T[]) : [];
}

export interface VisualizationPage {
  items: Visualization[];
  /** Asks for the next page (opaque); null at the end. */
  nextCursor: string | null;
}

/** One page of the list, newest created first; `cursor` from the previous page's answer. */
export async function listVisualizations(cursor: string | null = null, signal?: AbortSignal): Promise<VisualizationPage> {
  const body = await call<unknown>(cursor ? `${BASE}?cursor=${encodeURIComponent(cursor)}` : BASE, { signal });
  const next = body && typeof body === "object" ? (body as { nextCursor?: unknown }).nextCursor : null;
  return { items: items<Visualization>(body), nextCursor: typeof next === "string" && next ? next : null };
}

export function getVisualization(id: string, signal?: AbortSignal): Promise<Visualization> {
  return call<Visualization>(path(id), { signal });
}

export interface NewVisualization {
  name: string;
  type: VisualizationType;
  shared: boolean;
  parameters: Parameters;
}

export function createVisualization(body: NewVisualization): Promise<Visualization> {
  return call<Visualization>(BASE, { method: "POST", body: JSON.stringify(body) });
}

export function deleteVisualization(id: string, version: number): Promise<unknown> {
  return call<unknown>(path(id), { method: "DELETE", headers: { "If-Match": String(version) } });
}

/** Changes the parameters only; answers the visualization with its new version (409: stale). */
export function postParameters(id: string, parameters: Parameters, version: number): Promise<Visualization> {
  return call<Visualization>(path(id, "/parameters"), {
    method: "POST",
    headers: { "If-Match": String(version) },
    body: JSON.stringify({ parameters, version }),
  });
}

export function getData(id: string, signal?: AbortSignal): Promise<VisualizationData> {
  return call<VisualizationData>(path(id, "/data"), { signal });
}

/** The newest `limit` parameter changes (newest first). */
export async function getHistory(id: string, signal?: AbortSignal, limit = 50): Promise<HistoryItem[]> {
  return items<HistoryItem>(await call<unknown>(path(id, `/history?limit=${limit}`), { signal }));
}
