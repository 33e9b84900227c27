// The chart's maths: normal density, snapping, shares from bins, interpolation, the 20/s throttle,
// CSV, the /data normalisation, history restore and the parameter diff that is saved.
import { describe, expect, it, vi } from "vitest";
import { changedParameters } from "@/components/analytics/VisualizationView";
import { animateParams, type FrameClock } from "@/lib/analytics/animate";
import { dataCsv, toCsv } from "@/lib/analytics/csv";
import { fitFromBins, needsData, normalParams, parseChartData } from "@/lib/analytics/data";
import { fileStem } from "@/lib/analytics/export";
import { parametersAt } from "@/lib/analytics/history";
import { countBetween, density, easeInOut, gridStep, interpolateParams, normalCurve, normalPdf, shares, snap } from "@/lib/analytics/math";
import { throttle, type ThrottleClock } from "@/lib/analytics/throttle";
import type { HistoryItem } from "@/lib/analytics/types";
import type { NormalData, SeriesData } from "@/lib/contract.gen";

describe("normal density", () => {
  it("has the textbook values", () => {
    expect(normalPdf(0, 0, 1)).toBeCloseTo(0.398942280401, 10);
    expect(normalPdf(1, 0, 1)).toBeCloseTo(0.241970724519, 10);
    expect(normalPdf(1200, 1000, 200)).toBeCloseTo(0.241970724519 / 200, 12);
    expect(normalPdf(5, 5, 0)).toBe(0);
  });

  it("integrates to one over ±6σ", () => {
    const points = normalCurve(50, 7, 50 - 42, 50 + 42, 2000);
    let sum = 0;
    for (let i = 1; i < points.length; i += 1) sum += ((points[i]![1] + points[i - 1]![1]) / 2) * (points[i]![0] - points[i - 1]![0]);
    expect(sum).toBeCloseTo(1, 6);
    expect(points).toHaveLength(2001);
  });
});

