// A throttle with a trailing call: at most one call per `intervalMs`, and the last value of a burst
// is never lost (a cursor that stops moving is sent where it stopped). Clock and timer injectable
// for tests.

export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  /** Drops a pending trailing call. */
  cancel(): void;
  /** Runs a pending trailing call now. */
  flush(): void;
}

export interface ThrottleClock {
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (id: unknown) => void;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as ReturnType<typeof setTimeout>),
};

export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  intervalMs: number,
  clock: ThrottleClock = realClock,
): Throttled<A> {
  let last = Number.NEGATIVE_INFINITY;
  let pending: A | null = null;
  let timer: unknown = null;

  const run = (args: A) => {
    last = clock.now();
    pending = null;
    fn(...args);
  };
  const fire = () => {
    timer = null;
    if (pending) run(pending);
  };

  const throttled = ((...args: A) => {
    const wait = last + intervalMs - clock.now();
    if (wait <= 0 && timer === null) {
      run(args);
      return;
    }
    pending = args;
    if (timer === null) timer = clock.setTimeout(fire, Math.max(0, wait));
  }) as Throttled<A>;
  throttled.cancel = () => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
    pending = null;
  };
  throttled.flush = () => {
    if (timer !== null) clock.clearTimeout(timer);
    fire();
  };
  return throttled;
}
