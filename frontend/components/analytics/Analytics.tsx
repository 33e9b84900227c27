"use client";

// The Analytics page: the visualizations this person can see (their own and the shared ones),
// a form to create one, and the open one (`?id=`, also the share link; the server still decides
// who may see it: 404 for a private one of someone else, 403 for a role that may not).

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError } from "@/lib/api";
import { createVisualization, deleteVisualization, getVisualization, listVisualizations } from "@/lib/analytics/api";
import { VISUALIZATION_TYPES, type Visualization, type VisualizationType } from "@/lib/analytics/types";
import type { RemovedReason } from "@/lib/analytics/useVisualizationLive";
import { allows, useSession } from "@/lib/auth/state";
import { VisualizationView } from "./VisualizationView";

const TYPE_LABELS: Record<VisualizationType, string> = {
  normal: "Normal curve over a distribution",
  histogram: "Histogram",
  series: "Time series",
  scatter: "Scatter plot",
};

const DAY_MS = 86_400_000;

/** What a new visualization starts with (the server fills the rest, e.g. the fitted curve). */
export function defaultParameters(type: VisualizationType, now: number): Record<string, unknown> {
  switch (type) {
    case "normal":
      return { measure: "latency", k: 2 };
    case "histogram":
      return { measure: "latency", bins: 20 };
    case "series": {
      const today = Math.floor(now / DAY_MS) * DAY_MS;
      return { measure: "count", interval: "day", from: today - 6 * DAY_MS, to: today + DAY_MS, split: "none" };
    }
    case "scatter":
      return { x: "pages", y: "latency" };
  }
}

/** The message for a visualization that cannot be opened. */
export function openError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 404) return "This visualization does not exist, or it is private to someone else.";
    if (error.status === 403) return `You may not open this visualization: ${error.message}`;
    return error.message;
  }
  return "The visualization could not be loaded.";
}

/** What replaces the chart once the server has taken this person out of its topic. */
export function removedText(reason: RemovedReason): string {
  return reason === "deleted"
    ? "This visualization was deleted."
    : "This visualization is no longer shared: only its owner can see it now.";
}

/** The list's pages so far, the later ones appended (one visualization once, wherever it lands). */
export function appendPage(list: Visualization[], page: Visualization[]): Visualization[] {
  const seen = new Set(list.map((v) => v.id));
  return [...list, ...page.filter((v) => !seen.has(v.id))];
}