describe("snapping", () => {
  it("uses a 1-2-5 step about a hundredth of the span", () => {
    expect(gridStep(0, 1000)).toBe(10);
    expect(gridStep(0, 2500)).toBe(20);
    expect(gridStep(0, 1)).toBe(0.01);
    expect(gridStep(3, 3)).toBe(1);
  });

  it("rounds to the step without binary noise", () => {
    expect(snap(1234.56, 10)).toBe(1230);
    expect(snap(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(snap(0.004999, 0.01)).toBe(0);
    expect(snap(-17, 5)).toBe(-15);
    expect(snap(7, 0)).toBe(7);
  });
});

describe("shares from bins", () => {
  const bins = [
    { x0: 0, x1: 10, count: 10 },
    { x0: 10, x1: 20, count: 30 },
    { x0: 20, x1: 30, count: 60 },
  ];

  it("counts a cut bin pro rata", () => {
    expect(countBetween(bins, 0, 30)).toBe(100);
    expect(countBetween(bins, 10, 20)).toBe(30);
    expect(countBetween(bins, 15, 25)).toBe(45);
    expect(countBetween(bins, 40, 50)).toBe(0);
  });

  it("gives the band and the target share", () => {
    expect(shares(bins, 15, 5, 1, 20)).toEqual({ n: 100, inside: 0.3, above: 0.6 });
    expect(shares(bins, 15, 5, 1, null).above).toBeNull();
    expect(shares([], 0, 1, 2, 3)).toEqual({ n: 0, inside: 0, above: 0 });
  });

  it("draws bars as densities that sum to one", () => {
    expect(bins.reduce((s, b) => s + density(b, 100) * (b.x1 - b.x0), 0)).toBeCloseTo(1, 12);
  });

  it("fits mean and population stdDev from bin centres", () => {
    const fit = fitFromBins([
      { x0: 0, x1: 2, count: 1 },
      { x0: 2, x1: 4, count: 1 },
    ]);
    expect(fit).toEqual({ mean: 2, stdDev: 1 });
  });
});

describe("animation", () => {
  it("eases and interpolates numbers only", () => {
    expect(easeInOut(0)).toBe(0);
    expect(easeInOut(0.5)).toBe(0.5);
    expect(easeInOut(1)).toBe(1);
    expect(interpolateParams({ mean: 0, measure: "latency", target: null }, { mean: 10, measure: "total", target: 4 }, 0.25)).toEqual({
      mean: 2.5,
      measure: "total",
      target: 4,
    });
  });

  it("moves frame by frame and ends exactly on the target", () => {
    let now = 0;
    const queue: ((t: number) => void)[] = [];
    const clock: FrameClock = { now: () => now, request: (cb) => queue.push(cb), cancel: () => {} };
    const frames: number[] = [];
    animateParams({ mean: 0 }, { mean: 100 }, (v) => frames.push(v.mean), 400, clock);
    while (queue.length) {
      now += 100;
      queue.shift()!(now);
    }
    expect(frames).toEqual([6.25, 50, 93.75, 100]); // cubic ease in-out at t = ¼, ½, ¾, 1
  });
});

describe("throttle", () => {
  function fakeClock() {
    let now = 0;
    const timers: { at: number; cb: () => void; id: number }[] = [];
    let next = 1;
    const clock: ThrottleClock = {
      now: () => now,
      setTimeout: (cb, ms) => {
        const id = next++;
        timers.push({ at: now + ms, cb, id });
        return id;
      },
      clearTimeout: (id) => {
        const i = timers.findIndex((t) => t.id === id);
        if (i >= 0) timers.splice(i, 1);
      },
    };
    const advance = (ms: number) => {
      const end = now + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > end) break;
        timers.shift();
        now = due.at;
        due.cb();
      }
      now = end;
    };
    return { clock, advance };
  }

  it("lets at most 20 a second through and never loses the last", () => {
    const { clock, advance } = fakeClock();
    const sent: number[] = [];
    const send = throttle((x: number) => sent.push(x), 50, clock);
    for (let i = 0; i < 100; i += 1) {
      send(i);
      advance(10); // 100 moves in one second
    }
    advance(100);
    expect(sent.length).toBeLessThanOrEqual(21);
    expect(sent.length).toBeGreaterThanOrEqual(19);
    expect(sent[0]).toBe(0);
    expect(sent.at(-1)).toBe(99);
  });

  it("cancels a pending trailing call", () => {
    const { clock, advance } = fakeClock();
    const fn = vi.fn();
    const send = throttle(fn, 50, clock);
    send(1);
    send(2);
    send.cancel();
    advance(100);
    expect(fn.mock.calls).toEqual([[1]]);
  });
});

describe("CSV", () => {
  it("quotes what needs it and defuses formulas", () => {
    expect(toCsv(["a", "b"], [["x,y", 'say "hi"'], ["=SUM(A1)", 1.5], [null, Number.NaN]])).toBe(
      'a,b\r\n"x,y","say ""hi"""\r\n\'=SUM(A1),1.5\r\n,\r\n',
    );
  });

  it("has one row per bin", () => {
    const data = parseChartData(NORMAL);
    expect(dataCsv(data)).toBe("x0,x1,count\r\n0,500,2\r\n500,1000,5\r\n1000,1500,3\r\n");
  });

  it("has series points with ISO times and scatter points with their invoice", () => {
    expect(
      dataCsv({ type: "series", interval: "day", from: 0, to: 1, lines: [{ name: "EUR", points: [{ t: 86_400_000, value: 12.5 }] }] }),
    ).toBe("series,t,value\r\nEUR,1970-01-02T00:00:00.000Z,12.5\r\n");
    expect(dataCsv({ type: "scatter", x: "pages", y: "latency", points: [{ x: 2, y: 140, label: "inv-1" }] })).toBe(
      "pages,latency,label\r\n2,140,inv-1\r\n",
    );
  });

  it("makes safe file names", () => {
    expect(fileStem("  Latency / week 12 ")).toBe("Latency-week-12");
    expect(fileStem("///")).toBe("chart");
  });
});

