import { formatLatency, formatPercent, formatThroughput } from "@/lib/format";
import type { MetricsSnapshot } from "@/lib/types";

interface Card {
  testId: string;
  label: string;
  value: (m: MetricsSnapshot) => string | null;
}

const CARDS: Card[] = [
  { testId: "metrics-total", label: "Invoices (60 s)", value: (m) => String(m.total) },
  { testId: "metrics-throughput", label: "Throughput", value: (m) => formatThroughput(m.throughput) },
  { testId: "metrics-avg-latency", label: "Avg latency", value: (m) => formatLatency(m.avgLatency) },
  { testId: "metrics-avg-accuracy", label: "Avg accuracy", value: (m) => formatPercent(m.avgAccuracy) },
  {
    testId: "metrics-p95-latency",
    label: "p95 latency",
    value: (m) => (m.p95Latency === undefined ? null : formatLatency(m.p95Latency)),
  },
];

/** The numbers of the last 60 s; "—" until the first snapshot arrives. */
export function MetricCards({ metrics }: { metrics: MetricsSnapshot | null }) {
  return (
    <dl aria-live="polite" className="grid grid-cols-2 gap-2">
      {CARDS.map(({ testId, label, value }, index) => (
        <div
          key={testId}
          className={`rounded-lg bg-slate-100 px-2.5 py-1.5 dark:bg-slate-800 ${
            index === 0 ? "col-span-2 flex items-baseline justify-between" : ""
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
