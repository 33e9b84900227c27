// @vitest-environment node
// No DOM: the realtime modules must run without document or WebSocket.
import { describe, expect, it } from "vitest";
import { Backoff, backoffDelay } from "@/lib/realtime/backoff";

describe("backoffDelay", () => {
  const options = { baseDelayMs: 1000, maxDelayMs: 30_000 };

  it("doubles per attempt up to the cap", () => {
    const top = (attempt: number) => backoffDelay(attempt, options, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it("keeps jitter within half of the delay and the full delay", () => {
    for (const attempt of [0, 3, 8]) {
      const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
      expect(backoffDelay(attempt, options, () => 0)).toBe(ceiling / 2);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });
});

describe("Backoff", () => {
  it("counts attempts from the base delay and starts over after reset", () => {
    const backoff = new Backoff({ baseDelayMs: 1000, maxDelayMs: 4000 }, () => 0);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([500, 1000, 2000, 2000]);
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });
});
