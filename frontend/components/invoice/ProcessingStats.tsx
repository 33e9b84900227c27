import { formatLatency, formatPercent } from "@/lib/format";
import type { InvoiceSummary } from "@/lib/types";

type Stats = Pick<InvoiceSummary, "accuracy" | "latencyMs" | "engine" | "pages">;

/** How the invoice was read: accuracy, latency, OCR engine, pages. */
export function ProcessingStats({ invoice }: { invoice: Stats }) {
  const stats = [
    { testId: "result-accuracy", label: "Accuracy", value: formatPercent(invoice.accuracy) },
    { testId: "result-latency", label: "Latency", value: formatLatency(invoice.latencyMs) },
    { testId: "result-engine", label: "Engine", value: invoice.engine },
    { testId: "result-pages", label: "Pages", value: String(invoice.pages) },
  ];
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      {stats.map(({ testId, label, value }) => (
        <div key={testId} className="rounded-lg bg-slate-100 px-3 py-2 dark:bg-slate-800">
          <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
          <dd data-testid={testId} className="font-semibold tabular-nums">
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
