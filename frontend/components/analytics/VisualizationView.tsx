"use client";

// One open visualization: its chart, parameters, history, presence and export. The page holds
// two sets of parameters: `params` (what this page has set: the panel shows them) and `shown`
// (what the chart draws: the same, or on its way there while someone else's change animates).
// Changes are saved one request at a time with the version they were made on; a 409 replaces
// them with the server's current state.

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { animateParams } from "@/lib/analytics/animate";
import { getData, getHistory, postParameters, VersionConflict } from "@/lib/analytics/api";
import { normalParams, parseChartData } from "@/lib/analytics/data";
import { parametersAt } from "@/lib/analytics/history";
import { gridStep } from "@/lib/analytics/math";
import type { ChartData, HistoryItem, NormalParams, Parameters, Visualization } from "@/lib/analytics/types";
import { type ParamsUpdate, type RemovedReason, useVisualizationLive } from "@/lib/analytics/useVisualizationLive";
import { allows, useSession } from "@/lib/auth/state";
import { ExportMenu } from "./ExportMenu";
import { HistoryList } from "./HistoryList";
import { NormalChart } from "./NormalChart";
import { HistogramChart, ScatterChart, SeriesChart } from "./OtherCharts";
import { type NumericRanges, ParametersPanel } from "./ParametersPanel";
import { Presence } from "./Presence";

/** Typing in the panel saves this long after the last keystroke; a drag saves when it ends. */
export const SAVE_DEBOUNCE_MS = 400;

/** The keys of `next` that differ from `saved`, a removed key as null (the server's reset). */
export function changedParameters(saved: Parameters, next: Parameters): Parameters {
  const diff: Parameters = {};
  for (const key of new Set([...Object.keys(saved), ...Object.keys(next)])) {
    const after = next[key] ?? null;
    if (JSON.stringify(saved[key] ?? null) !== JSON.stringify(after)) diff[key] = after;
  }
  return diff;
}

const DRAWN = new Set(["mean", "stdDev", "k", "target"]);

function who(by: unknown): string {
  if (by && typeof by === "object") {
    const rec = by as Record<string, unknown>;
    for (const key of ["name", "email", "sub"]) if (typeof rec[key] === "string" && rec[key]) return rec[key] as string;
  }
  return "someone";
}

interface ViewProps {
  initial: Visualization;
  /** The server took this person out of the topic: the visualization was unshared or deleted. */
  onRemoved?: (reason: RemovedReason) => void;
}

