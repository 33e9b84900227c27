const STYLES: Record<string, string> = {
  "needs-review": "bg-amber-100 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-800",
  approved: "bg-emerald-100 text-emerald-900 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800",
  rejected: "bg-red-100 text-red-900 ring-red-300 dark:bg-red-950 dark:text-red-200 dark:ring-red-800",
};

const LABELS: Record<string, string> = {
  "needs-review": "Needs review",
  approved: "Approved",
  rejected: "Rejected",
  processed: "Processed",
};

export function statusLabel(status: string): string {
  return LABELS[status] ?? status;
}

/** The review state as a small coloured label (words, not only colour). */
export function StatusBadge({ status }: { status: string }) {
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className={`inline-flex shrink-0 items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        STYLES[status] ?? "bg-slate-100 text-slate-800 ring-slate-300 dark:bg-slate-800 dark:text-slate-200 dark:ring-slate-600"
      }`}
    >
      {statusLabel(status)}
    </span>
  );
}
