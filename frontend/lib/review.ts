// The review API: corrections and status changes (PATCH with If-Match), the change history, and
// the export download. Only the invoice pages import this module.

import { ApiError, apiFetch, errorMessage, readJson } from "./api";
import type { Conflict, ExportLink, HistoryPage, InvoicePatch, InvoiceSummary, PageImages } from "./contract.gen";
import { FIELD_NAMES, type FieldName } from "./types";

export type { HistoryEntry, HistoryPage, InvoicePatch, PageImage, PageImages } from "./contract.gen";

/** A 400 whose message names a field ("total: at most 2 decimals"): shown next to that field. */
export class FieldError extends ApiError {
  constructor(
    message: string,
    readonly field: FieldName,
  ) {
    super(message, 400);
    this.name = "FieldError";
  }
}

/** A 409: the invoice changed since the version the edits started from, or it is approved. */
export class ConflictError extends ApiError {
  constructor(
    message: string,
    /** The invoice as it is now; null when the server did not say (the caller fetches it). */
    readonly current: InvoiceSummary | null,
  ) {
    super(message, 409);
    this.name = "ConflictError";
  }
}

/** The field a 400 message starts with, if it names one. */
export function fieldOfError(message: string): FieldName | null {
  const name = /^(\w+):/.exec(message)?.[1];
  return name && (FIELD_NAMES as readonly string[]).includes(name) ? (name as FieldName) : null;
}

/** PATCH /api/invoices/<id> with `If-Match: <version>`; the new invoice, or a typed error. */
export async function patchInvoice(id: string, version: number, patch: InvoicePatch): Promise<InvoiceSummary> {
  const response = await apiFetch(`/api/invoices/${encodeURIComponent(id)}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json", "If-Match": String(version) },
    body: JSON.stringify(patch),
  });
  const body = await readJson(response);
  if (response.ok && body && typeof body === "object") return body as InvoiceSummary;
  const message = errorMessage(response.status, body);
  if (response.status === 409) {
    const current = (body as Partial<Conflict> | undefined)?.current;
    throw new ConflictError(message, current && typeof current === "object" ? current : null);
  }
  if (response.status === 400) {
    const field = fieldOfError(message);
    if (field) throw new FieldError(message, field);
  }
  throw new ApiError(message, response.status);
}

/** One page of an invoice's history, newest first. */
export async function getHistory(id: string, cursor?: string | null, limit = 20): Promise<HistoryPage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  const response = await apiFetch(`/api/invoices/${encodeURIComponent(id)}/history?${query}`);
  const body = await readJson(response);
  if (!response.ok) throw new ApiError(errorMessage(response.status, body), response.status);
  if (!body || typeof body !== "object" || !Array.isArray((body as HistoryPage).items)) {
    throw new ApiError("The server sent an answer that could not be read.", response.status);
  }
  return body as HistoryPage;
}

export interface ExportParams {
  format: "csv" | "json";
  status?: string;
  /** YYYY-MM-DD, inclusive. */
  from?: string;
  to?: string;
}

/** The browser side of a download, injectable for tests. */
export interface Downloader {
  /** Saves a blob under `fileName` (object URL + `<a download>`). */
  saveBlob(blob: Blob, fileName: string): void;
  /** Opens a presigned URL (no token: its signature is its authorisation). */
  openUrl(url: string, fileName: string): void;
}

function clickLink(href: string, fileName: string): void {
  const link = document.createElement("a");
  link.href = href;
  link.download = fileName;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
}

export const browserDownloader: Downloader = {
  saveBlob(blob, fileName) {
    const url = URL.createObjectURL(blob);
    clickLink(url, fileName);
    // The click has started the download; the URL can go once the event loop moves on.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
  openUrl(url, fileName) {
    clickLink(url, fileName);
  },
};

/** `filename="…"` (or RFC 5987 `filename*=UTF-8''…`) of a Content-Disposition header. */
export function dispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // fall through to the plain name
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(header)?.[1]?.trim() ?? null;
}

function isLink(body: unknown): body is ExportLink {
  return !!body && typeof body === "object" && typeof (body as ExportLink).url === "string" && !("items" in body);
}

/**
 * GET /api/export and save the file: the answer itself (a blob), or, for a large export, the
 * presigned URL the server answered with, opened directly. Resolves with the file name.
 */
export async function downloadExport(params: ExportParams, downloader: Downloader = browserDownloader): Promise<string> {
  const query = new URLSearchParams({ format: params.format });
  if (params.status) query.set("status", params.status);
  if (params.from) query.set("from", params.from);
  if (params.to) query.set("to", params.to);
  const response = await apiFetch(`/api/export?${query}`, { headers: { Accept: "*/*" } });
  if (!response.ok) throw new ApiError(errorMessage(response.status, await readJson(response)), response.status);
  const fallback = `invoices.${params.format}`;
  const fileName = dispositionFileName(response.headers.get("Content-Disposition"));
  const type = response.headers.get("Content-Type") ?? "";
  // A JSON export is JSON too: the link is the JSON answer without Content-Disposition that has a url.
  if (!fileName && type.includes("application/json")) {
    const body = await readJson(response);
    if (isLink(body)) {
      downloader.openUrl(body.url, body.fileName || fallback);
      return body.fileName || fallback;
    }
    downloader.saveBlob(new Blob([JSON.stringify(body)], { type: "application/json" }), fallback);
    return fallback;
  }
  downloader.saveBlob(await response.blob(), fileName ?? fallback);
  return fileName ?? fallback;
}

/** GET /api/invoices/<id>/pages: presigned URLs of the page images (rendered on first ask). */
export async function getPages(id: string, signal?: AbortSignal): Promise<PageImages> {
  const response = await apiFetch(`/api/invoices/${encodeURIComponent(id)}/pages`, { signal });
  const body = await readJson(response);
  if (!response.ok) throw new ApiError(errorMessage(response.status, body), response.status);
  if (!body || typeof body !== "object" || !Array.isArray((body as PageImages).pages)) {
    throw new ApiError("The server sent an answer that could not be read.", response.status);
  }
  return body as PageImages;
}
