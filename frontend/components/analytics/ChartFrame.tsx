"use client";

// The frame every chart type draws in. React owns the elements; D3 does the maths and the
// interactions: d3-axis fills the two axis groups, d3-zoom turns wheel and drag on the chart into
// an x-only zoom/pan transform (the charts rescale their x scale with it), d3-selection's pointer
// maps mouse positions through the SVG's viewBox. Two stacked SVGs of the same size: the drawing
// (`role="img"`, what the exports serialise) and, over it, the interactive layer (handles,
// others' cursors, the pointer), so the handles are real controls and not hidden inside an image.

import { axisBottom, axisLeft } from "d3-axis";
import type { ScaleLinear, ScaleTime } from "d3-scale";
import { pointer, select } from "d3-selection";
import { zoom, type ZoomBehavior, zoomIdentity, type ZoomTransform } from "d3-zoom";
import { type ReactNode, type Ref, useEffect, useId, useMemo, useRef, useState } from "react";
import type { RemoteCursor } from "@/lib/analytics/useVisualizationLive";

export const WIDTH = 720;
export const HEIGHT = 360;
export const MARGIN = { top: 28, right: 24, bottom: 44, left: 60 } as const;
export const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
export const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

export type XScale = ScaleLinear<number, number> | ScaleTime<number, number>;

export interface Tooltip {
  /** Plot coordinates of the point the tooltip is about. */
  px: number;
  py: number;
  text: string;
}

interface ChartFrameProps {
  title: string;
  summary: string;
  xBase: XScale;
  y: ScaleLinear<number, number>;
  xLabel: string;
  yLabel: string;
  /** The drawing, in plot coordinates, for the current (zoomed) x scale. */
  draw: (x: XScale) => ReactNode;
  /** The interactive layer's own elements (handles), in plot coordinates. */
  overlay?: (x: XScale) => ReactNode;
  tooltipAt?: (x: XScale, px: number, py: number) => Tooltip | null;
  /** Text printed in the chart's top-right corner (and so in its exports). */
  note?: string;
  cursors: readonly RemoteCursor[];
  onCursor: (x: number, y: number) => void;
  svgRef: Ref<SVGSVGElement>;
  /**
   * Data x per unit of a cursor's x on the wire: 1000 for a time axis, whose cursors travel in
   * seconds since the epoch (ms would exceed the contract's ±10¹² chart coordinates).
   */
  xWireUnit?: number;
}

function Axes({ x, y }: { x: XScale; y: ScaleLinear<number, number> }) {
  const xAxis = useRef<SVGGElement>(null);
  const yAxis = useRef<SVGGElement>(null);
  useEffect(() => {
    if (xAxis.current) select(xAxis.current).call(axisBottom(x as ScaleLinear<number, number>).ticks(8));
    if (yAxis.current) select(yAxis.current).call(axisLeft(y).ticks(6));
  }, [x, y]);
  return (
    <>
      <g ref={xAxis} transform={`translate(0,${PLOT_H})`} className="text-slate-600" data-axis="x" />
      <g ref={yAxis} className="text-slate-600" data-axis="y" />
    </>
  );
}

function Cursor({ cursor, x, y, unit }: { cursor: RemoteCursor; x: XScale; y: ScaleLinear<number, number>; unit: number }) {
  const px = x(cursor.x * unit);
  const py = y(cursor.y);
  if (!Number.isFinite(px) || !Number.isFinite(py) || px < 0 || px > PLOT_W || py < 0 || py > PLOT_H) return null;
  return (
    <g
      transform={`translate(${px},${py})`}
      style={{ opacity: cursor.idle ? 0.2 : 1, transition: "opacity 600ms" }}
      data-testid="remote-cursor"
      data-initials={cursor.initials}
      data-idle={cursor.idle ? "true" : "false"}
      pointerEvents="none"
    >
      <path d="M0,0 L0,14 L4,10 L8,17 L10,16 L6,9 L11,9 Z" fill="#7c3aed" stroke="white" strokeWidth={1} />
      <rect x={12} y={10} width={8 + 7 * cursor.initials.length} height={15} rx={3} fill="#7c3aed" />
      <text x={16} y={21} fontSize={10} fill="white" fontWeight={600}>
        {cursor.initials}
      </text>
      <title>{cursor.name}</title>
    </g>
  );
}

