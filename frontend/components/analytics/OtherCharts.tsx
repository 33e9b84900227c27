"use client";

// `histogram` (counts per bin), `series` (a measure per UTC hour/day/week, one line per series)
// and `scatter` (one measure against another), in the shared frame: zoom, tooltips, cursors.

import { bisector, extent, least, max } from "d3-array";
import { scaleLinear, scaleUtc } from "d3-scale";
import { line } from "d3-shape";
import { type Ref, useMemo } from "react";
import type { ChartData, SeriesPoint } from "@/lib/analytics/types";
import type { RemoteCursor } from "@/lib/analytics/useVisualizationLive";
import { ChartFrame, PLOT_H, PLOT_W } from "./ChartFrame";
import { fmt } from "./NormalChart";

const COLORS = ["#0369a1", "#c2410c", "#15803d", "#7c3aed", "#be123c", "#a16207", "#0f766e", "#4338ca"];

interface Common {
  title: string;
  cursors: readonly RemoteCursor[];
  onCursor: (x: number, y: number) => void;
  svgRef: Ref<SVGSVGElement>;
}

function pad([lo, hi]: [number, number]): [number, number] {
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

export function HistogramChart({ title, data, measure, ...common }: Common & { data: Extract<ChartData, { type: "histogram" }>; measure: string }) {
  const xBase = useMemo(
    () => scaleLinear().domain(pad([data.bins[0]?.x0 ?? 0, data.bins.at(-1)?.x1 ?? 1])).range([0, PLOT_W]),
    [data],
  );
  const y = useMemo(() => scaleLinear().domain([0, max(data.bins, (b) => b.count) || 1]).range([PLOT_H, 0]).nice(), [data]);
  const biggest = data.bins.reduce((a, b) => (b.count > (a?.count ?? -1) ? b : a), data.bins[0]);
  const summary =
    `${title}: histogram of ${measure} over ${data.n.toLocaleString("en-US")} invoices in ${data.bins.length} bins` +
    (biggest ? `; the fullest bin is ${fmt(biggest.x0)} to ${fmt(biggest.x1)} with ${biggest.count}.` : ".");
  return (
    <ChartFrame
      {...common}
      title={title}
      summary={summary}
      xBase={xBase}
      y={y}
      xLabel={measure + (data.unit ? ` (${data.unit})` : "")}
      yLabel="invoices"
      draw={(x) =>
        data.bins.map((bin) => (
          <rect
            key={bin.x0}
            x={x(bin.x0)}
            width={Math.max(0, x(bin.x1) - x(bin.x0) - 1)}
            y={y(bin.count)}
            height={PLOT_H - y(bin.count)}
            fill="#0284c7"
            data-testid="bar"
          />
        ))
      }
      tooltipAt={(x, px) => {
        const value = +x.invert(px);
        const bin = data.bins.find((b) => value >= b.x0 && value < b.x1);
        return bin ? { px: (x(bin.x0) + x(bin.x1)) / 2, py: y(bin.count), text: `${fmt(bin.x0)}–${fmt(bin.x1)}: ${bin.count}` } : null;
      }}
    />
  );
}

const byTime = bisector<SeriesPoint, number>((p) => p.t).center;

export function SeriesChart({ title, data, measure, ...common }: Common & { data: Extract<ChartData, { type: "series" }>; measure: string }) {
  const all = useMemo(() => data.lines.flatMap((l) => l.points), [data]);
  // The requested range, widened to the data (a bucket may start before `from`: an ISO week).
  const xBase = useMemo(() => {
    const [lo, hi] = extent(all, (p) => p.t);
    const start = Math.min(data.from, lo ?? data.from);
    const end = Math.max(data.to, hi ?? data.to);
    return scaleUtc()
      .domain([new Date(start), new Date(end > start ? end : start + 86_400_000)])
      .range([0, PLOT_W]);
  }, [all, data.from, data.to]);
  const y = useMemo(() => scaleLinear().domain([0, max(all, (p) => p.value) || 1]).range([PLOT_H, 0]).nice(), [all]);
  const summary =
    `${title}: ${measure} per ${data.interval} (UTC), ${data.lines.length} series, ${all.length} points` +
    (all.length ? `, highest ${fmt(max(all, (p) => p.value) ?? 0)}.` : ".");
  return (
    <div className="flex flex-col gap-1">
      <ChartFrame
        {...common}
        title={title}
        summary={summary}
        xBase={xBase}
        y={y}
        xLabel={`time (UTC, per ${data.interval})`}
        xWireUnit={1000}
        yLabel={measure}
        draw={(x) =>
          data.lines.map((l, i) => {
            const color = COLORS[i % COLORS.length];
            const d = line<SeriesPoint>()
              .x((p) => x(p.t))
              .y((p) => y(p.value))(l.points);
            return (
              <g key={l.name} data-testid="series-line">
                {d && <path d={d} fill="none" stroke={color} strokeWidth={2} />}
                {l.points.map((p) => (
                  <circle key={p.t} cx={x(p.t)} cy={y(p.value)} r={2.5} fill={color} />
                ))}
              </g>
            );
          })
        }
        tooltipAt={(x, px) => {
          const t = +x.invert(px);
          let best: { line: string; p: SeriesPoint } | null = null;
          for (const l of data.lines) {
            const p = l.points[byTime(l.points, t)];
            if (p && (!best || Math.abs(p.t - t) < Math.abs(best.p.t - t))) best = { line: l.name, p };
          }
          if (!best) return null;
          const when = new Date(best.p.t).toISOString().slice(0, data.interval === "hour" ? 16 : 10).replace("T", " ");
          return { px: x(best.p.t), py: y(best.p.value), text: `${best.line} · ${when}: ${fmt(best.p.value)}` };
        }}
      />
      {data.lines.length > 1 && (
        <ul className="flex flex-wrap gap-3 text-xs" aria-label="Series">
          {data.lines.map((l, i) => (
            <li key={l.name} className="flex items-center gap-1">
              <span className="inline-block h-2 w-3 rounded" style={{ background: COLORS[i % COLORS.length] }} />
              {l.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ScatterChart({ title, data, ...common }: Common & { data: Extract<ChartData, { type: "scatter" }> }) {
  const xBase = useMemo(() => {
    const [lo, hi] = extent(data.points, (p) => p.x);
    return scaleLinear().domain(pad([lo ?? 0, hi ?? 1])).range([0, PLOT_W]).nice();
  }, [data]);
  const y = useMemo(() => {
    const [lo, hi] = extent(data.points, (p) => p.y);
    return scaleLinear().domain(pad([Math.min(0, lo ?? 0), hi ?? 1])).range([PLOT_H, 0]).nice();
  }, [data]);
  const summary = `${title}: ${data.points.length} invoices, ${data.y} against ${data.x}.`;
  return (
    <ChartFrame
      {...common}
      title={title}
      summary={summary}
      xBase={xBase}
      y={y}
      xLabel={data.x}
      yLabel={data.y}
      draw={(x) =>
        data.points.map((p, i) => <circle key={i} cx={x(p.x)} cy={y(p.y)} r={3} fill="#0369a1" fillOpacity={0.6} data-testid="point" />)
      }
      tooltipAt={(x, px, py) => {
        const p = least(data.points, (q) => (x(q.x) - px) ** 2 + (y(q.y) - py) ** 2);
        if (!p || (x(p.x) - px) ** 2 + (y(p.y) - py) ** 2 > 400) return null;
        return { px: x(p.x), py: y(p.y), text: `${p.label ? `${p.label}: ` : ""}${data.x} ${fmt(p.x)}, ${data.y} ${fmt(p.y)}` };
      }}
    />
  );
}
