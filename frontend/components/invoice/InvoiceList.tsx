"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import { getInvoice, listInvoices } from "@/lib/api";
import { useTopic } from "@/lib/liveChannel";
import type { ServerMessage } from "@/lib/realtime";
import { formatDate, formatDateTime, formatFieldValue, formatPercent } from "@/lib/format";
import type { InvoiceSummary } from "@/lib/types";
import { ExportForm } from "./ExportForm";
import { StatusBadge } from "./StatusBadge";

const PAGE_SIZE = 20;
const FILTER_DELAY_MS = 300;

interface Listing {
  /** The filter these items answer. */
  q: string;
  items: InvoiceSummary[];
  nextCursor: string | null;
  error: string | null;
  loading: boolean;
}

function Row({ invoice }: { invoice: InvoiceSummary }) {
  const { fields } = invoice;
  const date = fields.invoiceDate?.value;
  return (
    <li data-testid="invoice-row" data-invoice-id={invoice.invoiceId}>
      <Link
        href={`/invoice/?id=${encodeURIComponent(invoice.invoiceId)}`}
        className="grid grid-cols-2 gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 hover:border-sky-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-center dark:border-slate-800 dark:bg-slate-900 dark:hover:border-sky-400"
      >
        <span className="col-span-2 min-w-0 sm:col-span-1">
          <span className="block truncate font-medium">{fields.vendorName?.value ?? invoice.fileName}</span>
          <span className="block truncate text-xs text-slate-600 dark:text-slate-400">
            {fields.invoiceNumber ? `No. ${fields.invoiceNumber.value} · ` : ""}
            {formatDateTime(invoice.createdAt)}
            {invoice.uploadedBy && <span data-testid="uploaded-by">{` · by ${invoice.uploadedBy.email}`}</span>}
          </span>
        </span>
        <span className="text-sm text-slate-700 dark:text-slate-300">
          {typeof date === "string" ? formatDate(date) : "—"}
        </span>
        <span className="text-right font-medium tabular-nums sm:text-left">
          {fields.total ? formatFieldValue("total", fields.total, fields) : "—"}
        </span>
        <span className="flex items-center gap-2 text-xs text-slate-600 tabular-nums dark:text-slate-400">
          <StatusBadge status={invoice.status} />
          {formatPercent(invoice.measuredAccuracy ?? invoice.accuracy, 0)}{" "}
          {invoice.measuredAccuracy === undefined ? "accurate (est.)" : "accurate (measured)"}
        </span>
      </Link>
    </li>
  );
}

/** `fresh` (a newer first page) merged over `items`: new invoices on top, known ones replaced. */
export function mergeFirstPage(items: InvoiceSummary[], fresh: InvoiceSummary[]): InvoiceSummary[] {
  const byId = new Map(fresh.map((i) => [i.invoiceId, i]));
  const known = new Set(items.map((i) => i.invoiceId));
  return [...fresh.filter((i) => !known.has(i.invoiceId)), ...items.map((i) => byId.get(i.invoiceId) ?? i)];
}

/**
 * Keeps the list live over the tab's WebSocket: the `invoices` topic's `invoice-updated` reloads
 * that row (status, corrected fields); a `metrics-update` whose counts moved means new uploads (or
 * reviews), so the first page is fetched again and merged on top. One reload at a time.
 */
