"use client";

// The upload page's per-file state: a pure reducer (tested on its own) and a hook that runs
// at most CONCURRENCY uploads at once, so a dropped folder does not flood the OCR backend.

import { useCallback, useEffect, useReducer, useRef } from "react";
import { ApiError, uploadInvoice } from "./api";
import { refusalReason } from "./files";
import type { InvoiceRecord } from "./types";

export const CONCURRENCY = 2;

export type UploadStatus = "refused" | "queued" | "uploading" | "processing" | "done" | "failed";

export interface UploadItem {
  id: string;
  /** Order of arrival: uploads start oldest first. */
  seq: number;
  file: File;
  status: UploadStatus;
  /** Fraction of the file sent, 0–1. */
  progress: number;
  error?: string;
  /** Whether a failed upload may succeed if sent again. */
  retryable?: boolean;
  result?: InvoiceRecord;
}

export type UploadAction =
  | { type: "add"; files: File[]; maxBytes: number }
  | { type: "start"; id: string }
  | { type: "progress"; id: string; fraction: number }
  | { type: "done"; id: string; result: InvoiceRecord }
  | { type: "fail"; id: string; error: string; retryable: boolean }
  | { type: "retry"; id: string }
  | { type: "remove"; id: string };

let nextSeq = 0;

function update(items: UploadItem[], id: string, patch: Partial<UploadItem>): UploadItem[] {
  return items.map((item) => (item.id === id ? { ...item, ...patch } : item));
}

export function uploadReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case "add":
      // Newest first, like the invoice list.
      return [
        ...action.files.map((file): UploadItem => {
          const error = refusalReason(file, action.maxBytes) ?? undefined;
          const seq = ++nextSeq;
          return { id: `upload-${seq}`, seq, file, status: error ? "refused" : "queued", progress: 0, error };
        }),
        ...items,
      ];
    case "start":
      return update(items, action.id, { status: "uploading", progress: 0, error: undefined });
    case "progress":
      // Once the body is sent, the server is still reading the text: say so.
      return update(items, action.id, {
        progress: action.fraction,
        status: action.fraction >= 1 ? "processing" : "uploading",
      });
    case "done":
      return update(items, action.id, { status: "done", progress: 1, result: action.result });
    case "fail":
      return update(items, action.id, { status: "failed", error: action.error, retryable: action.retryable });
    case "retry":
      return update(items, action.id, { status: "queued", progress: 0, error: undefined });
    case "remove":
      return items.filter((item) => item.id !== action.id);
  }
}

/** The items to start now, oldest first, keeping at most CONCURRENCY in flight. */
export function itemsToStart(items: UploadItem[]): UploadItem[] {
  const inFlight = items.filter((i) => i.status === "uploading" || i.status === "processing").length;
  return items
    .filter((i) => i.status === "queued")
    .sort((a, b) => a.seq - b.seq)
    .slice(0, Math.max(0, CONCURRENCY - inFlight));
}

export function useUploadQueue() {
  const [items, dispatch] = useReducer(uploadReducer, []);
  const controllers = useRef(new Map<string, AbortController>());

  useEffect(() => {
    for (const item of itemsToStart(items)) {
      const controller = new AbortController();
      controllers.current.set(item.id, controller);
      dispatch({ type: "start", id: item.id });
      uploadInvoice(item.file, {
        signal: controller.signal,
        onProgress: (fraction) => dispatch({ type: "progress", id: item.id, fraction }),
      })
        .then((result) => dispatch({ type: "done", id: item.id, result }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          const apiError = error instanceof ApiError ? error : new ApiError("The upload failed unexpectedly.", 0);
          dispatch({ type: "fail", id: item.id, error: apiError.message, retryable: apiError.retryable });
        })
        .finally(() => controllers.current.delete(item.id));
    }
  }, [items]);

  // Leaving the page cancels uploads still in flight.
  useEffect(() => {
    const inFlight = controllers.current;
    return () => inFlight.forEach((controller) => controller.abort());
  }, []);

  const add = useCallback((files: File[], maxBytes: number) => dispatch({ type: "add", files, maxBytes }), []);
  const retry = useCallback((id: string) => dispatch({ type: "retry", id }), []);
  const remove = useCallback((id: string) => {
    controllers.current.get(id)?.abort();
    dispatch({ type: "remove", id });
  }, []);

  return { items, add, retry, remove };
}