export function VisualizationView({ initial, onRemoved }: ViewProps) {
  const session = useSession();
  const canEdit = allows(session, "reviewer");
  const self = session.status === "signed-in" ? session.user.sub : null;
  const id = initial.id;

  const [viz, setViz] = useState(initial);
  const [params, setParams] = useState<Parameters>(initial.parameters);
  const [shown, setShown] = useState<Parameters>(initial.parameters);
  const [data, setData] = useState<ChartData | null>(null);
  const [dataError, setDataError] = useState<string | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  const [notice, setNotice] = useState<{ text: string; tone: "info" | "error" } | null>(null);
  const [saving, setSaving] = useState(false);

  const svgRef = useRef<SVGSVGElement>(null);
  // What the server has (parameters and version): the base of every save.
  const savedRef = useRef({ parameters: initial.parameters, version: initial.version });
  const paramsRef = useRef(initial.parameters);
  const shownRef = useRef(initial.parameters);
  const stopAnimation = useRef<() => void>(() => {});
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const inFlight = useRef(false);
  const again = useRef(false);
  const dataRequest = useRef<AbortController | null>(null);

  const show = useCallback((next: Parameters) => {
    shownRef.current = next;
    setShown(next);
  }, []);

  const loadData = useCallback(() => {
    dataRequest.current?.abort();
    const controller = new AbortController();
    dataRequest.current = controller;
    getData(id, controller.signal)
      .then((answer) => {
        setData(parseChartData(answer));
        setDataError(null);
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setDataError((error as Error).message);
      });
  }, [id]);

  const loadHistory = useCallback(() => {
    getHistory(id)
      .then(setHistory)
      .catch(() => {
        // The history is a side panel: the chart works without it; the next change retries.
      });
  }, [id]);

  useEffect(() => {
    loadData();
    loadHistory();
    return () => dataRequest.current?.abort();
  }, [loadData, loadHistory]);

  useEffect(
    () => () => {
      stopAnimation.current();
      if (saveTimer.current) clearTimeout(saveTimer.current);
    },
    [],
  );

  /** The server's state replaces this page's (after a conflict or someone else's change). */
  const adopt = useCallback(
    (parameters: Parameters, version: number, animate: boolean) => {
      savedRef.current = { parameters, version };
      paramsRef.current = parameters;
      setParams(parameters);
      stopAnimation.current();
      stopAnimation.current = animate ? animateParams(shownRef.current, parameters, show) : (show(parameters), () => {});
      // New data: other bins or measure, or only the server's exact shares for the new curve.
      loadData();
      loadHistory();
    },
    [loadData, loadHistory, show],
  );

  /** One save of what this page has changed since the server's state. */
  const saveOnce = useCallback(async () => {
    const base = savedRef.current;
    const change = changedParameters(base.parameters, paramsRef.current);
    if (!Object.keys(change).length) return;
    try {
      const saved = await postParameters(id, change, base.version);
      savedRef.current = { parameters: saved.parameters, version: saved.version };
      setViz(saved);
      setNotice(null);
      // The server's normalised values, unless this page has moved on meanwhile.
      if (!Object.keys(changedParameters(paramsRef.current, { ...base.parameters, ...change })).length) {
        paramsRef.current = saved.parameters;
        setParams(saved.parameters);
        if (!Object.keys(change).every((key) => DRAWN.has(key))) show(saved.parameters);
      }
      loadData();
      loadHistory();
    } catch (error) {
      if (error instanceof VersionConflict) {
        setViz(error.current);
        adopt(error.current.parameters, error.current.version, true);
        setNotice({ text: "Someone else changed this visualization first; it now shows their version.", tone: "info" });
      } else {
        // Refused (400 names the parameter) or not saved: back to what the server has.
        paramsRef.current = base.parameters;
        setParams(base.parameters);
        show(base.parameters);
        setNotice({ text: (error as Error).message, tone: "error" });
      }
    }
  }, [id, adopt, loadData, loadHistory, show]);

  /** One request at a time: a change made meanwhile is saved after it, on the new version. */
  const flush = useCallback(async () => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    inFlight.current = true;
    setSaving(true);
    try {
      do {
        again.current = false;
        await saveOnce();
      } while (again.current);
    } finally {
      inFlight.current = false;
      setSaving(false);
    }
  }, [saveOnce]);

  const scheduleSave = useCallback(
    (delay: number) => {
      if (saveTimer.current) clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(() => {
        saveTimer.current = null;
        void flush();
      }, delay);
    },
    [flush],
  );

  /** This page's change: drawn at once (no animation), saved after `delay` (null: not yet). */
  const edit = useCallback(
    (patch: Parameters, delay: number | null) => {
      const next = { ...paramsRef.current, ...patch };
      for (const [key, value] of Object.entries(patch)) if (value === null) delete next[key];
      paramsRef.current = next;
      setParams(next);
      stopAnimation.current();
      show(next);
      if (delay !== null) scheduleSave(delay);
    },
    [scheduleSave, show],
  );

  const onParams = useCallback(
    (update: ParamsUpdate) => {
      if (update.version <= savedRef.current.version) return;
      setViz((current) => ({ ...current, parameters: update.parameters, version: update.version }));
      adopt(update.parameters, update.version, true);
      setNotice({ text: `${who(update.by)} changed the parameters (v${update.version}).`, tone: "info" });
    },
    [adopt],
  );
  const live = useVisualizationLive(id, onParams, onRemoved);

  const restore = (version: number) => {
    const earlier = parametersAt(savedRef.current.parameters, history, version);
    edit(changedParameters(paramsRef.current, earlier), 0);
  };

  const normal: { shown: NormalParams; effective: NormalParams } | null = useMemo(
    () => (viz.type === "normal" ? { shown: normalParams(shown, data), effective: normalParams(params, data) } : null),
    [viz.type, shown, params, data],
  );
  const ranges: NumericRanges | null = useMemo(() => {
    if (data?.type !== "normal") return null;
    const lo = Math.min(data.bins[0]?.x0 ?? data.fit.mean, data.fit.mean - 4 * data.fit.stdDev);
    const hi = Math.max(data.bins.at(-1)?.x1 ?? data.fit.mean, data.fit.mean + 4 * data.fit.stdDev);
    return { mean: [lo, hi], stdDev: [0, hi - lo], step: gridStep(lo, hi) };
  }, [data]);

  const chartProps = { title: viz.name, cursors: live.cursors, onCursor: live.sendCursor, svgRef };
  let chart: React.ReactNode = <p aria-busy="true">Loading the data…</p>;
  if (dataError) chart = <p role="alert">The data could not be loaded: {dataError}</p>;
  else if (data?.type === "normal" && normal) {
    chart = (
      <NormalChart
        {...chartProps}
        data={data}
        params={normal.shown}
        editable={canEdit}
        onChange={(patch) => edit(patch, null)}
        onCommit={() => scheduleSave(0)}
      />
    );
  } else if (data?.type === "histogram") chart = <HistogramChart {...chartProps} data={data} measure={String(shown.measure ?? "")} />;
  else if (data?.type === "series") chart = <SeriesChart {...chartProps} data={data} measure={String(shown.measure ?? "")} />;
  else if (data?.type === "scatter") chart = <ScatterChart {...chartProps} data={data} />;

  return (
    <section className="flex flex-col gap-4" aria-labelledby="viz-name" data-testid="visualization" data-version={viz.version}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 id="viz-name" className="text-lg font-semibold">
            {viz.name}
          </h2>
          <p className="text-xs text-slate-500">
            {viz.type} · {viz.shared ? "shared" : "private"} · v{viz.version}
            {saving ? " · saving…" : ""}
          </p>
        </div>
        <Presence viewers={live.viewers} self={self} connected={live.connected} />
      </div>
      {notice && (
        <p
          role={notice.tone === "error" ? "alert" : "status"}
          className={`rounded-md px-3 py-2 text-sm ${notice.tone === "error" ? "bg-red-50 text-red-800" : "bg-sky-50 text-sky-900"}`}
          data-testid="viz-notice"
        >
          {notice.text}
        </p>
      )}
      {data?.truncated && <p className="text-xs text-amber-700">More than 10,000 invoices in the range: only the first 10,000 are shown.</p>}
      <div className="flex flex-col gap-6">
        <div className="flex min-w-0 flex-col gap-3">
          {chart}
          <ExportMenu name={viz.name} data={data} svg={svgRef} />
        </div>
        <div className="grid gap-6 md:grid-cols-2">
          <ParametersPanel
            type={viz.type}
            params={params}
            effective={normal ? { mean: normal.effective.mean, stdDev: normal.effective.stdDev, k: normal.effective.k } : {}}
            ranges={ranges}
            disabled={!canEdit}
            onChange={(patch) => edit(patch, SAVE_DEBOUNCE_MS)}
          />
          <div className="flex flex-col gap-2">
            <h3 className="text-sm font-semibold">History</h3>
            <HistoryList items={history} onRestore={restore} canRestore={canEdit} />
          </div>
        </div>
      </div>
    </section>
  );
}
