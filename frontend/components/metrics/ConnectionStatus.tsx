import type { RealtimeState } from "@/lib/realtime";

const DOT: Record<RealtimeState["status"], string> = {
  connecting: "bg-amber-500 motion-safe:animate-pulse",
  connected: "bg-emerald-500",
  disconnected: "bg-slate-400 dark:bg-slate-500",
  error: "bg-red-600",
};

function label({ status, retryAt }: RealtimeState, now: number): string {
  switch (status) {
    case "connecting":
      return "Connecting…";
    case "connected":
      return "Live";
    case "error":
      return "Connection error";
    case "disconnected":
      if (retryAt === null) return "Disconnected";
      return `Disconnected · retrying in ${Math.max(1, Math.ceil((retryAt - now) / 1000))} s`;
  }
}

interface Props {
  state: RealtimeState;
  now: number;
  /** Only the dot; the label is for screen readers. */
  compact?: boolean;
}

/** Coloured dot plus words, so the state never depends on colour alone. */
export function ConnectionStatus({ state, now, compact = false }: Props) {
  return (
    <span
      data-testid="ws-status"
      data-status={state.status}
      title={state.error ?? undefined}
      className="flex items-center gap-1.5 text-xs text-slate-700 dark:text-slate-300"
    >
      <span aria-hidden="true" className={`inline-block size-2.5 shrink-0 rounded-full ${DOT[state.status]}`} />
      <span className={compact ? "sr-only" : undefined}>{label(state, now)}</span>
    </span>
  );
}
