"use client";

import type { Viewer } from "@/lib/contract.gen";
import { FIELD_LABELS } from "@/lib/format";
import type { FieldName } from "@/lib/types";

const COLOURS = [
  "bg-sky-700",
  "bg-violet-700",
  "bg-emerald-700",
  "bg-rose-700",
  "bg-amber-700",
  "bg-teal-700",
  "bg-fuchsia-700",
  "bg-indigo-700",
];

/** A stable colour per person: the same avatar colour on every page and in every tab. */
export function colourOf(sub: string): string {
  let hash = 0;
  for (const ch of sub) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length] ?? "bg-sky-700";
}

function initialsOf(viewer: Viewer): string {
  return (viewer.initials || viewer.name.slice(0, 1) || "?").toUpperCase();
}

export function Avatar({ viewer, size = "md" }: { viewer: Viewer; size?: "sm" | "md" }) {
  const dims = size === "sm" ? "h-5 w-5 text-[10px]" : "h-8 w-8 text-xs";
  const editing = viewer.editing ? ` — editing ${FIELD_LABELS[viewer.editing as FieldName] ?? viewer.editing}` : "";
  return (
    <span
      data-testid="avatar"
      data-sub={viewer.sub}
      title={`${viewer.name}${editing}`}
      aria-label={`${viewer.name}${editing}`}
      role="img"
      className={`inline-flex shrink-0 items-center justify-center rounded-full font-semibold text-white ring-2 ring-white dark:ring-slate-900 ${dims} ${colourOf(viewer.sub)}`}
    >
      {initialsOf(viewer)}
    </span>
  );
}

/** Everyone else looking at this invoice right now (several tabs of one person are one avatar). */
export function PresenceBar({ viewers, live }: { viewers: Viewer[]; live: boolean }) {
  return (
    <div data-testid="presence" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
      {viewers.length > 0 ? (
        <>
          <span className="flex -space-x-1.5">
            {viewers.map((viewer) => (
              <Avatar key={viewer.sub} viewer={viewer} />
            ))}
          </span>
          <span data-testid="presence-label">
            {viewers.length === 1
              ? `${viewers[0]?.name} is also looking at this invoice`
              : `${viewers.length} others are looking at this invoice`}
          </span>
        </>
      ) : (
        <span data-testid="presence-label">{live ? "Nobody else is looking at this invoice." : "Live updates are connecting…"}</span>
      )}
    </div>
  );
}
