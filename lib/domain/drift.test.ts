import { describe, expect, it } from "vitest";
import { breaches, psi, unseenShare, windowBucketStart } from "./drift";
import { formatDuration, parseDuration } from "./durations";
import { latencyBucket, quantileFromBuckets } from "./latency-histogram";

const m = (o: Record<string, number>) => new Map(Object.entries(o));

describe("psi", () => {
  it("is zero for identical distributions, whatever the totals", () => {
    expect(psi(m({ a: 10, b: 30 }), m({ a: 100, b: 300 }))).toBeCloseTo(0, 12);
  });
  it("matches the textbook value for a two-bin shift", () => {
    // e = (0.5, 0.5), a = (0.8, 0.2): 0.3·ln(1.6) + (−0.3)·ln(0.4)
    const expected = 0.3 * Math.log(1.6) - 0.3 * Math.log(0.4);
    expect(psi(m({ a: 50, b: 50 }), m({ a: 80, b: 20 }))).toBeCloseTo(expected, 10);
  });
  it("stays finite when a category is new, and grows with its share", () => {
    const small = psi(m({ a: 100 }), m({ a: 95, b: 5 }))!;
    const big = psi(m({ a: 100 }), m({ a: 50, b: 50 }))!;
    expect(Number.isFinite(small)).toBe(true);
    expect(big).toBeGreaterThan(small);
    expect(big).toBeGreaterThan(0.25);
  });
  it("is null when a side is empty", () => {
    expect(psi(m({}), m({ a: 1 }))).toBeNull();
    expect(psi(m({ a: 1 }), m({}))).toBeNull();
  });
});

describe("unseenShare", () => {
  it("counts calls, not names, outside the known set", () => {
    expect(unseenShare(new Set(["a"]), m({ a: 3, b: 1 }))).toBe(0.25);
    expect(unseenShare(new Set(["a"]), m({}))).toBeNull();
  });
});

describe("comparators and windows", () => {
  it("compares strictly or not", () => {
    expect(breaches(0.2, "gt", 0.2)).toBe(false);
    expect(breaches(0.2, "gte", 0.2)).toBe(true);
    expect(breaches(0.1, "lt", 0.2)).toBe(true);
    expect(breaches(0.2, "lte", 0.2)).toBe(true);
  });
  it("puts two checks of one window in the same bucket", () => {
    const a = windowBucketStart(new Date("2026-11-27T10:05:00Z"), 3600);
    const b = windowBucketStart(new Date("2026-11-27T10:59:59Z"), 3600);
    expect(a.toISOString()).toBe("2026-11-27T10:00:00.000Z");
    expect(b).toEqual(a);
  });
});

describe("durations", () => {
  it("round-trips", () => {
    expect(parseDuration("15m")).toBe(900);
    expect(parseDuration("7d")).toBe(604_800);
    expect(formatDuration(604_800)).toBe("1w");
    expect(formatDuration(5400)).toBe("90m");
    expect(formatDuration(45)).toBe("45s");
    expect(() => parseDuration("7 days")).toThrow(/duration/);
  });
});

describe("latency histogram", () => {
  it("reads p95 within 6% of the exact value", () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 20 + ((i * 7919) % 1000));
    const buckets = new Map<number, number>();
    for (const v of values) buckets.set(latencyBucket(v), (buckets.get(latencyBucket(v)) ?? 0) + 1);
    const exact = [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1]!;
    const approx = quantileFromBuckets(buckets, 0.95)!;
    expect(Math.abs(approx - exact) / exact).toBeLessThan(0.06);
    expect(quantileFromBuckets(new Map(), 0.95)).toBeNull();
  });
});
