"use client";

// `normal`: the histogram of the measure as densities, the normal curve of the set mean and
// stdDev, the band mean ± k·stdDev, the target line, and the shares printed. The curve's peak
// (mean), the handle on its flank (stdDev) and the target line are dragged on the chart; values
// snap to a grid of about a hundredth of the visible span.

import { max } from "d3-array";
import { scaleLinear } from "d3-scale";
import { area, line } from "d3-shape";
import { type Ref, useMemo } from "react";
import { clamp, density, gridStep, normalCurve, normalPdf, type Shares, shares, snap } from "@/lib/analytics/math";
import type { ChartData, NormalParams } from "@/lib/analytics/types";
import type { RemoteCursor } from "@/lib/analytics/useVisualizationLive";
import { ChartFrame, PLOT_H, PLOT_W, type XScale } from "./ChartFrame";
import { Handle } from "./Handle";

type NormalData = Extract<ChartData, { type: "normal" }>;

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

export function fmt(value: number): string {
  return Number(value.toPrecision(4)).toLocaleString("en-US", { maximumFractionDigits: 6 });
}

/** The x domain: the bins and the fitted mean ± 4 stdDev, so the curve fits whatever was set. */
function domainOf(data: NormalData): [number, number] {
  const lo = Math.min(data.bins[0]?.x0 ?? data.fit.mean, data.fit.mean - 4 * data.fit.stdDev);
  const hi = Math.max(data.bins.at(-1)?.x1 ?? data.fit.mean, data.fit.mean + 4 * data.fit.stdDev);
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

const same = (a: number | null, b: number | null) => a === b || (a !== null && b !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)));

/**
 * The shares to print: the server's (computed from the values) while the chart shows the
 * parameters it computed them for, else estimated from the bins (while dragging, before the
 * server has answered).
 */
export function displayedShares(data: NormalData, p: NormalParams): Shares {
  const estimate = shares(data.bins, p.mean, p.stdDev, p.k, p.target);
  const exact = data.exact;
  if (!exact || !same(exact.mean, p.mean) || !same(exact.stdDev, p.stdDev) || !same(exact.k, p.k) || !same(exact.target, p.target)) {
    return estimate;
  }
  return { n: estimate.n, inside: exact.inside ?? estimate.inside, above: p.target === null ? null : (exact.above ?? estimate.above) };
}

export function normalSummary(title: string, data: NormalData, p: NormalParams): string {
  const s = displayedShares(data, p);
  const band = `${fmt(p.mean - p.k * p.stdDev)} to ${fmt(p.mean + p.k * p.stdDev)}`;
  const target = p.target === null || s.above === null ? "no target set" : `${percent(s.above)} above the target ${fmt(p.target)}`;
  return (
    `${title}: histogram of ${p.measure} over ${data.n.toLocaleString("en-US")} invoices with a normal curve ` +
    `(mean ${fmt(p.mean)}, standard deviation ${fmt(p.stdDev)}); ${percent(s.inside)} inside mean ± ${fmt(p.k)}·σ ` +
    `(${band}); ${target}.`
  );
}

interface NormalChartProps {
  title: string;
  data: NormalData;
  params: NormalParams;
  onChange: (patch: Partial<NormalParams>) => void;
  onCommit: () => void;
  cursors: readonly RemoteCursor[];
  onCursor: (x: number, y: number) => void;
  svgRef: Ref<SVGSVGElement>;
  /** false: no handles (a viewer may look, not change). */
  editable: boolean;
}

