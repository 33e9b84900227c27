"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { getInvoice } from "@/lib/api";
import { useSession } from "@/lib/auth/state";
import type { Viewer } from "@/lib/contract.gen";
import { useTopic } from "@/lib/liveChannel";
import type { ServerMessage } from "@/lib/realtime";
import { formatBytes, formatDateTime, formatPercent } from "@/lib/format";
import type { FieldName, InvoiceRecord, InvoiceSummary } from "@/lib/types";
import { DetectedText } from "./DetectedText";
import { DocumentView } from "./DocumentView";
import { PresenceBar } from "./PresenceBar";
import { InvoiceReview } from "./InvoiceReview";
import { ProcessingStats } from "./ProcessingStats";
import { StatusBadge } from "./StatusBadge";
import { Timeline } from "./Timeline";

type Load = { id: string; invoice?: InvoiceRecord; error?: string };

function Segments({ segments }: { segments: NonNullable<InvoiceRecord["textSegments"]> }) {
  return (
    <details className="rounded-lg border border-slate-200 dark:border-slate-700">
      <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-600">
        Text segments ({segments.length})
      </summary>
      <div className="max-h-96 overflow-auto border-t border-slate-200 dark:border-slate-700">
        <table className="w-full text-left text-xs">
          <thead className="sticky top-0 bg-slate-100 dark:bg-slate-800">
            <tr>
              <th scope="col" className="px-3 py-1.5 font-medium">Page</th>
              <th scope="col" className="px-3 py-1.5 font-medium">Text</th>
              <th scope="col" className="px-3 py-1.5 text-right font-medium">Confidence</th>
            </tr>
          </thead>
          <tbody>
            {segments.map((segment, index) => (
              <tr key={index} className="border-t border-slate-100 dark:border-slate-800">
                <td className="px-3 py-1 tabular-nums">{segment.page}</td>
                <td className="break-all px-3 py-1 font-mono">{segment.text}</td>
                <td className="px-3 py-1 text-right tabular-nums">{formatPercent(segment.confidence * 100, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/**
 * The live side of the page: subscribes to `invoice:<id>` on the tab's one WebSocket; presence
 * lists the other viewers, `invoice-updated` with a newer version reloads the invoice in place.
 */
function useLiveInvoice(id: string, version: number | undefined, reload: (version: number) => void) {
  const session = useSession();
  // Without sign-in (AUTH_MODE=none) every viewer's sub is "": nobody can be told apart, so no avatars.
  const me = session.status === "signed-in" ? session.user.sub : session.status === "disabled" ? "" : null;
  const topic = id ? `invoice:${id}` : null;
  const [presence, setPresence] = useState<{ topic: string; viewers: Viewer[] } | null>(null);
  const latest = useRef(version);
  useEffect(() => {
    latest.current = version;
  }, [version]);
  const onMessage = useCallback(
    (message: ServerMessage) => {
      if (message.type === "presence" && message.topic === topic) {
        setPresence({ topic, viewers: message.viewers });
      } else if (message.type === "invoice-updated" && message.data.invoiceId === id) {
        // At least once, possibly out of order: only a newer version is worth a reload.
        if (latest.current === undefined || message.data.version > latest.current) reload(message.data.version);
      }
    },
    [id, topic, reload],
  );
  const client = useTopic(topic, onMessage);
  const viewers = useMemo(() => (presence?.topic === topic ? presence.viewers : []), [presence, topic]);
  const others = useMemo(() => viewers.filter((v) => v.sub !== me), [viewers, me]);
  const focus = useCallback((field: FieldName | null) => topic && client?.focus(topic, field), [client, topic]);
  return { others, all: viewers, live: client !== null, focus };
}

/** One invoice, chosen by `?id=` (the export is static, so no dynamic route). */
export function InvoiceDetail() {
  const id = useSearchParams().get("id") ?? "";
  const [load, setLoad] = useState<Load | null>(null);
  const [selected, setSelected] = useState<FieldName | null>(null);

  // A live update: fetch the invoice again (the update names the changes, the GET has the rest:
  // sources, reviewer, measured accuracy) and keep the text segments loaded with the page.
  const reload = useCallback(
    (version: number) => {
      const attempt = (retries: number) => {
        getInvoice(id)
          .then((next) => {
            // A read may lag the stream that announced the change (DynamoDB reads are eventually
            // consistent): ask again shortly rather than keep the old version as current.
            if ((next.version ?? 1) < version && retries > 0) setTimeout(() => attempt(retries - 1), 500);
            setLoad((l) =>
              l?.id === id && l.invoice && (next.version ?? 1) > (l.invoice.version ?? 1)
                ? { ...l, invoice: { ...next, textSegments: l.invoice.textSegments } }
                : l,
            );
          })
          .catch(() => {}); // the page keeps what it shows; the next update or a reload tries again
      };
      attempt(2);
    },
    [id],
  );
  const presence = useLiveInvoice(id, load?.id === id ? load.invoice?.version : undefined, reload);
  const editors = useMemo(() => {
    const out: Partial<Record<FieldName, Viewer[]>> = {};
    for (const viewer of presence.others) {
      if (viewer.editing) (out[viewer.editing as FieldName] ??= []).push(viewer);
    }
    return out;
  }, [presence.others]);
  const names = useMemo(() => Object.fromEntries(presence.all.map((v) => [v.sub, v.name])), [presence.all]);

  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    getInvoice(id, controller.signal)
      .then((invoice) => setLoad({ id, invoice }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setLoad({ id, error: (error as Error).message });
      });
    return () => controller.abort();
  }, [id]);

  const back = (
    <Link href="/invoices/" className="text-sm font-medium text-sky-700 underline underline-offset-2 dark:text-sky-300">
      ← All invoices
    </Link>
  );

  if (!id) {
    return (
      <div className="flex flex-col gap-4">
        {back}
        <p role="alert">No invoice was chosen. Pick one from the list.</p>
      </div>
    );
  }
  const current = load?.id === id ? load : null;
  if (!current) return <p aria-busy="true">Loading invoice…</p>;
  if (current.error || !current.invoice) {
    return (
      <div className="flex flex-col gap-4">
        {back}
        <p data-testid="invoice-error" role="alert" className="text-red-700 dark:text-red-300">
          {current.error}
        </p>
      </div>
    );
  }

  const invoice = current.invoice;
  // A PATCH answers without the text segments: keep the ones loaded with the page.
  const replace = (next: InvoiceSummary) =>
    setLoad((l) => (l?.invoice ? { ...l, invoice: { ...next, textSegments: l.invoice.textSegments } } : l));
  return (
    <article data-testid="invoice-detail" data-invoice-id={invoice.invoiceId} className="flex flex-col gap-5">
      {back}
      <header>
        <h1 className="break-words text-2xl font-semibold">
          {invoice.fields.vendorName?.value ?? "Invoice"}
          {invoice.fields.invoiceNumber && ` · ${invoice.fields.invoiceNumber.value}`}
        </h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          {invoice.fileName} · {invoice.mediaType} · {formatBytes(invoice.sizeBytes)} · received{" "}
          {formatDateTime(invoice.createdAt)}
          {invoice.uploadedBy && <span data-testid="uploaded-by">{` from ${invoice.uploadedBy.email}`}</span>}
        </p>
        <p data-testid="review-status" className="mt-2 flex flex-wrap items-center gap-2 text-sm">
          <StatusBadge status={invoice.status} />
          {invoice.reviewedBy && (
            <span data-testid="reviewed-by" className="text-slate-600 dark:text-slate-400">
              {invoice.status === "rejected" ? "rejected" : "approved"} by {invoice.reviewedBy.email}
            </span>
          )}
          {invoice.measuredAccuracy !== undefined && (
            <span data-testid="measured-accuracy" className="text-slate-600 dark:text-slate-400">
              · measured accuracy {formatPercent(invoice.measuredAccuracy)} (fields people left as read)
            </span>
          )}
        </p>
        {invoice.status === "rejected" && invoice.statusReason && (
          <p data-testid="status-reason" className="mt-1 text-sm">
            <span className="font-medium">Reason:</span> {invoice.statusReason}
          </p>
        )}
        <div className="mt-3">
          <PresenceBar viewers={presence.others} live={presence.live} />
        </div>
      </header>
      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[minmax(0,1.3fr)_minmax(0,1fr)] lg:items-start">
        <DocumentView invoiceId={invoice.invoiceId} fields={invoice.fields} selected={selected} onSelect={setSelected} />
        <div className="flex min-w-0 flex-col gap-5">
          <section aria-labelledby="fields-heading" className="flex flex-col gap-2">
            <h2 id="fields-heading" className="text-lg font-semibold">
              Fields
            </h2>
            <InvoiceReview
              invoice={invoice}
              onChange={replace}
              selected={selected}
              onSelect={setSelected}
              editors={editors}
              onFocusField={presence.focus}
            />
          </section>
          <Timeline invoiceId={invoice.invoiceId} version={invoice.version ?? 1} names={names} />
        </div>
      </div>
      <ProcessingStats invoice={invoice} />
      <DetectedText text={invoice.detectedText} open />
      {invoice.textSegments && invoice.textSegments.length > 0 && <Segments segments={invoice.textSegments} />}
    </article>
  );
}
