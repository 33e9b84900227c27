"use client";

import type { TopicViewer } from "@/lib/realtime";

/** Who else has this visualization open: one avatar with initials per person. */
export function Presence({ viewers, self, connected }: { viewers: readonly TopicViewer[]; self: string | null; connected: boolean }) {
  return (
    <div className="flex items-center gap-2 text-xs text-slate-600 dark:text-slate-300">
      <span className={`inline-block h-2 w-2 rounded-full ${connected ? "bg-emerald-500" : "bg-slate-400"}`} aria-hidden="true" />
      <span className="sr-only">{connected ? "Live" : "Not connected"}</span>
      <ul className="flex -space-x-1" aria-label="Looking at this visualization">
        {viewers.map((viewer) => {
          const you = self !== null && viewer.sub === self;
          return (
            <li
              key={viewer.sub || viewer.name}
              title={you ? `${viewer.name} (you)` : viewer.name}
              data-testid="presence-avatar"
              data-name={viewer.name}
              data-self={you ? "true" : "false"}
              className={`flex h-7 w-7 items-center justify-center rounded-full border-2 border-white text-[11px] font-semibold text-white dark:border-slate-900 ${
                you ? "bg-slate-500" : "bg-violet-600"
              }`}
            >
              <span aria-hidden="true">{viewer.initials}</span>
              <span className="sr-only">
                {viewer.name}
                {you ? " (you)" : ""}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
