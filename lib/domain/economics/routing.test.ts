import { describe, expect, it } from "vitest";
import {
  routingCurveSchema,
  type CalibrationCase,
  type RoutingPoint,
} from "@/lib/schemas/economics";
import { mulberry32 } from "../prng";
import { applyRule, confidenceSignals, sweepThresholds, thresholdCandidates } from "./routing";

// Six hand-made cases; every candidate call costs $0.001 and every frontier call $0.01, so an
// escalated call costs $0.011.
const c = (
  id: string,
  candidateCorrect: number,
  frontierCorrect: number,
  meanLogprob: number | null,
  minLogprob: number | null,
  valid = true,
): CalibrationCase => ({
  id,
  candidateCorrect,
  frontierCorrect,
  meanLogprob,
  minLogprob,
  valid,
  candidateCostUsd: 0.001,
  frontierCostUsd: 0.01,
});
const CASES: CalibrationCase[] = [
  c("a", 1, 1, -0.1, -2.0),
  c("b", 1, 1, -0.2, -0.5),
  c("c", 0, 1, -0.5, -1.0),
  c("d", 1, 0, -0.3, -0.4),
  c("e", 0, 1, -0.05, -0.1, false), // confident but invalid: always escalated
  c("f", 0, 1, null, null), // no log-probabilities
];

const strip = ({ minConfidence: _, ...o }: RoutingPoint) => o;

describe("confidence signals", () => {
  it("are the mean and the minimum of the token log-probabilities", () => {
    expect(confidenceSignals([-0.5, -0.25, -1.5])).toEqual({
      meanLogprob: -0.75,
      minLogprob: -1.5,
    });
    expect(confidenceSignals([])).toEqual({ meanLogprob: null, minLogprob: null });
    expect(confidenceSignals(null)).toEqual({ meanLogprob: null, minLogprob: null });
  });
});

describe("threshold candidates", () => {
  it("are the two ends and the distinct observed quantiles, ascending", () => {
    expect(thresholdCandidates([-0.1, -0.5, -0.1, -0.3], 100)).toEqual([
      "-inf",
      -0.5,
      -0.3,
      -0.1,
      "+inf",
    ]);
    expect(thresholdCandidates([], 100)).toEqual(["-inf", "+inf"]);
    // 4 quantiles of 0..100: ranks 0, 25, 50, 75, 100
    const many = Array.from({ length: 101 }, (_, i) => 0 - i / 100);
    expect(thresholdCandidates(many, 4)).toEqual(["-inf", -1, -0.75, -0.5, -0.25, 0, "+inf"]);
  });
});

describe("the calibration sweep, checked by hand", () => {
  const curve = sweepThresholds(CASES, { signal: "mean_logprob", margin: 0.01 });

  it("has the baselines", () => {
    // frontier right on a, b, c, e, f; candidate on a, b, d
    expect(curve.frontierOnly.accuracy).toBeCloseTo(5 / 6, 15);
    expect(curve.frontierOnly.costPer1kUsd).toBeCloseTo(10, 12);
    expect(curve.candidateOnly.accuracy).toBeCloseTo(3 / 6, 15);
    expect(curve.candidateOnly.costPer1kUsd).toBeCloseTo(1, 12);
    expect(routingCurveSchema.parse(curve)).toEqual(curve);
  });

  it("computes every point", () => {
    // τ, kept, correct (candidate on kept + frontier on escalated), cost = kept × 0.001 + escalated × 0.011
    const expected: [RoutingPoint["minConfidence"], number, number][] = [
      ["-inf", 5, 4], // kept a b c d f: 1+1+0+1+0, e escalated: 1
      [-0.5, 4, 5], // kept a b c d; e, f escalated
      [-0.3, 3, 6], // kept a b d; c, e, f escalated: all right
      [-0.2, 2, 5], // kept a b; d escalated to a wrong frontier
      [-0.1, 1, 5],
      [-0.05, 0, 5], // e has -0.05 but is invalid
      ["+inf", 0, 5],
    ];
    expect(curve.points.map((p) => p.minConfidence)).toEqual(expected.map((e) => e[0]));
    curve.points.forEach((p, i) => {
      const [, kept, correct] = expected[i]!;
      expect(p.kept).toBe(kept);
      expect(p.escalated).toBe(6 - kept);
      expect(p.keptShare).toBeCloseTo(kept / 6, 15);
      expect(p.hybridAccuracy).toBeCloseTo(correct / 6, 15);
      expect(p.costPer1kUsd).toBeCloseTo(((kept * 0.001 + (6 - kept) * 0.011) / 6) * 1_000, 12);
    });
  });

  it("chooses the cheapest τ within the margin of frontier-only", () => {
    // "-inf" is cheapest but 4/6 < 5/6 − 0.01; −0.5 is the cheapest at 5/6
    expect(curve.chosenIndex).toBe(1);
    expect(curve.chosenRule).toEqual({
      escalateWhenInvalid: true,
      minConfidence: -0.5,
      signal: "mean_logprob",
    });
    expect(curve.chosenBeatsFrontierOnly).toBe(true);
    // a zero margin still admits a point equal to frontier-only
    expect(sweepThresholds(CASES, { margin: 0 }).chosenIndex).toBe(1);
    // a wide margin admits "-inf"
    expect(sweepThresholds(CASES, { margin: 0.2 }).chosenRule?.minConfidence).toBe("-inf");
  });

  it("thresholds the signal it is asked for", () => {
    const min = sweepThresholds(CASES, { signal: "min_logprob" });
    expect(min.points.map((p) => p.minConfidence)).toEqual([
      "-inf",
      -2,
      -1,
      -0.5,
      -0.4,
      -0.1,
      "+inf",
    ]);
    // τ = −0.5 on the minimum keeps b (−0.5) and d (−0.4): 1 + 1, escalated a c e f: 1 + 1 + 1 + 1
    const p = min.points[3]!;
    expect([p.kept, p.hybridAccuracy]).toEqual([2, 1]);
    expect(p.costPer1kUsd).toBeCloseTo(((2 * 0.001 + 4 * 0.011) / 6) * 1_000, 12);
  });

  it("keeps invalid outputs when told validity does not escalate", () => {
    const loose = sweepThresholds(CASES, { escalateWhenInvalid: false });
    expect(loose.points[0]!.kept).toBe(6);
    expect(loose.points[0]!.hybridAccuracy).toBeCloseTo(3 / 6, 15);
  });

  it("chooses nothing without cases", () => {
    const empty = sweepThresholds([]);
    expect(empty.points.map((p) => p.minConfidence)).toEqual(["-inf", "+inf"]);
    expect(empty.chosenIndex).toBeNull();
    expect(empty.chosenRule).toBeNull();
  });
});