export function NormalChart({ title, data, params, onChange, onCommit, cursors, onCursor, svgRef, editable }: NormalChartProps) {
  const { mean, stdDev, k, target } = params;
  const xBase = useMemo(() => scaleLinear().domain(domainOf(data)).range([0, PLOT_W]), [data]);
  // y from the data and the fitted curve, not the set one: dragging stdDev must not rescale it.
  const y = useMemo(() => {
    const top = Math.max(max(data.bins, (b) => density(b, data.n)) ?? 0, normalPdf(data.fit.mean, data.fit.mean, data.fit.stdDev));
    return scaleLinear()
      .domain([0, (top || 1) * 1.15])
      .range([PLOT_H, 0])
      .nice();
  }, [data]);
  const s = displayedShares(data, params);
  const note = `${percent(s.inside)} within ±${fmt(k)}σ` + (s.above === null ? "" : ` · ${percent(s.above)} above target`);

  const draw = (x: XScale) => {
    const [d0, d1] = (x as typeof xBase).domain() as [number, number];
    const curve = normalCurve(mean, stdDev, d0, d1, 160);
    const path = line<[number, number]>()
      .x((d) => x(d[0]))
      .y((d) => y(d[1]))(curve);
    const lo = mean - k * stdDev;
    const hi = mean + k * stdDev;
    const bandArea = area<[number, number]>()
      .x((d) => x(d[0]))
      .y0(PLOT_H)
      .y1((d) => y(d[1]))(normalCurve(mean, stdDev, lo, hi, 80));
    return (
      <>
        <rect x={x(lo)} width={Math.max(0, x(hi) - x(lo))} height={PLOT_H} fill="#e0f2fe" data-testid="band" />
        {data.bins.map((bin) => {
          const top = y(density(bin, data.n));
          return (
            <rect
              key={bin.x0}
              x={x(bin.x0)}
              width={Math.max(0, x(bin.x1) - x(bin.x0) - 1)}
              y={top}
              height={Math.max(0, PLOT_H - top)}
              fill="#94a3b8"
              data-testid="bar"
            />
          );
        })}
        {bandArea && <path d={bandArea} fill="#0284c7" fillOpacity={0.18} />}
        {path && <path d={path} fill="none" stroke="#0369a1" strokeWidth={2.5} data-testid="curve" data-mean={mean} data-std-dev={stdDev} />}
        <line x1={x(mean)} x2={x(mean)} y1={0} y2={PLOT_H} stroke="#0369a1" strokeDasharray="2 3" />
        {target !== null && (
          <g data-testid="target-line">
            <line x1={x(target)} x2={x(target)} y1={0} y2={PLOT_H} stroke="#dc2626" strokeWidth={2} strokeDasharray="6 4" />
            <text x={x(target) + 4} y={12} fill="#dc2626" fontSize={11}>
              target {fmt(target)}
            </text>
          </g>
        )}
      </>
    );
  };

  const overlay = (x: XScale) => {
    const [d0, d1] = (x as typeof xBase).domain() as [number, number];
    const step = gridStep(d0, d1);
    const value = (px: number) => +x.invert(clamp(px, 0, PLOT_W));
    const peakY = clamp(y(normalPdf(mean, mean, stdDev)), 8, PLOT_H - 8);
    const flank = mean + stdDev;
    const flankY = clamp(y(normalPdf(flank, mean, stdDev)), 8, PLOT_H - 8);
    const [lo, hi] = xBase.domain() as [number, number];
    const span = hi - lo;
    return (
      <>
        {target !== null && (
          <Handle
            label="Target on the chart"
            value={target}
            min={lo}
            max={hi}
            step={step}
            valueText={fmt(target)}
            onDrag={(px) => onChange({ target: snap(value(px), step) })}
            onKey={(delta) => onChange({ target: snap(target + delta, step) })}
            onEnd={onCommit}
            testId="handle-target"
          >
            <rect x={x(target) - 6} width={12} height={PLOT_H} fill="transparent" stroke="none" />
            <path d={`M${x(target) - 7},${PLOT_H} l7,-10 l7,10 Z`} fill="#dc2626" stroke="white" />
          </Handle>
        )}
        <Handle
          label="Standard deviation on the chart"
          value={stdDev}
          min={0}
          max={span}
          step={step}
          valueText={fmt(stdDev)}
          onDrag={(px) => onChange({ stdDev: Math.max(step, snap(value(px) - mean, step)) })}
          onKey={(delta) => onChange({ stdDev: Math.max(step, snap(stdDev + delta, step)) })}
          onEnd={onCommit}
          testId="handle-stddev"
        >
          <rect x={x(flank) - 6} y={flankY - 6} width={12} height={12} fill="white" stroke="#0369a1" strokeWidth={2} />
        </Handle>
        <Handle
          label="Mean on the chart"
          value={mean}
          min={lo}
          max={hi}
          step={step}
          valueText={fmt(mean)}
          onDrag={(px) => onChange({ mean: snap(value(px), step) })}
          onKey={(delta) => onChange({ mean: snap(mean + delta, step) })}
          onEnd={onCommit}
          testId="handle-mean"
        >
          <circle cx={x(mean)} cy={peakY} r={8} fill="#0369a1" stroke="white" strokeWidth={2} />
        </Handle>
      </>
    );
  };

  const tooltipAt = (x: XScale, px: number) => {
    const value = +x.invert(px);
    const bin = data.bins.find((b) => value >= b.x0 && value < b.x1) ?? null;
    if (!bin) return null;
    return {
      px: (x(bin.x0) + x(bin.x1)) / 2,
      py: y(density(bin, data.n)),
      text: `${fmt(bin.x0)}–${fmt(bin.x1)}: ${bin.count} (${percent(data.n ? bin.count / data.n : 0)})`,
    };
  };

  return (
    <ChartFrame
      title={title}
      summary={normalSummary(title, data, params)}
      xBase={xBase}
      y={y}
      xLabel={params.measure + (data.unit ? ` (${data.unit})` : "")}
      yLabel="density"
      draw={draw}
      overlay={editable ? overlay : undefined}
      tooltipAt={tooltipAt}
      note={note}
      cursors={cursors}
      onCursor={onCursor}
      svgRef={svgRef}
    />
  );
}
