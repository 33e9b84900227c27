import { formatLatency, formatPercent, formatThroughput } from "@/lib/format";
import type { MetricsSnapshot } from "@/lib/types";

interface Card {
  testId: string;
  label: string;
  value: (m: MetricsSnapshot) => string | null;
  /** A full-width row (label left, number right). */
  wide?: boolean;
}

const count = (value: number | undefined) => (value === undefined ? null : String(value));

// The reader's own estimate and the share of fields people left unchanged sit side by side,
// labelled apart: they are different numbers over different windows.
const CARDS: Card[] = [
  { testId: "metrics-total", label: "Invoices (60 s)", value: (m) => String(m.total), wide: true },
  { testId: "metrics-throughput", label: "Throughput", value: (m) => formatThroughput(m.throughput) },
  { testId: "metrics-avg-latency", label: "Avg latency", value: (m) => formatLatency(m.avgLatency) },
  {
    testId: "metrics-p95-latency",
    label: "p95 latency",
    value: (m) => (m.p95Latency === undefined ? null : formatLatency(m.p95Latency)),
  },
  { testId: "metrics-reviewed", label: "Approved (60 s)", value: (m) => count(m.reviewed) },
  { testId: "metrics-avg-accuracy", label: "Accuracy (estimated)", value: (m) => formatPercent(m.avgAccuracy) },
  {
    testId: "metrics-measured-accuracy",
    label: "Accuracy (measured, 24 h)",
    value: (m) => (typeof m.reviewedAccuracy === "number" ? formatPercent(m.reviewedAccuracy) : null),
  },
  { testId: "metrics-needs-review", label: "Waiting for review", value: (m) => count(m.needsReview), wide: true },
];

/**
 * The numbers of the last 60 s; "—" until the first snapshot arrives (and for a number it lacks).
 * `stale`: older than expected, or no socket: dimmed, so they do not pass for live numbers.
 */
export function MetricCards({ metrics, stale = false }: { metrics: MetricsSnapshot | null; stale?: boolean }) {
  return (
    <dl
      aria-live="polite"
      data-testid="metrics-cards"
      data-stale={stale}
      className={`grid grid-cols-2 gap-2 ${stale ? "opacity-60" : ""}`}
    >
      {CARDS.map(({ testId, label, value, wide }, index) => (
        <div
          key={testId}
          className={`rounded-lg bg-slate-100 px-2.5 py-1.5 dark:bg-slate-800 ${
            wide ? "col-span-2 flex items-baseline justify-between" : ""
          }`}
        >
          <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
          <dd
            data-testid={testId}
            className={`font-semibold tabular-nums text-slate-900 dark:text-slate-50 ${index === 0 ? "text-2xl" : "text-base"}`}
          >
            {(metrics && value(metrics)) ?? "—"}
          </dd>
        </div>
      ))}
    </dl>
  );
}