function CreateForm({ onCreated }: { onCreated: (viz: Visualization) => void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState<VisualizationType>("normal");
  const [shared, setShared] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    setBusy(true);
    setError(null);
    try {
      onCreated(await createVisualization({ name: name.trim(), type, shared, parameters: defaultParameters(type, Date.now()) }));
      setName("");
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const box = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900";
  return (
    <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-700" aria-label="New visualization">
      <h2 className="text-sm font-semibold">New visualization</h2>
      <label className="flex flex-col gap-1 text-xs font-medium">
        Name
        <input className={box} value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="flex flex-col gap-1 text-xs font-medium">
        Type
        <select className={box} value={type} onChange={(e) => setType(e.target.value as VisualizationType)}>
          {VISUALIZATION_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-2 text-xs font-medium">
        <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
        Shared with everyone who can sign in
      </label>
      <button type="submit" disabled={busy || !name.trim()} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900">
        Create
      </button>
      {error && (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}

function ShareLink({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const url = typeof window === "undefined" ? `/analytics/?id=${id}` : `${window.location.origin}/analytics/?id=${encodeURIComponent(id)}`;
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs">
      <label className="flex items-center gap-2">
        Share link
        <input readOnly value={url} className="w-80 max-w-full rounded border border-slate-300 px-2 py-0.5 font-mono dark:border-slate-600" onFocus={(e) => e.target.select()} />
      </label>
      <button
        type="button"
        className="rounded border border-slate-300 px-2 py-0.5 font-medium dark:border-slate-600"
        onClick={() => void navigator.clipboard?.writeText(url).then(() => setCopied(true), () => setCopied(false))}
      >
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

export function Analytics() {
  const id = useSearchParams().get("id") ?? "";
  const router = useRouter();
  const session = useSession();
  const canCreate = allows(session, "reviewer");
  const self = session.status === "signed-in" ? session.user : null;
  const [list, setList] = useState<Visualization[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const [open, setOpen] = useState<{ id: string; viz?: Visualization; error?: string } | null>(null);

  // The first page again (after a change); "Load more" appends the next ones.
  const refresh = useCallback(() => {
    listVisualizations()
      .then((page) => {
        setList(page.items);
        setNextCursor(page.nextCursor);
        setListError(null);
      })
      .catch((e: unknown) => setListError((e as Error).message));
  }, []);
  useEffect(refresh, [refresh]);

  const loadMore = () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    listVisualizations(nextCursor)
      .then((page) => {
        setList((current) => appendPage(current ?? [], page.items));
        setNextCursor(page.nextCursor);
        setListError(null);
      })
      .catch((e: unknown) => setListError((e as Error).message))
      .finally(() => setLoadingMore(false));
  };

  const removed = useCallback(
    (vizId: string, reason: RemovedReason) => {
      setOpen({ id: vizId, error: removedText(reason) });
      refresh();
    },
    [refresh],
  );

  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    getVisualization(id, controller.signal)
      .then((viz) => setOpen({ id, viz }))
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setOpen({ id, error: openError(e) });
      });
    return () => controller.abort();
  }, [id]);

  const go = (target: string) => router.push(`/analytics/?id=${encodeURIComponent(target)}`);
  const current = open?.id === id ? open : null;
  const canDelete = (viz: Visualization) => session.status === "disabled" || (self !== null && (viz.ownerId === self.sub || self.role === "admin"));

  const remove = async (viz: Visualization) => {
    try {
      await deleteVisualization(viz.id, viz.version);
      router.push("/analytics/");
      refresh();
    } catch (e) {
      setOpen({ id: viz.id, viz, error: (e as Error).message });
    }
  };

  return (
    <div className="flex flex-col gap-6">
      <aside className="grid gap-4 md:grid-cols-[1fr_18rem]">
        <nav aria-label="Visualizations" className="flex flex-col gap-1">
          <h1 className="text-base font-semibold">Analytics</h1>
          {listError && (
            <p role="alert" className="text-xs text-red-700">
              {listError}
            </p>
          )}
          {list === null && !listError && <p className="text-xs text-slate-500">Loading…</p>}
          {list?.length === 0 && <p className="text-xs text-slate-500">No visualizations yet.</p>}
          <ul className="grid gap-1 sm:grid-cols-2" data-testid="viz-list">
            {list?.map((viz) => (
              <li key={viz.id}>
                <Link
                  href={`/analytics/?id=${encodeURIComponent(viz.id)}`}
                  aria-current={viz.id === id ? "page" : undefined}
                  className={`block rounded-md px-2 py-1 text-sm ${viz.id === id ? "bg-slate-900 text-white dark:bg-slate-100 dark:text-slate-900" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
                >
                  {viz.name}
                  <span className="block text-xs opacity-70">
                    {viz.type} · {viz.shared ? "shared" : "private"}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
          {nextCursor && (
            <button
              type="button"
              disabled={loadingMore}
              onClick={loadMore}
              className="self-start rounded border border-slate-300 px-2 py-0.5 text-xs font-medium disabled:opacity-50 dark:border-slate-600"
            >
              {loadingMore ? "Loading…" : "Load more"}
            </button>
          )}
        </nav>
        {canCreate && (
          <CreateForm
            onCreated={(viz) => {
              refresh();
              go(viz.id);
            }}
          />
        )}
      </aside>
      <div className="min-w-0">
        {!id && <p>Pick a visualization from the list{canCreate ? ", or create one" : ""}.</p>}
        {id && !current && <p aria-busy="true">Loading the visualization…</p>}
        {current?.error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="viz-error">
            {current.error}
          </p>
        )}
        {current?.viz && (
          <div className="flex flex-col gap-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <ShareLink id={current.viz.id} />
              {canDelete(current.viz) && (
                <button type="button" className="rounded border border-red-300 px-2 py-0.5 text-xs font-medium text-red-700" onClick={() => void remove(current.viz!)}>
                  Delete
                </button>
              )}
            </div>
            <VisualizationView key={current.viz.id} initial={current.viz} onRemoved={(reason) => removed(current.viz!.id, reason)} />
          </div>
        )}
      </div>
    </div>
  );
}
