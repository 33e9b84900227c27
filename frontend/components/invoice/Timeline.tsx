"use client";

import { useEffect, useState } from "react";
import { type User, useSession } from "@/lib/auth/state";
import { displayValue } from "@/lib/fieldEdit";
import { FIELD_LABELS, formatAge, formatDateTime } from "@/lib/format";
import { type HistoryEntry, getHistory } from "@/lib/review";
import type { FieldName } from "@/lib/types";
import { useNow } from "@/lib/useNow";

const PAGE_SIZE = 20;

interface Listing {
  /** The invoice and version these entries answer. */
  key: string;
  items: HistoryEntry[];
  nextCursor: string | null;
  error: string | null;
  loading: boolean;
}

function label(field: string): string {
  return FIELD_LABELS[field as FieldName] ?? field;
}

/** "changed Total from 93.50 to 123.45", "approved the invoice", … (without the person). */
export function describeChange(entry: HistoryEntry): string {
  if (entry.field === "status") {
    if (entry.new === "approved") return "approved the invoice";
    if (entry.new === "rejected") return `rejected the invoice${entry.reason ? `: “${entry.reason}”` : ""}`;
    if (entry.new === "needs-review" && (entry.old === "approved" || entry.old === "rejected")) {
      return "re-opened the invoice for review";
    }
    return `set the status to ${String(entry.new)}`;
  }
  const name = label(entry.field);
  const from = displayValue(entry.field, entry.old);
  const to = displayValue(entry.field, entry.new);
  if (entry.old === null || entry.old === undefined) return `set ${name} to ${to}`;
  if (entry.new === null || entry.new === undefined) return `removed ${name} (was ${from})`;
  return `changed ${name} from ${from} to ${to}`;
}

function who(entry: HistoryEntry, me: User | null, names: Record<string, string>): string {
  // The signed-in person's own changes carry their name; the record keeps only the e-mail address,
  // so another person's name is known while they are on the page (presence), else the address.
  if (me && entry.by.sub === me.sub) return me.name;
  return names[entry.by.sub] ?? entry.by.email;
}

/** The invoice's changes, newest first, paged by cursor; reloaded whenever `version` moves. */
export function Timeline({
  invoiceId,
  version,
  names = {},
}: {
  invoiceId: string;
  version: number;
  /** Names of people by `sub` (whoever is on the page now), for entries that are not mine. */
  names?: Record<string, string>;
}) {
  const session = useSession();
  const me = session.status === "signed-in" ? session.user : null;
  const now = useNow(30_000);
  const key = `${invoiceId}@${version}`;
  const [listing, setListing] = useState<Listing>({ key: "", items: [], nextCursor: null, error: null, loading: true });

  useEffect(() => {
    let stale = false;
    getHistory(invoiceId, null, PAGE_SIZE)
      .then((page) => {
        if (!stale) setListing({ key, items: page.items, nextCursor: page.nextCursor, error: null, loading: false });
      })
      .catch((error: unknown) => {
        if (!stale) setListing({ key, items: [], nextCursor: null, error: (error as Error).message, loading: false });
      });
    return () => {
      stale = true;
    };
  }, [invoiceId, key]);

  const loadMore = () => {
    const { nextCursor } = listing;
    setListing((l) => ({ ...l, loading: true, error: null }));
    getHistory(invoiceId, nextCursor, PAGE_SIZE)
      .then((page) =>
        setListing((l) =>
          l.key === key ? { ...l, items: [...l.items, ...page.items], nextCursor: page.nextCursor, loading: false } : l,
        ),
      )
      .catch((error: unknown) => setListing((l) => ({ ...l, error: (error as Error).message, loading: false })));
  };

  const current = listing.key === key;
  const loading = listing.loading || !current;
  return (
    <section aria-labelledby="timeline-heading" className="flex flex-col gap-2">
      <h2 id="timeline-heading" className="text-lg font-semibold">
        History
      </h2>
      <div aria-live="polite" aria-busy={loading} className="flex flex-col gap-2">
        {listing.error && (
          <p data-testid="timeline-error" role="alert" className="text-sm text-red-700 dark:text-red-300">
            {listing.error}
          </p>
        )}
        {current && !listing.loading && !listing.error && listing.items.length === 0 && (
          <p data-testid="timeline-empty" className="text-sm text-slate-600 dark:text-slate-400">
            No changes yet: the fields are as the reader found them.
          </p>
        )}
        {current && listing.items.length > 0 && (
          <ol data-testid="timeline" className="flex flex-col gap-1.5 border-l-2 border-slate-200 pl-3 dark:border-slate-700">
            {listing.items.map((entry) => (
              <li
                key={`${entry.version}-${entry.field}`}
                data-testid="timeline-entry"
                data-field={entry.field}
                className="text-sm"
              >
                <span data-testid="timeline-who" className="font-medium" title={entry.by.email}>
                  {who(entry, me, names)}
                </span> {describeChange(entry)}
                <span className="text-slate-600 dark:text-slate-400">
                  {" · "}
                  <time dateTime={new Date(entry.at).toISOString()} title={formatDateTime(entry.at)}>
                    {formatAge(Math.max(0, now - entry.at) / 1000)}
                  </time>
                </span>
              </li>
            ))}
          </ol>
        )}
        {loading && <p className="text-sm text-slate-600 dark:text-slate-400">Loading history…</p>}
        {!loading && listing.nextCursor && (
          <button
            type="button"
            data-testid="timeline-more"
            onClick={loadMore}
            className="self-start rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800"
          >
            Load older changes
          </button>
        )}
      </div>
    </section>
  );
}
