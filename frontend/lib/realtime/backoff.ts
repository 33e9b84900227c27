// Reconnect delays: capped exponential backoff with jitter. Pure apart from the injected random.

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
