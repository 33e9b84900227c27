"use client";

import { useEffect, useRef, useState } from "react";
import { FIELD_LABELS } from "@/lib/format";
import { getPages, type PageImages } from "@/lib/review";
import { FIELD_NAMES, type FieldName, type InvoiceSummary } from "@/lib/types";

const MIN_ZOOM = 0.5;
const MAX_ZOOM = 4;
const STEP = 1.25;

type Load = { id: string; pages?: PageImages["pages"]; error?: string };

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(zoom * 100) / 100));
}

/** The fields that say where they were read, by page. */
function boxesByPage(fields: InvoiceSummary["fields"]) {
  const out = new Map<number, { name: FieldName; box: [number, number, number, number] }[]>();
  for (const name of FIELD_NAMES) {
    const field = fields[name];
    if (!field?.box || !field.page) continue;
    const list = out.get(field.page) ?? [];
    list.push({ name, box: field.box });
    out.set(field.page, list);
  }
  return out;
}

const tool =
  "rounded-md border border-slate-300 px-2 py-1 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800";

/**
 * The invoice's pages as images (rendered by the server, cached in S3, presigned URLs), zoomable
 * with the buttons or Ctrl/⌘ + wheel, with the box of every field drawn over the page it was read
 * from. The selected field's box is highlighted and scrolled into view; clicking a box selects it.
 */
export function DocumentView({
  invoiceId,
  fields,
  selected,
  onSelect,
}: {
  invoiceId: string;
  fields: InvoiceSummary["fields"];
  selected: FieldName | null;
  onSelect: (name: FieldName | null) => void;
}) {
  const [load, setLoad] = useState<Load | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [zoom, setZoom] = useState(1);
  const viewport = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const controller = new AbortController();
    getPages(invoiceId, controller.signal)
      .then((answer) => setLoad({ id: invoiceId, pages: answer.pages }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoad({ id: invoiceId, error: (error as Error).message });
      });
    return () => controller.abort();
  }, [invoiceId, attempt]);

  // Ctrl/⌘ + wheel zooms (a plain wheel scrolls). React's wheel listener is passive: it cannot
  // keep the browser from zooming the whole page, so this one is registered by hand.
  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      setZoom((z) => clampZoom(event.deltaY < 0 ? z * STEP : z / STEP));
    };
    element.addEventListener("wheel", onWheel, { passive: false });
    return () => element.removeEventListener("wheel", onWheel);
  }, [load]);

  useEffect(() => {
    if (!selected) return;
    viewport.current
      ?.querySelector(`[data-box="${selected}"]`)
      ?.scrollIntoView({ block: "center", inline: "center", behavior: "smooth" });
  }, [selected, zoom, load]);

  const current = load?.id === invoiceId ? load : null;
  const boxes = boxesByPage(fields);
  return (
    <section aria-labelledby="document-heading" data-testid="document-view" className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="document-heading" className="text-lg font-semibold">
          Document
        </h2>
        <div role="group" aria-label="Zoom" className="flex items-center gap-1">
          <button type="button" data-testid="zoom-out" className={tool} disabled={zoom <= MIN_ZOOM} onClick={() => setZoom((z) => clampZoom(z / STEP))}>
            −<span className="sr-only"> Zoom out</span>
          </button>
          <button type="button" data-testid="zoom-reset" className={`${tool} w-16 tabular-nums`} onClick={() => setZoom(1)} title="Fit the width">
            <span data-testid="zoom-level">{Math.round(zoom * 100)} %</span>
          </button>
          <button type="button" data-testid="zoom-in" className={tool} disabled={zoom >= MAX_ZOOM} onClick={() => setZoom((z) => clampZoom(z * STEP))}>
            +<span className="sr-only"> Zoom in</span>
          </button>
        </div>
      </div>
      {!current && <p aria-busy="true" className="text-sm text-slate-600 dark:text-slate-400">Rendering the pages…</p>}
      {current?.error && (
        <p data-testid="document-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
          The document cannot be shown: {current.error}
        </p>
      )}
      {current?.pages && (
        <div
          ref={viewport}
          data-testid="document-pages"
          tabIndex={0}
          aria-label="Pages of the invoice (Ctrl + wheel to zoom)"
          className="max-h-[80vh] overflow-auto rounded-lg border border-slate-200 bg-slate-100 p-2 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-700 dark:bg-slate-800"
        >
          <div className="flex flex-col items-start gap-3" style={{ width: `${zoom * 100}%` }}>
            {current.pages.map((page) => (
              <div key={page.page} data-testid="document-page" data-page={page.page} className="relative w-full bg-white shadow">
                {/* eslint-disable-next-line @next/next/no-img-element -- a presigned S3 URL; next/image cannot optimise it in a static export */}
                <img
                  src={page.url}
                  width={page.width}
                  height={page.height}
                  alt={`Page ${page.page} of the invoice`}
                  className="block h-auto w-full select-none"
                  draggable={false}
                  // An expired presigned URL (the page was open > 5 minutes): ask for fresh ones, once.
                  onError={() => attempt === 0 && setAttempt(1)}
                />
                <svg
                  viewBox="0 0 1 1"
                  preserveAspectRatio="none"
                  className="pointer-events-none absolute inset-0 h-full w-full"
                  aria-hidden="true"
                >
                  {(boxes.get(page.page) ?? []).map(({ name, box }) => {
                    const active = name === selected;
                    return (
                      <rect
                        key={name}
                        data-box={name}
                        data-testid={`box-${name}`}
                        data-selected={active ? "true" : undefined}
                        x={box[0] - 0.004}
                        y={box[1] - 0.003}
                        width={box[2] - box[0] + 0.008}
                        height={box[3] - box[1] + 0.006}
                        rx={0.003}
                        vectorEffect="non-scaling-stroke"
                        strokeWidth={active ? 3 : 1.5}
                        className={`pointer-events-auto cursor-pointer ${
                          active ? "fill-amber-300/40 stroke-amber-600" : "fill-sky-400/10 stroke-sky-600/70 hover:fill-sky-400/25"
                        }`}
                        onClick={() => onSelect(active ? null : name)}
                      >
                        <title>{FIELD_LABELS[name]}</title>
                      </rect>
                    );
                  })}
                </svg>
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
