// Typed helpers for the HTTP API. Uploads use XMLHttpRequest: fetch has no upload progress events.
// Files over maxUploadBytes (Lambda's payload limit) go straight to S3 with a presigned POST.
// Every API request carries the id token (`Authorization: Bearer`); a 401 refreshes the session
// once and tries again, a second 401 ends the session (the page then goes to sign-in). The
// request to S3 never carries the token: the presigned fields are its authorisation.

import { sessionStore } from "./auth/state";
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
  401: "Please sign in again.",
  403: "Your role does not allow this.",
  404: "Not found.",
  413: "The file is too large.",
  415: "This file type is not supported.",
  422: "No invoice could be read from this file.",
  503: "The service is busy. Please try again in a moment.",
};

const SIGN_IN = "Please sign in to continue.";
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

/** Sends with the session's token (none without sign-in); without a session, fails unsent. */
async function withAuth<R extends { status: number }>(send: (auth: Record<string, string>) => Promise<R>): Promise<R> {
  const store = await sessionStore();
  const answer = store ? await store.authorized(send) : await send({});
  if (!answer) throw new ApiError(SIGN_IN, 401);
  return answer;
}

/**
 * One request to the API with the session's token; resolves with the answer, whatever its status
 * (a 401 has already been retried once). An unreachable server is an ApiError with status 0.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const { apiUrl } = await loadConfig();
  const send = async (auth: Record<string, string>) => {
    try {
      return await fetch(`${apiUrl}${path}`, {
        ...init,
        headers: { Accept: "application/json", ...(init.headers as Record<string, string> | undefined), ...auth },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new ApiError(UNREACHABLE, 0);
    }
  };
  return withAuth(send);
}

/** The JSON body of an answer (undefined when it is not JSON). */
export async function readJson(response: Response): Promise<unknown> {
  return parseJson(await response.text());
}

/** GET `path`, or POST `payload` as JSON when given. */
async function getJson<T>(path: string, signal?: AbortSignal, payload?: object): Promise<T> {
  const response = await apiFetch(
    path,
    payload
      ? { signal, method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) }
      : { signal },
  );
  const body = await readJson(response);
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

/** POSTs a form with XHR for its upload progress; resolves with the answer, whatever its status. */
function postForm(
  url: string,
  form: FormData,
  { onProgress, signal }: UploadOptions,
  headers: Record<string, string> = {},
): Promise<XMLHttpRequest> {
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new ApiError(UNREACHABLE, 0));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}

/** What POST /api/uploads answers: where and how to post the file to S3. */
interface UploadTicket {
  uploadId: string;
  url: string;
  fields: Record<string, string>;
}

/** Uploads one file and resolves with the processed invoice. */
export async function uploadInvoice(file: File, options: UploadOptions = {}): Promise<InvoiceRecord> {
  const { apiUrl, maxUploadBytes } = await loadConfig();
  const form = new FormData();
  if (file.size <= maxUploadBytes) {
    form.append("file", file, file.name);
    const xhr = await withAuth((auth) => postForm(`${apiUrl}/api/invoices`, form, options, auth));
    const body = parseJson(xhr.responseText);
    if (xhr.status < 200 || xhr.status >= 300) throw new ApiError(errorMessage(xhr.status, body), xhr.status);
    if (!body || typeof body !== "object") throw new ApiError(UNREADABLE, xhr.status);
    return body as InvoiceRecord;
  }
  // Too large for the API's request body: S3 takes the file (the signed fields first, the file
  // last), then the API reads it from there and answers as above.
  const { signal } = options;
  const ticket = await getJson<UploadTicket>("/api/uploads", signal, { fileName: file.name, size: file.size });
  Object.entries(ticket.fields).forEach(([name, value]) => form.append(name, value));
  form.append("file", file, file.name);
  const xhr = await postForm(ticket.url, form, options); // to S3: no token
  if (xhr.status < 200 || xhr.status >= 300) {
    // S3 answers in XML: <Error><Code>…</Code><Message>…</Message></Error>
    const message = /<Message>([^<]+?)\.?<\/Message>/.exec(xhr.responseText)?.[1];
    throw new ApiError(`The upload to storage failed${message ? `: ${message}` : ` (HTTP ${xhr.status})`}.`, xhr.status);
  }
  return getJson<InvoiceRecord>(`/api/uploads/${encodeURIComponent(ticket.uploadId)}/process`, signal, {});
}
