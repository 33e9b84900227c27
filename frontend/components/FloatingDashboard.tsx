"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import { useLiveMetrics } from "@/lib/useLiveMetrics";
import { useNow } from "@/lib/useNow";
import {
  type Corner,
  getPrefs,
  getServerPrefs,
  nextCorner,
  setPrefs,
  subscribePrefs,
} from "@/lib/widgetPrefs";
import { ConnectionStatus } from "./metrics/ConnectionStatus";
import {
  FreshnessLine,
  REFRESH_AFTER_MS,
  freshness,
  hasActivity,
  needsRefresh,
} from "./metrics/Freshness";
import { MetricCards } from "./metrics/MetricCards";
import { Sparkline } from "./metrics/Sparkline";

/** Name of the performance measure from a metrics frame's arrival to the next painted frame. */
export const FRAME_TO_SCREEN_MEASURE = "metrics-frame-to-screen";

const CORNER_CLASS: Record<Corner, string> = {
  "bottom-right": "bottom-3 right-3",
  "bottom-left": "bottom-3 left-3",
  "top-left": "top-3 left-3",
  "top-right": "top-3 right-3",
};

/** Records how long a frame took to reach the screen (read by the end-to-end tests). */
function useFrameToScreenMeasure(receivedAt: number | null) {
  useEffect(() => {
    if (receivedAt === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // rAF runs just before the paint; a task queued from it runs just after.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => {
        performance.clearMeasures(FRAME_TO_SCREEN_MEASURE);
        performance.measure(FRAME_TO_SCREEN_MEASURE, {
          start: receivedAt,
          end: performance.now(),
        });
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [receivedAt]);
}

const buttonClass =
  "rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white";

/** Live metrics of the last 60 s, floating over every page. */
export default function FloatingDashboard() {
  // null on the server and during hydration: the widget appears after it, fixed, moving nothing.
  const prefs = useSyncExternalStore(subscribePrefs, getPrefs, getServerPrefs);
  const { state, refresh, active } = useLiveMetrics();
  const now = useNow(1000, prefs !== null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const refocusToggle = useRef(false);
  useFrameToScreenMeasure(state.receivedAt);
  // `now` ticks once a second: a frame that just arrived is not older than its arrival.
  const fresh = freshness(state, Math.max(now, state.updatedAt ?? 0));
  const askedAt = useRef(Number.NEGATIVE_INFINITY);
  const refreshDue = needsRefresh(state, fresh);
  useEffect(() => {
    // After a quiet minute the 60-s figures have moved on by themselves: ask for a snapshot, at
    // most once a minute and only from a tab someone can see (a hidden one asks when shown).
    if (!refreshDue || document.visibilityState === "hidden") return;
    if (now - askedAt.current < REFRESH_AFTER_MS) return;
    askedAt.current = now;
    refresh();
  }, [refreshDue, now, refresh]);

  useEffect(() => {
    // The toggle is a different button in each state; keep keyboard focus on it.
    if (refocusToggle.current) toggleRef.current?.focus();
    refocusToggle.current = false;
  }, [prefs?.minimised]);

  // Signed out (the sign-in page): no connection, no widget.
  if (!prefs || !active) return null;
  const { metrics } = state;
  const stale = fresh.kind === "stale" || fresh.kind === "reconnecting";

  const toggle = () => {
    refocusToggle.current = true;
    if (prefs.minimised) refresh();
    setPrefs({ minimised: !prefs.minimised });
  };

  const next = nextCorner(prefs.corner);

  return (
    <aside
      aria-label="Live metrics"
      data-testid="metrics-widget"
      data-minimised={prefs.minimised}
      data-corner={prefs.corner}
      className={`fixed z-40 print:hidden ${CORNER_CLASS[prefs.corner]}`}
    >
      {prefs.minimised ? (
        <button
          ref={toggleRef}
          type="button"
          data-testid="widget-toggle"
          aria-expanded={false}
          onClick={toggle}
          className="flex items-center gap-2 rounded-full border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-900 shadow-lg hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-50 dark:hover:bg-slate-800"
        >
          <ConnectionStatus state={state} now={now} compact />
          <span
            data-testid="metrics-pill-total"
            data-freshness={fresh.kind}
            className={`tabular-nums ${stale ? "opacity-60" : ""}`}
          >
            {metrics?.total ?? "—"}
          </span>
          <span className="text-slate-600 dark:text-slate-400">
            {metrics?.total === 1 ? "invoice" : "invoices"} / 60 s
          </span>
          <span className="sr-only">
            {stale ? "(not current) " : ""}Show live metrics
          </span>
        </button>
      ) : (
        <section
          id="metrics-panel"
          className="flex w-[19rem] max-w-[calc(100vw-1.5rem)] flex-col gap-2.5 rounded-xl border border-slate-300 bg-white p-3 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-50"
        >
          <header className="flex items-center justify-between gap-2">
            <div className="flex min-w-0 flex-col gap-0.5">
              <h2 className="text-sm font-semibold">Live metrics</h2>
              <ConnectionStatus state={state} now={now} />
            </div>
            <div className="flex shrink-0 gap-1">
              <button
                type="button"
                data-testid="widget-corner"
                aria-label={`Move to the ${next.replace("-", " ")} corner`}
                title={`Move to the ${next.replace("-", " ")} corner`}
                onClick={() => setPrefs({ corner: next })}
                className={buttonClass}
              >
                <svg
                  aria-hidden="true"
                  viewBox="0 0 16 16"
                  className="size-4 fill-none stroke-current stroke-[1.5]"
                >
                  <rect x="1.5" y="1.5" width="13" height="13" rx="2" />
                  <rect
                    x="8"
                    y="8"
                    width="5"
                    height="5"
                    rx="1"
                    className="fill-current"
                  />
                </svg>
              </button>
              <button
                ref={toggleRef}
                type="button"
                data-testid="widget-toggle"
                aria-expanded={true}
                aria-controls="metrics-panel"
                aria-label="Minimise live metrics"
                title="Minimise"
                onClick={toggle}
                className={buttonClass}
              >
                <svg
                  aria-hidden="true"
                  viewBox="0 0 16 16"
                  className="size-4 stroke-current stroke-[1.5]"
                >
                  <path d="M3 8h10" />
                </svg>
              </button>
            </div>
          </header>

          <MetricCards metrics={metrics} stale={stale} />

          {!hasActivity(metrics) ? (
            <p
              data-testid="metrics-waiting"
              className="rounded-lg border border-dashed border-slate-300 px-2 py-2.5 text-center text-xs text-slate-600 dark:border-slate-700 dark:text-slate-400"
            >
              Process some invoices to see metrics.
            </p>
          ) : (
            metrics?.series &&
            metrics.series.length > 1 && <Sparkline series={metrics.series} />
          )}

          <FreshnessLine value={fresh} />
        </section>
      )}
    </aside>
  );
}
