// Someone else's parameter change is animated: the numbers move from what is on screen to the
// new values with requestAnimationFrame (eased), so a viewer sees the curve slide, not jump.

import { easeInOut, interpolateParams } from "./math";

export const ANIMATION_MS = 450;

export interface FrameClock {
  now: () => number;
  request: (callback: (now: number) => void) => number;
  cancel: (id: number) => void;
}

const browserClock = (): FrameClock | null =>
  typeof requestAnimationFrame === "function"
    ? { now: () => performance.now(), request: (cb) => requestAnimationFrame(cb), cancel: (id) => cancelAnimationFrame(id) }
    : null;

/**
 * Calls `onFrame` with the values on the way from `from` to `to`, ending with `to` itself;
 * returns a function that stops it. Without animation frames (tests, a hidden tab's
 * environment without them) `to` is shown at once.
 */
export function animateParams<T extends Record<string, unknown>>(
  from: T,
  to: T,
  onFrame: (value: T) => void,
  duration = ANIMATION_MS,
  clock: FrameClock | null = browserClock(),
): () => void {
  if (!clock || duration <= 0) {
    onFrame(to);
    return () => {};
  }
  const start = clock.now();
  let id = 0;
  let stopped = false;
  const step = (now: number) => {
    if (stopped) return;
    const t = Math.min(1, (now - start) / duration);
    onFrame(t >= 1 ? to : interpolateParams(from, to, easeInOut(t)));
    if (t < 1) id = clock.request(step);
  };
  id = clock.request(step);
  return () => {
    stopped = true;
    clock.cancel(id);
  };
}
