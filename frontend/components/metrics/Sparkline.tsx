import type { SeriesPoint } from "@/lib/types";

const WIDTH = 240;
const HEIGHT = 40;
const PAD = 2;

/** Invoices per minute as an inline SVG line; no chart library needed for 15 points. */
export function Sparkline({ series }: { series: SeriesPoint[] }) {
  const counts = series.map((p) => p.count);
  const peak = Math.max(1, ...counts);
  const step = counts.length > 1 ? (WIDTH - 2 * PAD) / (counts.length - 1) : 0;
  const points = counts.map((count, i) => {
    const x = PAD + i * step;
    const y = HEIGHT - PAD - (count / peak) * (HEIGHT - 2 * PAD);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  });
  const line = points.join(" ");
  const area = `${PAD},${HEIGHT - PAD} ${line} ${(PAD + (counts.length - 1) * step).toFixed(1)},${HEIGHT - PAD}`;
  const minutes = counts.length;

  return (
    <figure className="m-0">
      <svg
        data-testid="metrics-sparkline"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Invoices per minute over the last ${minutes} minutes, peak ${Math.max(0, ...counts)}`}
        className="h-10 w-full text-sky-600 dark:text-sky-400"
      >
        <polygon points={area} className="fill-current opacity-15" />
        <polyline
          points={line}
          fill="none"
          stroke="currentColor"
          strokeWidth="1.5"
          strokeLinejoin="round"
          vectorEffect="non-scaling-stroke"
        />
      </svg>
      <figcaption className="flex justify-between text-[0.7rem] text-slate-600 dark:text-slate-400">
        <span>{minutes} min ago</span>
        <span>per minute</span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