const NORMAL: NormalData = {
  type: "normal",
  visualizationId: "v1",
  version: 3,
  from: 0,
  to: 1,
  rows: 10,
  truncated: false,
  measure: "latency",
  count: 10,
  bins: [
    { x0: 500, x1: 1000, count: 5 },
    { x0: 0, x1: 500, count: 2 },
    { x0: 1000, x1: 1500, count: 3 },
  ],
  fit: { mean: 800, stdDev: 300 },
  curve: { mean: 800, stdDev: 300 },
  k: 2,
  inside: 0.9,
  expectedInside: 0.9545,
  target: null,
  aboveTarget: null,
};

describe("/data normalisation", () => {
  it("sorts bins and keeps the fit and the server's exact shares", () => {
    const data = parseChartData(NORMAL);
    if (data.type !== "normal") throw new Error(data.type);
    expect(data.bins.map((b) => b.x0)).toEqual([0, 500, 1000]);
    expect(data.fit).toEqual({ mean: 800, stdDev: 300 });
    expect(data.exact).toMatchObject({ mean: 800, stdDev: 300, k: 2, inside: 0.9 });
    expect(data.unit).toBe("ms");
  });

  it("falls back to the fitted values where no parameter is set", () => {
    const data = parseChartData(NORMAL);
    expect(normalParams({ measure: "latency", k: 2 }, data)).toEqual({ measure: "latency", mean: 800, stdDev: 300, k: 2, target: null });
    expect(normalParams({ measure: "latency", k: 1, mean: 900, stdDev: -1, target: 2000 }, data)).toEqual({
      measure: "latency",
      mean: 900,
      stdDev: 300,
      k: 1,
      target: 2000,
    });
  });

  it("turns series groups into lines with gaps for null", () => {
    const series: SeriesData = {
      type: "series",
      visualizationId: "v",
      version: 1,
      from: 0,
      to: 3 * 86_400_000,
      rows: 4,
      truncated: false,
      measure: "latency",
      interval: "day",
      buckets: [0, 86_400_000, 2 * 86_400_000],
      groups: [{ key: "all", values: [10, null, 30] }],
    };
    const data = parseChartData(series);
    expect(data).toMatchObject({ type: "series", lines: [{ name: "all", points: [{ t: 0, value: 10 }, { t: 172_800_000, value: 30 }] }] });
  });

  it("knows which changes need new data", () => {
    expect(needsData({ measure: "latency", mean: 1 }, { measure: "latency", mean: 2, target: 3 })).toBe(false);
    expect(needsData({ measure: "latency" }, { measure: "total" })).toBe(true);
    expect(needsData({ bins: 20 }, { bins: 30 })).toBe(true);
  });
});

describe("history and saving", () => {
  const change = (version: number, parameter: string, old: unknown, value: unknown): HistoryItem => ({
    visualizationId: "v",
    at: version * 1000,
    version,
    by: { sub: "u", email: "u@example.com" },
    parameter,
    old: old as HistoryItem["old"],
    new: value as HistoryItem["new"],
  });

  it("restores the parameters as they were after a version", () => {
    const history = [change(4, "mean", 900, 950), change(3, "target", null, 2000), change(3, "mean", 800, 900), change(2, "k", 1, 2)];
    const current = { measure: "latency", k: 2, mean: 950, target: 2000 };
    expect(parametersAt(current, history, 3)).toEqual({ measure: "latency", k: 2, mean: 900, target: 2000 });
    expect(parametersAt(current, history, 2)).toEqual({ measure: "latency", k: 2, mean: 800 });
    expect(parametersAt(current, history, 1)).toEqual({ measure: "latency", k: 1, mean: 800 });
  });

  it("saves only what changed, a removed key as null", () => {
    expect(changedParameters({ measure: "latency", k: 2, target: 5 }, { measure: "latency", k: 2.5 })).toEqual({ k: 2.5, target: null });
    expect(changedParameters({ filters: { vendor: "A" } }, { filters: { vendor: "A" } })).toEqual({});
  });
});