function useLiveList(listing: Listing, setListing: (update: (l: Listing) => Listing) => void) {
  const { q } = listing;
  const last = useRef<string | null>(null);
  const busy = useRef(false);
  const again = useRef(false);
  const items = useRef(listing.items);
  useEffect(() => {
    items.current = listing.items;
  }, [listing.items]);
  const reloadFirstPage = useCallback(() => {
    if (busy.current) {
      again.current = true;
      return;
    }
    busy.current = true;
    const run = (): Promise<void> =>
      listInvoices({ limit: PAGE_SIZE, q })
        .then((page) => setListing((l) => (l.q === q ? { ...l, items: mergeFirstPage(l.items, page.items) } : l)))
        .catch(() => {}) // the list stays as it is; the next update tries again
        .then(() => {
          if (!again.current) return;
          again.current = false;
          return run();
        });
    void run().finally(() => {
      busy.current = false;
    });
  }, [q, setListing]);
  const onMessage = useCallback(
    (message: ServerMessage) => {
      if (message.type === "metrics-update") {
        const { total, needsReview, reviewed, errors } = message.data;
        const counts = `${total}/${needsReview}/${reviewed}/${errors}`;
        // The first snapshot this page sees may already count an upload made since its first page
        // was read (the client's own snapshot came before the page listened): reload then too.
        if (last.current !== counts) reloadFirstPage();
        last.current = counts;
      } else if (message.type === "invoice-updated") {
        const { invoiceId, version } = message.data;
        const row = items.current.find((i) => i.invoiceId === invoiceId);
        if (!row || (row.version ?? 1) >= version) return; // not on screen, or already as new
        getInvoice(invoiceId)
          .then((next) =>
            setListing((l) => ({
              ...l,
              items: l.items.map((i) => (i.invoiceId === invoiceId && (i.version ?? 1) < (next.version ?? 1) ? next : i)),
            })),
          )
          .catch(() => {});
      }
    },
    [reloadFirstPage, setListing],
  );
  useTopic("invoices", onMessage);
}

/** Newest first, filtered with the API's `q`, paged with its cursor; live (see useLiveList). */
export function InvoiceList() {
  const [query, setQuery] = useState("");
  const [q, setQ] = useState("");
  const [listing, setListing] = useState<Listing>({ q: "", items: [], nextCursor: null, error: null, loading: true });
  useLiveList(listing, setListing);

  // Filter as the user types, once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setQ(query.trim()), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [query]);

  // A new filter replaces the list; an answer to an older filter is dropped.
  useEffect(() => {
    const controller = new AbortController();
    listInvoices({ limit: PAGE_SIZE, q }, controller.signal)
      .then((page) => setListing({ q, items: page.items, nextCursor: page.nextCursor, error: null, loading: false }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) {
          setListing({ q, items: [], nextCursor: null, error: (error as Error).message, loading: false });
        }
      });
    return () => controller.abort();
  }, [q]);

  const loadMore = () => {
    const { nextCursor } = listing;
    setListing((l) => ({ ...l, loading: true, error: null }));
    listInvoices({ limit: PAGE_SIZE, q, cursor: nextCursor })
      .then((page) =>
        setListing((l) =>
          l.q === q ? { ...l, items: [...l.items, ...page.items], nextCursor: page.nextCursor, loading: false } : l,
        ),
      )
      .catch((error: unknown) => setListing((l) => ({ ...l, error: (error as Error).message, loading: false })));
  };

  const stale = listing.q !== q;
  const loading = listing.loading || stale;

  return (
    <div className="flex flex-col gap-4">
      <ExportForm />
      <form
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setQ(query.trim());
        }}
      >
        <label htmlFor="invoice-search" className="mb-1 block text-sm font-medium">
          Filter invoices
        </label>
        <input
          id="invoice-search"
          data-testid="invoice-search"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Vendor, number, any text on the invoice"
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:bg-slate-900 dark:placeholder:text-slate-400"
        />
      </form>

      <div aria-live="polite" aria-busy={loading} className="flex flex-col gap-3">
        {listing.error && (
          <p data-testid="invoice-list-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
            {listing.error}
          </p>
        )}
        {!loading && !listing.error && listing.items.length === 0 && (
          <p data-testid="invoice-list-empty" className="text-sm text-slate-600 dark:text-slate-400">
            {q ? `No invoice matches “${q}”.` : "No invoices yet. Upload one to see it here."}
          </p>
        )}
        {!stale && listing.items.length > 0 && (
          <ul data-testid="invoice-list" className="flex flex-col gap-2">
            {listing.items.map((invoice) => (
              <Row key={invoice.invoiceId} invoice={invoice} />
            ))}
          </ul>
        )}
        {loading && <p className="text-sm text-slate-600 dark:text-slate-400">Loading…</p>}
        {!loading && listing.nextCursor && (
          <button
            type="button"
            data-testid="load-more"
            onClick={loadMore}
            className="self-center rounded-md border border-slate-300 px-4 py-2 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            Load more
          </button>
        )}
      </div>
    </div>
  );
}
