// The widget's minimised/corner preference, persisted in localStorage and shared between tabs.
// Shaped as an external store for useSyncExternalStore.

export const CORNERS = ["bottom-right", "bottom-left", "top-left", "top-right"] as const;
export type Corner = (typeof CORNERS)[number];

export interface WidgetPrefs {
  minimised: boolean;
  corner: Corner;
}

export const PREFS_KEY = "invoice-metrics-widget";

const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cachedPrefs: WidgetPrefs | undefined;

function readRaw(): string | null {
  try {
    return localStorage.getItem(PREFS_KEY);
  } catch {
    return null; // storage disabled
  }
}

function parse(raw: string | null): WidgetPrefs {
  // Without a saved choice, start as a pill on a phone so the widget covers nothing.
  const fallback: WidgetPrefs = {
    minimised: typeof matchMedia === "function" && matchMedia("(max-width: 639px)").matches,
    corner: "bottom-right",
  };
  if (raw === null) return fallback;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== "object" || value === null) return fallback;
    const { minimised, corner } = value as Record<string, unknown>;
    return {
      minimised: typeof minimised === "boolean" ? minimised : fallback.minimised,
      corner: CORNERS.includes(corner as Corner) ? (corner as Corner) : fallback.corner,
    };
  } catch {
    return fallback;
  }
}

export function getPrefs(): WidgetPrefs {
  const raw = readRaw();
  if (cachedPrefs === undefined || raw !== cachedRaw) {
    cachedRaw = raw;
    cachedPrefs = parse(raw);
  }
  return cachedPrefs;
}

/** The server has no preference: the widget renders only in the browser. */
export function getServerPrefs(): null {
  return null;
}

export function setPrefs(patch: Partial<WidgetPrefs>): void {
  const next = { ...getPrefs(), ...patch };
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(next));
  } catch {
    // Storage full or disabled: the choice holds for this page only.
    cachedRaw = readRaw();
    cachedPrefs = next;
  }
  for (const listener of listeners) listener();
}

export function subscribePrefs(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function nextCorner(corner: Corner): Corner {
  return CORNERS[(CORNERS.indexOf(corner) + 1) % CORNERS.length] ?? "bottom-right";
}