describe("applyRule gives what the curve claims", () => {
  it("on the hand-made cases, point by point", () => {
    for (const signal of ["mean_logprob", "min_logprob"] as const) {
      for (const p of sweepThresholds(CASES, { signal }).points) {
        const got = applyRule(
          { escalateWhenInvalid: true, minConfidence: p.minConfidence, signal },
          CASES,
        );
        expect(got.kept).toBe(p.kept);
        expect(got.hybridAccuracy).toBe(p.hybridAccuracy);
        expect(got.costPer1kUsd).toBeCloseTo(p.costPer1kUsd, 12);
      }
    }
  });

  it("on 5,000 random cases with scores, nulls and invalid outputs", () => {
    const rand = mulberry32(1717);
    const cases: CalibrationCase[] = Array.from({ length: 5_000 }, (_, i) => {
      const tokens = Array.from({ length: 1 + Math.floor(rand() * 40) }, () =>
        Math.log(0.05 + 0.95 * rand()),
      );
      const s = rand() < 0.05 ? { meanLogprob: null, minLogprob: null } : confidenceSignals(tokens);
      return {
        id: String(i),
        candidateCorrect: rand() < 0.3 ? rand() : rand() < 0.7 ? 1 : 0,
        frontierCorrect: rand() < 0.9 ? 1 : 0,
        ...s,
        valid: rand() < 0.93,
        candidateCostUsd: 0.0002 + rand() * 0.0005,
        frontierCostUsd: 0.005 + rand() * 0.02,
      };
    });
    for (const signal of ["mean_logprob", "min_logprob"] as const) {
      const curve = sweepThresholds(cases, { signal, margin: 0.02 });
      expect(curve.points.length).toBeGreaterThan(90);
      expect(curve.points.length).toBeLessThanOrEqual(103);
      curve.points
        .slice(1)
        .forEach((p, i) => expect(p.kept).toBeLessThanOrEqual(curve.points[i]!.kept));
      for (const p of curve.points) {
        const got = applyRule(
          { escalateWhenInvalid: true, minConfidence: p.minConfidence, signal },
          cases,
        );
        expect(got.kept).toBe(p.kept);
        expect(got.hybridAccuracy).toBeCloseTo(p.hybridAccuracy, 12);
        expect(got.costPer1kUsd).toBeCloseTo(p.costPer1kUsd, 9);
      }
      const chosen = applyRule(curve.chosenRule!, cases);
      const claimed = strip(curve.points[curve.chosenIndex!]!);
      expect(chosen.kept).toBe(claimed.kept);
      expect(chosen.hybridAccuracy).toBeGreaterThanOrEqual(
        curve.frontierOnly.accuracy - 0.02 - 1e-9,
      );
    }
  });
});
