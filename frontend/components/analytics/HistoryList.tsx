"use client";

import { formatValue } from "@/lib/analytics/history";
import type { HistoryItem } from "@/lib/analytics/types";

/** The parameter changes, newest first; "Restore" posts the parameters as they were after one. */
export function HistoryList({
  items,
  onRestore,
  canRestore,
}: {
  items: readonly HistoryItem[];
  onRestore: (version: number) => void;
  canRestore: boolean;
}) {
  if (!items.length) return <p className="text-xs text-slate-500">No parameter changes yet.</p>;
  // One row per version: a change of several parameters is one step to restore to.
  const versions = [...new Set(items.map((i) => i.version))];
  return (
    <ol className="flex max-h-72 flex-col gap-2 overflow-auto text-xs" data-testid="history">
      {versions.map((version, index) => {
        const changes = items.filter((i) => i.version === version);
        const first = changes[0]!;
        return (
          <li key={version} className="rounded border border-slate-200 p-2 dark:border-slate-700" data-testid="history-item">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium">
                v{version} · {first.by?.email || "someone"}
              </span>
              <time dateTime={new Date(first.at).toISOString()} className="text-slate-500">
                {new Date(first.at).toLocaleString()}
              </time>
            </div>
            <ul>
              {changes.map((c) => (
                <li key={c.parameter} className="tabular-nums">
                  {c.parameter}: {formatValue(c.old)} → {formatValue(c.new)}
                </li>
              ))}
            </ul>
            {canRestore && index > 0 && (
              <button
                type="button"
                className="mt-1 rounded border border-slate-300 px-1.5 py-0.5 font-medium dark:border-slate-600"
                onClick={() => onRestore(version)}
              >
                Restore v{version}
              </button>
            )}
          </li>
        );
      })}
      {canRestore && versions.at(-1)! > 1 && (
        // Every change after it is in the list, so the state before the oldest one is known too.
        <li className="rounded border border-dashed border-slate-300 p-2 dark:border-slate-600">
          v{versions.at(-1)! - 1} · before these changes{" "}
          <button
            type="button"
            className="mt-1 rounded border border-slate-300 px-1.5 py-0.5 font-medium dark:border-slate-600"
            onClick={() => onRestore(versions.at(-1)! - 1)}
          >
            Restore v{versions.at(-1)! - 1}
          </button>
        </li>
      )}
    </ol>
  );
}
