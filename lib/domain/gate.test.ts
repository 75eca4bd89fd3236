import { describe, expect, it } from "vitest";
import type { CaseScores } from "@/lib/schemas/eval-metrics";
import { gateEvaluationSchema, gatePolicySchema, type GatePolicyInput } from "@/lib/schemas/gates";
import {
  compare,
  evaluateGate,
  formatMetricValue,
  gateBlocker,
  gateWithoutPolicy,
  leakageFailure,
  NO_POLICY_NOTE,
  NO_PRODUCTION_NOTE,
  NO_SUITE_NOTE,
  NOT_EVALUATED_NOTE,
  type GateSide,
} from "./gate";

const policy = (p: GatePolicyInput) => gatePolicySchema.parse(p);

/** A run whose tool_call_accuracy case scores are `scores`, slices given per case. */
function run(
  scores: readonly (0 | 1)[],
  slice: (i: number) => CaseScores["slice"] = () => ({
    tool: "get_weather",
    intent: null,
  }),
  extra: GateSide["metrics"] = {},
): GateSide {
  const cases: CaseScores[] = scores.map((s, i) => ({
    scores: { tool_call_accuracy: s },
    reasons: {},
    slice: slice(i),
  }));
  const mean = scores.reduce<number>((a, b) => a + b, 0) / Math.max(scores.length, 1);
  return { metrics: { tool_call_accuracy: mean, ...extra }, cases };
}

/** n cases of which the first `ones` score 1. */
const ones = (n: number, k: number) =>
  Array.from({ length: n }, (_, i) => (i < k ? 1 : 0) as 0 | 1);

