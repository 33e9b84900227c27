// The chart's maths, apart from React and the DOM: the normal density, grid snapping, the shares
// inside a band and above a target read from histogram bins, and interpolation for animations.

import { tickStep } from "d3-array";

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** The normal probability density at `x`. */
export function normalPdf(x: number, mean: number, stdDev: number): number {
  if (!(stdDev > 0)) return 0;
  const z = (x - mean) / stdDev;
  return Math.exp(-0.5 * z * z) / (stdDev * SQRT_2PI);
}

/** Samples of the density over [x0, x1], for a smooth path (`count` + 1 points). */
export function normalCurve(mean: number, stdDev: number, x0: number, x1: number, count = 120): [number, number][] {
  const points: [number, number][] = [];
  const span = x1 - x0;
  for (let i = 0; i <= count; i += 1) {
    const x = x0 + (span * i) / count;
    points.push([x, normalPdf(x, mean, stdDev)]);
  }
  return points;
}

/**
 * The grid a dragged value snaps to: a "nice" step (1, 2 or 5 × 10ⁿ) about a hundredth of the
 * visible span, so a drag moves in round numbers whatever the measure's unit and the zoom.
 */
export function gridStep(x0: number, x1: number, divisions = 100): number {
  const span = Math.abs(x1 - x0);
  if (!Number.isFinite(span) || span === 0) return 1;
  return Math.abs(tickStep(0, span, divisions));
}

/** `value` rounded to the nearest multiple of `step`, without binary noise (0.30000000000000004). */
export function snap(value: number, step: number): number {
  if (!(step > 0) || !Number.isFinite(value)) return value;
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number((Math.round(value / step) * step).toFixed(Math.min(decimals, 12)));
}

export function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}

export interface Bin {
  x0: number;
  x1: number;
  count: number;
}

/**
 * How many of the binned values lie in [lo, hi], taking a bin cut by a bound pro rata (values
 * spread evenly inside a bin): exact at bin edges, and as good as the bins elsewhere.
 */
export function countBetween(bins: readonly Bin[], lo: number, hi: number): number {
  let total = 0;
  for (const bin of bins) {
    const width = bin.x1 - bin.x0;
    const a = Math.max(lo, bin.x0);
    const b = Math.min(hi, bin.x1);
    if (b < a) continue;
    total += width > 0 ? (bin.count * (b - a)) / width : bin.count;
  }
  return total;
}

export interface Shares {
  /** Values counted. */
  n: number;
  /** Fraction in mean ± k·stdDev. */
  inside: number;
  /** Fraction above the target (null without a target). */
  above: number | null;
}

/** The printed shares of a `normal` chart, from its bins (0 of 0 → 0). */
export function shares(bins: readonly Bin[], mean: number, stdDev: number, k: number, target: number | null): Shares {
  const n = bins.reduce((sum, bin) => sum + bin.count, 0);
  if (n === 0) return { n, inside: 0, above: target === null ? null : 0 };
  const inside = countBetween(bins, mean - k * stdDev, mean + k * stdDev) / n;
  const above = target === null ? null : countBetween(bins, target, Number.POSITIVE_INFINITY) / n;
  return { n, inside: clamp(inside, 0, 1), above: above === null ? null : clamp(above, 0, 1) };
}

/** A bin's count as a density (per unit of x, over all values), so bars and the pdf share an axis. */
export function density(bin: Bin, n: number): number {
  const width = bin.x1 - bin.x0;
  return n > 0 && width > 0 ? bin.count / (n * width) : 0;
}

/** Ease in-out (cubic), t in [0, 1]. */
export function easeInOut(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2;
}

/** Each numeric key of `from` moved the fraction `t` towards `to`; other keys take `to`'s value. */
export function interpolateParams<T extends Record<string, unknown>>(from: T, to: T, t: number): T {
  const out: Record<string, unknown> = { ...to };
  for (const [key, end] of Object.entries(to)) {
    const start = from[key];
    if (typeof start === "number" && typeof end === "number" && Number.isFinite(start) && Number.isFinite(end)) {
      out[key] = start + (end - start) * t;
    }
  }
  return out as T;
}
