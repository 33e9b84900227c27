// Typed helpers for the HTTP API. Uploads use XMLHttpRequest: fetch has no upload progress events.

import { loadConfig } from "./config";
import type { InvoicePage, InvoiceRecord } from "./types";

/** An API failure with a message fit to show to a person. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }

  /** Trying again may help (network trouble, a busy or failing server), unlike a refused file. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: "The server could not read this file.",
  404: "Not found.",
  413: "The file is too large.",
  415: "This file type is not supported.",
  422: "No invoice could be read from this file.",
  503: "The service is busy. Please try again in a moment.",
};

const UNREACHABLE = "Could not reach the server. Check your connection and try again.";
const UNREADABLE = "The server sent an answer that could not be read.";

/** The server's `{"error": "..."}` message, or a plain fallback for the status. */
export function errorMessage(status: number, body: unknown): string {
  if (body && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === "string" && error.trim()) return error.trim();
  }
  return FALLBACK_MESSAGES[status] ?? `The server answered with an error (HTTP ${status}).`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const { apiUrl } = await loadConfig();
  let response: Response;
  try {
    response = await fetch(`${apiUrl}${path}`, { signal, headers: { Accept: "application/json" } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(UNREACHABLE, 0);
  }
  const body = parseJson(await response.text());
  if (!response.ok) throw new ApiError(errorMessage(response.status, body), response.status);
  if (body === undefined) throw new ApiError(UNREADABLE, response.status);
  return body as T;
}

export interface ListInvoicesParams {
  limit?: number;
  cursor?: string | null;
  q?: string;
}

/** One page of invoices, newest first. */
export function listInvoices(
  { limit = 20, cursor, q }: ListInvoicesParams = {},
  signal?: AbortSignal,
): Promise<InvoicePage> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (cursor) query.set("cursor", cursor);
  if (q?.trim()) query.set("q", q.trim());
  return getJson<InvoicePage>(`/api/invoices?${query}`, signal);
}

export function getInvoice(id: string, signal?: AbortSignal): Promise<InvoiceRecord> {
  return getJson<InvoiceRecord>(`/api/invoices/${encodeURIComponent(id)}`, signal);
}

export interface UploadOptions {
  /** Fraction of the request body sent, 0–1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** Uploads one file as multipart field `file`; resolves with the processed invoice. */
export async function uploadInvoice(file: File, { onProgress, signal }: UploadOptions = {}): Promise<InvoiceRecord> {
  const { apiUrl } = await loadConfig();
  signal?.throwIfAborted();
  return new Promise<InvoiceRecord>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${apiUrl}/api/invoices`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = parseJson(xhr.responseText);
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(new ApiError(errorMessage(xhr.status, body), xhr.status));
      } else if (body && typeof body === "object") {
        resolve(body as InvoiceRecord);
      } else {
        reject(new ApiError(UNREADABLE, xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiError(UNREACHABLE, 0));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });

    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
