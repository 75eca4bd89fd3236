import { describe, expect, it } from "vitest";
import { pairedBootstrapCI } from "./bootstrap";
import { mulberry32 } from "./prng";

/** 0/1 scores where each case is 1 with probability p, from a seeded stream. */
function scores(n: number, p: number, seed: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => (r() < p ? 1 : 0));
}

describe("pairedBootstrapCI", () => {
  it("puts the lower bound above 0 for a clearly better candidate on 200 cases", () => {
    const production = scores(200, 0.6, 1);
    // The candidate keeps every case production got right and fixes most of the rest.
    const fixes = scores(200, 0.6, 2);
    const candidate = production.map((p, i) => Math.max(p, fixes[i] as number));
    const ci = pairedBootstrapCI({ candidate, production });
    expect(ci).not.toBeNull();
    expect(ci!.n).toBe(200);
    expect(ci!.lower).toBeGreaterThan(0);
    expect(ci!.lower).toBeLessThanOrEqual(ci!.mean);
    expect(ci!.upper).toBeGreaterThanOrEqual(ci!.mean);
  });

  it("gives an interval containing 0 for identical runs", () => {
    const a = scores(100, 0.7, 3);
    const ci = pairedBootstrapCI({ candidate: a, production: [...a] })!;
    expect(ci.mean).toBe(0);
    expect(ci.lower).toBeLessThanOrEqual(0);
    expect(ci.upper).toBeGreaterThanOrEqual(0);
  });

  it("is not fooled by a tiny set: 5 cases, 1 better, lower bound ≤ 0", () => {
    const ci = pairedBootstrapCI({ candidate: [1, 1, 0, 1, 0], production: [0, 1, 0, 1, 0] })!;
    expect(ci.mean).toBeCloseTo(0.2);
    expect(ci.lower).toBeLessThanOrEqual(0);
  });

  it("is deterministic for a seed and varies with it", () => {
    // Continuous values: with 0/1 scores two seeds can land on the same percentiles.
    const r = mulberry32(4);
    const candidate = Array.from({ length: 60 }, () => r());
    const production = Array.from({ length: 60 }, () => r());
    const a = pairedBootstrapCI({ candidate, production, seed: 7 });
    const b = pairedBootstrapCI({ candidate, production, seed: 7 });
    const c = pairedBootstrapCI({ candidate, production, seed: 8 });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("widens with confidence, returns null without pairs and refuses unpaired input", () => {
    const candidate = scores(80, 0.7, 6);
    const production = scores(80, 0.6, 7);
    const narrow = pairedBootstrapCI({ candidate, production, confidence: 0.8 })!;
    const wide = pairedBootstrapCI({ candidate, production, confidence: 0.99 })!;
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
    expect(pairedBootstrapCI({ candidate: [], production: [] })).toBeNull();
    expect(() => pairedBootstrapCI({ candidate: [1], production: [] })).toThrow(/length/);
  });
});