describe("gate policy schema", () => {
  it("fills defaults and refuses unknown metrics and roles", () => {
    const p = policy({});
    expect(p).toMatchObject({
      conditions: [],
      sliceConditions: [],
      ciConditions: [],
      minCases: 50,
      requireApproval: false,
      approverRoles: ["OWNER", "ADMIN"],
      approverMustDifferFromLauncher: false,
    });
    expect(
      policy({
        sliceConditions: [{ metric: "tool_call_accuracy", by: "tool", maxRegression: 0.05 }],
      }).sliceConditions[0]?.minCasesPerSlice,
    ).toBe(5);
    expect(policy({ ciConditions: [{ metric: "exact_match" }] }).ciConditions[0]).toEqual({
      metric: "exact_match",
      confidence: 0.95,
      minLowerBound: 0,
      resamples: 2000,
    });
    const bad = gatePolicySchema.safeParse({
      conditions: [{ metric: "vibes", op: ">=", threshold: 1 }],
      approverRoles: ["ROOT"],
      // Slices and CIs are over per-case 0/1 scores: run-level metrics have none.
      ciConditions: [{ metric: "latency_p95_ms" }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual([
      "conditions.0.metric",
      "ciConditions.0.metric",
      "approverRoles.0",
    ]);
  });
});

describe("evaluateGate", () => {
  it("is NOT_EVALUATED while the candidate has no evaluation, naming the missing evidence", () => {
    const g = evaluateGate({
      policy: policy({ conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.7 }] }),
      candidate: null,
      production: null,
    });
    expect(g.status).toBe("NOT_EVALUATED");
    expect(g.conditions[0]).toMatchObject({ value: null, effectiveThreshold: 0.7, passed: false });
    expect(g.failures).toEqual([NOT_EVALUATED_NOTE]);
    expect(gateEvaluationSchema.parse(g)).toEqual(g);
  });

  it("passes and fails absolute conditions with a sentence per failure", () => {
    const p = policy({
      minCases: 10,
      conditions: [
        { metric: "tool_call_accuracy", op: ">=", threshold: 0.7 },
        { metric: "latency_p95_ms", op: "<=", threshold: 800 },
      ],
    });
    const good = evaluateGate({
      policy: p,
      candidate: run(ones(50, 40), undefined, { latency_p95_ms: 640 }),
      production: null,
    });
    expect(good.status).toBe("PASSED");
    expect(good.conditions.map((c) => c.passed)).toEqual([true, true]);

    const bad = evaluateGate({
      policy: p,
      candidate: run(ones(50, 31), undefined, { latency_p95_ms: 912.5 }),
      production: null,
    });
    expect(bad.status).toBe("FAILED");
    expect(bad.failures).toEqual(["tool_call_accuracy 0.62 < 0.70", "latency_p95_ms 912.50 > 800"]);
    expect(gateEvaluationSchema.parse(bad)).toEqual(bad);
  });

  it("fails when fewer cases than minCases were scored, even if every condition passes", () => {
    const g = evaluateGate({
      policy: policy({
        minCases: 50,
        conditions: [{ metric: "tool_call_accuracy", op: ">", threshold: 0.5 }],
      }),
      candidate: run(ones(20, 20)),
      production: null,
    });
    expect(g).toMatchObject({ status: "FAILED", caseCount: 20, minCases: 50, enoughCases: false });
    expect(g.conditions[0]?.passed).toBe(true);
    expect(g.failures).toEqual(["only 20 cases evaluated; the policy needs at least 50"]);
  });

  it("fails a condition on a metric the candidate run lacks, with a note", () => {
    const g = evaluateGate({
      policy: policy({
        minCases: 1,
        conditions: [{ metric: "schema_validity", op: ">=", threshold: 0.9 }],
      }),
      candidate: run(ones(5, 5)),
      production: null,
    });
    expect(g.status).toBe("FAILED");
    expect(g.conditions[0]).toMatchObject({
      value: null,
      passed: false,
      note: "the candidate run has no schema_validity",
    });
    expect(g.failures).toEqual(["schema_validity: the candidate run has no schema_validity"]);
  });

  it("compares relative conditions with production's value plus the threshold", () => {
    const p = policy({
      minCases: 10,
      conditions: [
        { metric: "tool_call_accuracy", op: ">=", threshold: -0.01, relativeTo: "production" },
      ],
    });
    const production = run(ones(100, 70));
    // Exactly 0.01 worse: allowed despite 0.7 - 0.01 being 0.6899999999999999 in floats.
    const edge = evaluateGate({ policy: p, candidate: run(ones(100, 69)), production });
    expect(edge.conditions[0]).toMatchObject({
      value: 0.69,
      baseline: 0.7,
      effectiveThreshold: 0.69,
      passed: true,
    });
    expect(edge.status).toBe("PASSED");

    const worse = evaluateGate({ policy: p, candidate: run(ones(100, 65)), production });
    expect(worse.status).toBe("FAILED");
    expect(worse.failures).toEqual(["tool_call_accuracy 0.65 < 0.69 (production 0.70 − 0.01)"]);
  });

  it("passes relative checks with a note when there is no production version yet", () => {
    const g = evaluateGate({
      policy: policy({
        minCases: 10,
        conditions: [
          { metric: "tool_call_accuracy", op: ">=", threshold: 0, relativeTo: "production" },
        ],
        sliceConditions: [{ metric: "tool_call_accuracy", by: "tool", maxRegression: 0 }],
        ciConditions: [{ metric: "tool_call_accuracy" }],
      }),
      candidate: run(ones(20, 10)),
      production: null,
    });
    expect(g.status).toBe("PASSED");
    expect(g.conditions[0]).toMatchObject({
      passed: true,
      note: NO_PRODUCTION_NOTE,
      baseline: null,
    });
    expect(g.slices).toEqual([
      expect.objectContaining({ skipped: true, passed: true, note: NO_PRODUCTION_NOTE }),
    ]);
    expect(g.intervals).toEqual([
      expect.objectContaining({ passed: true, note: NO_PRODUCTION_NOTE }),
    ]);
  });

  it("fails a relative condition when production exists but lacks the metric", () => {
    const g = evaluateGate({
      policy: policy({
        minCases: 1,
        conditions: [
          { metric: "latency_p95_ms", op: "<=", threshold: 50, relativeTo: "production" },
        ],
      }),
      candidate: run(ones(5, 5), undefined, { latency_p95_ms: 100 }),
      production: run(ones(5, 5)),
    });
    expect(g.status).toBe("FAILED");
    expect(g.failures).toEqual([
      "latency_p95_ms: the production run has no latency_p95_ms to compare with",
    ]);
  });

  it("fails a slice that regressed beyond maxRegression, skips small slices and unnamed intents", () => {
    // 40 paired cases: 20 get_weather, 17 book_flight, 3 cancel (too few to judge).
    const tool = (i: number) => (i < 20 ? "get_weather" : i < 37 ? "book_flight" : "cancel");
    const slice = (i: number) => ({ tool: tool(i), intent: i < 20 ? "weather" : null });
    const prod = Array.from({ length: 40 }, () => 1 as const);
    // Candidate: get_weather 20/20, book_flight 15/17 (fell 0.1176), cancel 0/3.
    const cand = prod.map((_, i) => ((i >= 35 && i < 37) || i >= 37 ? 0 : 1) as 0 | 1);
    const g = evaluateGate({
      policy: policy({
        minCases: 10,
        sliceConditions: [
          { metric: "tool_call_accuracy", by: "tool", maxRegression: 0.05 },
          { metric: "tool_call_accuracy", by: "intent", maxRegression: 0 },
        ],
      }),
      candidate: run(cand, slice),
      production: run(prod, slice),
    });
    expect(g.slices.map((s) => [s.by, s.key, s.cases, s.skipped, s.passed])).toEqual([
      ["tool", "book_flight", 17, false, false],
      ["tool", "cancel", 3, true, true],
      ["tool", "get_weather", 20, false, true],
      ["intent", "weather", 20, false, true],
    ]);
    expect(g.status).toBe("FAILED");
    expect(g.failures).toEqual(["slice tool=book_flight: tool_call_accuracy fell 0.1176 (> 0.05)"]);
  });

  it("slices by category and by turn position, leaving out cases without the key", () => {
    // 30 conversations of 2 turns each (case 2k is turn "1", 2k+1 turn "2"); the first 40
    // cases are category "simple", the last 20 have none.
    const slice = (i: number) => ({
      tool: "get_weather",
      intent: null,
      turn: String((i % 2) + 1),
      ...(i < 40 ? { category: "simple" } : {}),
    });
    const prod = Array.from({ length: 60 }, () => 1 as const);
    // The candidate gets every second turn wrong in 12 of 30 conversations: turn "2" falls 0.4.
    const cand = prod.map((_, i) => (i % 2 === 1 && i < 24 ? 0 : 1) as 0 | 1);
    const g = evaluateGate({
      policy: policy({
        minCases: 10,
        sliceConditions: [
          { metric: "tool_call_accuracy", by: "turn", maxRegression: 0.05 },
          { metric: "tool_call_accuracy", by: "category", maxRegression: 0.5 },
        ],
      }),
      candidate: run(cand, slice),
      production: run(prod, slice),
    });
    expect(g.slices.map((s) => [s.by, s.key, s.cases, s.regression, s.passed])).toEqual([
      ["turn", "1", 30, 0, true],
      ["turn", "2", 30, 0.4, false],
      ["category", "simple", 40, 0.3, true],
    ]);
    expect(g.failures).toEqual(["slice turn=2: tool_call_accuracy fell 0.40 (> 0.05)"]);
  });

  it("holds conversation_success like any metric, absolutely or against production", () => {
    const cand = run(ones(60, 60), undefined, { conversation_success: 0.7 });
    const g = evaluateGate({
      policy: policy({
        minCases: 10,
        conditions: [
          { metric: "conversation_success", op: ">=", threshold: 0.8 },
          { metric: "conversation_success", op: ">=", threshold: -0.05, relativeTo: "production" },
          { metric: "tool_call_accuracy", op: ">=", threshold: 0.9 },
        ],
      }),
      candidate: cand,
      production: run(ones(60, 60), undefined, { conversation_success: 0.72 }),
    });
    expect(g.conditions.map((c) => [c.metric, c.value, c.effectiveThreshold, c.passed])).toEqual([
      ["conversation_success", 0.7, 0.8, false],
      ["conversation_success", 0.7, 0.67, true],
      ["tool_call_accuracy", 1, 0.9, true],
    ]);
    expect(g.failures).toEqual(["conversation_success 0.70 < 0.80"]);
    const pass = evaluateGate({
      policy: policy({
        minCases: 10,
        conditions: [{ metric: "conversation_success", op: ">=", threshold: 0.7 }],
      }),
      candidate: cand,
      production: null,
    });
    expect(pass.status).toBe("PASSED");
    // A first-turn suite's run has no conversation_success: the condition fails, saying why.
    const missing = evaluateGate({
      policy: policy({
        minCases: 10,
        conditions: [{ metric: "conversation_success", op: ">=", threshold: 0.5 }],
      }),
      candidate: run(ones(60, 60)),
      production: null,
    });
    expect(missing.status).toBe("FAILED");
    expect(missing.failures).toEqual([
      'conversation_success: the candidate run has no conversation_success (only suites that evaluate every turn, turns "all", report it)',
    ]);
    expect(
      gatePolicySchema.safeParse({
        conditions: [{ metric: "conversation_success", op: ">=", threshold: 1 }],
      }).success,
    ).toBe(true);
  });

  it("pairs by case index and ignores cases present on one side only", () => {
    const candidate = run(ones(60, 60));
    const production = run(ones(50, 50)); // 10 extra candidate cases are unpaired
    const g = evaluateGate({
      policy: policy({
        minCases: 10,
        sliceConditions: [{ metric: "tool_call_accuracy", by: "tool", maxRegression: 0 }],
        ciConditions: [{ metric: "tool_call_accuracy", minLowerBound: -0.05 }],
      }),
      candidate,
      production,
    });
    expect(g.caseCount).toBe(60);
    expect(g.slices[0]).toMatchObject({ cases: 50, regression: 0, passed: true });
    expect(g.intervals[0]).toMatchObject({ cases: 50, lower: 0, upper: 0, passed: true });
  });

  it("uses the bootstrap CI so a small eval set cannot pass on luck", () => {
    const p = policy({ minCases: 5, ciConditions: [{ metric: "tool_call_accuracy" }] });
    const small = evaluateGate({
      policy: p,
      candidate: run([1, 1, 0, 1, 0]),
      production: run([0, 1, 0, 1, 0]),
    });
    expect(small.status).toBe("FAILED");
    expect(small.intervals[0]).toMatchObject({ cases: 5, mean: 0.2, passed: false });
    expect(small.failures[0]).toMatch(
      /^tool_call_accuracy: 95% CI of the difference from production \[0, 0\.\d+\] has lower bound 0 ≤ 0$/,
    );

    // 200 cases, production 120 right, candidate fixes 50 more and breaks none.
    const big = evaluateGate({
      policy: p,
      candidate: run(ones(200, 170)),
      production: run(ones(200, 120)),
    });
    expect(big.status).toBe("PASSED");
    expect(big.intervals[0]!.lower).toBeGreaterThan(0);
    // Reproducible: the stored evidence can be recomputed exactly.
    expect(
      evaluateGate({ policy: p, candidate: run(ones(200, 170)), production: run(ones(200, 120)) }),
    ).toEqual(big);
  });

  it("fails slice and CI checks when no case is scored on both sides", () => {
    const g = evaluateGate({
      policy: policy({
        minCases: 1,
        sliceConditions: [{ metric: "exact_match", by: "tool", maxRegression: 0 }],
        ciConditions: [{ metric: "exact_match" }],
      }),
      candidate: run(ones(10, 10)),
      production: run(ones(10, 10)),
    });
    expect(g.status).toBe("FAILED");
    expect(g.failures).toEqual([
      "slice tool: exact_match: no cases scored on exact_match in both the candidate and production runs",
      "exact_match: no cases scored on exact_match in both the candidate and production runs",
    ]);
  });
});

describe("compare and formatMetricValue", () => {
  it("applies each operator with float tolerance", () => {
    expect(compare(0.7 - 0.01, ">=", 0.69)).toBe(true);
    expect(compare(0.69, ">", 0.69)).toBe(false);
    expect(compare(0.69, "<", 0.7)).toBe(true);
    expect(compare(0.7, "<=", 0.69)).toBe(false);
  });
  it("prints two to four decimals", () => {
    expect([0.7, 0.62, 0.695, 0.123456, 412, 912.5].map(formatMetricValue)).toEqual([
      "0.70",
      "0.62",
      "0.695",
      "0.1235",
      "412",
      "912.50",
    ]);
  });
});

describe("no evidence is never a pass", () => {
  it("without a policy: NOT_EVALUATED until an evaluation finishes, then PENDING, never PASSED", () => {
    expect(gateWithoutPolicy({ hasSuite: false, own: null })).toEqual({
      status: "NOT_EVALUATED",
      failures: [NOT_EVALUATED_NOTE, NO_SUITE_NOTE, NO_POLICY_NOTE],
    });
    expect(gateWithoutPolicy({ hasSuite: true, own: null }).status).toBe("NOT_EVALUATED");
    expect(gateWithoutPolicy({ hasSuite: true, own: { status: "QUEUED" } }).status).toBe("PENDING");
    const failed = gateWithoutPolicy({ hasSuite: true, own: { status: "FAILED", error: "OOM" } });
    expect(failed.status).toBe("NOT_EVALUATED");
    expect(failed.failures[0]).toContain("OOM");
    expect(gateWithoutPolicy({ hasSuite: true, own: { status: "SUCCEEDED" } })).toEqual({
      status: "PENDING",
      failures: [NO_POLICY_NOTE],
    });
  });

  it("blocks production on every status but PASSED, naming what is missing", () => {
    expect(gateBlocker({ status: "PASSED", failures: [] })).toBeNull();
    expect(gateBlocker({ status: "NOT_EVALUATED", failures: [NOT_EVALUATED_NOTE] })).toBe(
      "the version has not been evaluated: no evaluation of this version has finished",
    );
    expect(gateBlocker({ status: "PENDING", failures: [NO_POLICY_NOTE] })).toContain(
      "no gate policy",
    );
    expect(gateBlocker({ status: "FAILED", failures: ["x 0.1 < 0.7"] })).toBe(
      "the gate failed: x 0.1 < 0.7",
    );
  });
});

describe("leakage", () => {
  const check = (overlapping: number | null, suiteCases: number | null = 30) => ({
    suiteDatasetVersionId: "dv-suite",
    suiteSplit: "all",
    trainingDatasetVersionId: "dv-train",
    suiteCases,
    overlapping,
    ...(overlapping === null ? { note: "not checked: no training job" } : {}),
  });

  it("fails an otherwise passing gate when suite cases are training rows, and keeps the count", () => {
    const p = policy({
      minCases: 10,
      conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.7 }],
    });
    const candidate = run(ones(30, 30));
    const leaky = evaluateGate({ policy: p, candidate, production: null, leakage: check(12) });
    expect(leaky.status).toBe("FAILED");
    expect(leaky.failures).toEqual([
      "12 of 30 suite cases are in the candidate's training data (leakage)",
    ]);
    expect(leaky.leakage).toMatchObject({ suiteCases: 30, overlapping: 12 });
    expect(gateEvaluationSchema.parse(leaky)).toEqual(leaky);

    const clean = evaluateGate({ policy: p, candidate, production: null, leakage: check(0) });
    expect(clean.status).toBe("PASSED");
    expect(clean.leakage?.overlapping).toBe(0);
    // Not checkable (no training job): recorded, not a failure.
    const unknown = evaluateGate({ policy: p, candidate, production: null, leakage: check(null) });
    expect(unknown.status).toBe("PASSED");
    expect(unknown.leakage?.note).toContain("not checked");
  });

  it("words one overlapping case in the singular", () => {
    expect(leakageFailure(check(1))).toBe(
      "1 of 30 suite cases is in the candidate's training data (leakage)",
    );
    expect(leakageFailure(check(0))).toBeNull();
  });
});
