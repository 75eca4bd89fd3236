import { describe, expect, it } from "vitest";
import { niceScale, tickStep } from "./nice-ticks";

describe("tickStep", () => {
  it.each([
    [0, 1, 5, 0.2],
    [0, 0.467, 5, 0.1],
    [0, 10, 10, 1],
    [0, 100, 4, 20],
    [0, 880, 5, 200],
    [0, 0.003, 5, 0.0005],
  ])("[%d, %d] in about %d parts: %d", (a, b, n, step) => {
    expect(tickStep(a, b, n)).toBeCloseTo(step, 12);
  });
});

describe("niceScale", () => {
  it("widens a share that peaks at 46.7% to 0–50% in tens", () => {
    const s = niceScale(0, 0.467);
    expect(s.domain).toEqual([0, 0.5]);
    expect(s.ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  });

  it("gives 88% a 0–100% axis, never past the clamp", () => {
    const s = niceScale(0, 0.88, { clamp: [0, 1] });
    expect(s.domain).toEqual([0, 1]);
    expect(s.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("has no binary noise in its ticks", () => {
    const s = niceScale(0, 0.7);
    expect(s.ticks).toContain(0.3);
    expect(s.ticks.every((t) => String(t).length <= 4)).toBe(true);
  });

  it("widens both ends to whole steps", () => {
    const s = niceScale(123, 987);
    expect(s.domain).toEqual([0, 1000]);
    expect(s.ticks).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it("keeps a non-zero minimum when the data starts there", () => {
    const s = niceScale(412, 468);
    expect(s.domain[0]).toBeLessThanOrEqual(412);
    expect(s.domain[1]).toBeGreaterThanOrEqual(468);
    expect(s.domain[0]).toBeGreaterThan(0);
    expect(s.ticks[0]).toBe(s.domain[0]);
    expect(s.ticks.at(-1)).toBe(s.domain[1]);
  });

  it("gives an all-zero series the range 0–1", () => {
    expect(niceScale(0, 0).domain).toEqual([0, 1]);
  });

  it("gives a flat series a range around its value, not below 0 for positive data", () => {
    const s = niceScale(0.25, 0.25);
    expect(s.domain[0]).toBeGreaterThanOrEqual(0);
    expect(s.domain[0]).toBeLessThan(0.25);
    expect(s.domain[1]).toBeGreaterThan(0.25);
  });

  it("handles small money values", () => {
    const s = niceScale(0, 0.0042);
    expect(s.domain).toEqual([0, 0.005]);
    expect(s.ticks).toEqual([0, 0.001, 0.002, 0.003, 0.004, 0.005]);
  });

  it("treats non-finite input as 0–1", () => {
    expect(niceScale(Number.NaN, Number.POSITIVE_INFINITY).domain).toEqual([0, 1]);
  });

  it("takes the range in either order", () => {
    expect(niceScale(0.467, 0).domain).toEqual([0, 0.5]);
  });
});
