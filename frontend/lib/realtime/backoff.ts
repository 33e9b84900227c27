// Reconnect delays: capped exponential backoff with jitter, and the attempt count that grows it.
// No timers or clocks here; randomness is injected, so every delay is testable.

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Delay before reconnect attempt number `attempt` (0-based). "Equal jitter": half of the capped
 * exponential delay is fixed and half random, so tabs that lost the same server spread out
 * without ever retrying in a tight loop. Result in [ceiling / 2, ceiling).
 */
export function backoffDelay(attempt: number, { baseDelayMs, maxDelayMs }: BackoffOptions, random = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
  return ceiling / 2 + (random() * ceiling) / 2;
}
/** The attempt counter behind successive delays; reset() once a connection has proved stable. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly options: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one attempt. */
  next(): number {
    return backoffDelay(this.attempt++, this.options, this.random);
  }

  reset(): void {
    this.attempt = 0;
  }
}