export function ChartFrame(props: ChartFrameProps) {
  const { title, summary, xBase, y, xLabel, yLabel, draw, overlay, tooltipAt, note, cursors, onCursor, svgRef } = props;
  const unit = props.xWireUnit ?? 1;
  const rawId = useId();
  const id = rawId.replace(/[^A-Za-z0-9_-]/g, "");
  const interactive = useRef<SVGSVGElement>(null);
  const plot = useRef<SVGGElement>(null);
  const behavior = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const [tooltip, setTooltip] = useState<Tooltip | null>(null);

  useEffect(() => {
    const node = interactive.current;
    if (!node) return;
    const extent: [[number, number], [number, number]] = [
      [0, 0],
      [WIDTH, HEIGHT],
    ];
    const zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 50])
      .extent(extent)
      .translateExtent(extent)
      .on("zoom", (event: { transform: ZoomTransform }) => setTransform(event.transform));
    behavior.current = zoomer;
    select(node).call(zoomer).on("dblclick.zoom", null);
    return () => {
      select(node).on(".zoom", null);
    };
  }, []);

  const x = useMemo(() => transform.rescaleX(xBase) as XScale, [transform, xBase]);
  const zoomed = transform.k !== 1 || transform.x !== 0;

  const reset = () => {
    const node = interactive.current;
    if (node && behavior.current) select(node).call(behavior.current.transform, zoomIdentity);
  };

  const move = (event: React.PointerEvent<SVGSVGElement>) => {
    if (!plot.current) return;
    const [px, py] = pointer(event.nativeEvent, plot.current);
    if (px < 0 || px > PLOT_W || py < 0 || py > PLOT_H) {
      setTooltip(null);
      return;
    }
    onCursor(+x.invert(px) / unit, y.invert(py));
    setTooltip(tooltipAt ? tooltipAt(x, px, py) : null);
  };

  const clip = `clip-${id}`;
  return (
    <figure className="flex flex-col gap-2">
      <div className="relative w-full select-none" style={{ aspectRatio: `${WIDTH} / ${HEIGHT}` }}>
        <svg
          ref={svgRef}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-labelledby={`${id}-title`}
          aria-describedby={`${id}-summary`}
          className="absolute inset-0 h-full w-full rounded-lg border border-slate-200 bg-white text-slate-700 dark:border-slate-700"
          data-testid="chart"
          fontFamily="system-ui, sans-serif"
          fontSize={11}
        >
          <title id={`${id}-title`}>{title}</title>
          <defs>
            <clipPath id={clip}>
              <rect width={PLOT_W} height={PLOT_H} />
            </clipPath>
          </defs>
          <text x={MARGIN.left} y={18} fontSize={13} fontWeight={600} fill="#0f172a">
            {title}
          </text>
          {note && (
            <text x={WIDTH - MARGIN.right} y={18} textAnchor="end" fontSize={11} fill="#334155" data-testid="chart-note">
              {note}
            </text>
          )}
          <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <g clipPath={`url(#${clip})`}>{draw(x)}</g>
            <Axes x={x} y={y} />
            <text x={PLOT_W / 2} y={PLOT_H + 36} textAnchor="middle" fill="#334155">
              {xLabel}
            </text>
            <text transform={`translate(${-46},${PLOT_H / 2}) rotate(-90)`} textAnchor="middle" fill="#334155">
              {yLabel}
            </text>
          </g>
        </svg>
        <svg
          ref={interactive}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          className="absolute inset-0 h-full w-full cursor-crosshair touch-none"
          onPointerMove={move}
          onPointerLeave={() => setTooltip(null)}
          data-testid="chart-interactive"
        >
          <g ref={plot} transform={`translate(${MARGIN.left},${MARGIN.top})`}>
            <rect width={PLOT_W} height={PLOT_H} fill="transparent" />
            {overlay?.(x)}
            {cursors.map((cursor) => (
              <Cursor key={cursor.connectionId || cursor.name} cursor={cursor} x={x} y={y} unit={unit} />
            ))}
          </g>
        </svg>
        {tooltip && (
          // Hidden from screen readers: the summary and the controls say it without a hover.
          <div
            aria-hidden="true"
            className="pointer-events-none absolute z-10 -translate-x-1/2 -translate-y-full rounded bg-slate-900 px-2 py-1 text-xs whitespace-nowrap text-white shadow"
            style={{
              left: `${((MARGIN.left + tooltip.px) / WIDTH) * 100}%`,
              top: `${((MARGIN.top + tooltip.py - 8) / HEIGHT) * 100}%`,
            }}
            data-testid="chart-tooltip"
          >
            {tooltip.text}
          </div>
        )}
      </div>
      <figcaption className="flex flex-wrap items-start justify-between gap-2 text-sm text-slate-600 dark:text-slate-300">
        <p id={`${id}-summary`} data-testid="chart-summary">
          {summary}
        </p>
        <button
          type="button"
          onClick={reset}
          disabled={!zoomed}
          className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium disabled:opacity-50 dark:border-slate-600"
        >
          Reset zoom
        </button>
      </figcaption>
    </figure>
  );
}
