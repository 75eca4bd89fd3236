/**
 * The gate over a multi-turn suite (turns "all"): the registry reads a version's stored run as it
 * reads any (gate-decisions.ts computeGate), and a policy can hold turn-level accuracy,
 * conversation_success, or per-turn slices against production. The runs are real endpoint runs
 * of evals/multi-turn-fixtures.ts (the fake vLLM: one version answers every turn right, the
 * other gets one second and one third turn wrong).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatePolicySchema, type GatePolicyInput } from "@/lib/schemas/gates";
import { p, setUpEvals, tearDownEvals } from "@/lib/server/evals/eval-fixtures";
import { runWorkflow, setUpWorkflowSuite } from "@/lib/server/evals/multi-turn-fixtures";

const { db } = await import("@/lib/server/core/db");
const { computeGate } = await import("./gate-decisions");

beforeAll(setUpEvals);
afterAll(tearDownEvals);

describe("a gate over a multi-turn suite", () => {
  let suiteId: string;

  beforeAll(async () => {
    suiteId = await setUpWorkflowSuite();
  });

  it("holds either level, and per-turn slices against production", async () => {
    const perfect = await runWorkflow(suiteId, false);
    const flawed = await runWorkflow(suiteId, true);
    expect([perfect.status, flawed.status]).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    const m = await db().model.create({
      data: { teamId: p.teamId, name: "refund agent", evalSuiteId: suiteId },
    });
    const version = (n: number, stage: "CANDIDATE" | "PRODUCTION") =>
      db().modelVersion.create({
        data: { teamId: p.teamId, modelId: m.id, version: n, stage, baseModel: "retune/tiny-chat" },
      });
    const production = await version(1, "PRODUCTION");
    const candidate = await version(2, "CANDIDATE");
    // The runs stand for each version served behind the endpoint: the registry reads a
    // version's newest run on the suite, whatever generated it.
    await db().evalRun.update({
      where: { id: perfect.runId },
      data: { modelVersionId: production.id },
    });
    await db().evalRun.update({
      where: { id: flawed.runId },
      data: { modelVersionId: candidate.id },
    });
    const gate = async (policy: GatePolicyInput) =>
      (await computeGate(candidate, gatePolicySchema.parse(policy), suiteId)).evaluation;

    // Turn-level accuracy passes 0.8; conversation success does not reach 0.75.
    const levels = await gate({
      minCases: 12,
      conditions: [
        { metric: "tool_call_accuracy", op: ">=", threshold: 0.8 },
        { metric: "conversation_success", op: ">=", threshold: 0.75 },
      ],
    });
    expect(levels.conditions.map((c) => [c.metric, c.value, c.passed])).toEqual([
      ["tool_call_accuracy", 10 / 12, true],
      ["conversation_success", 0.5, false],
    ]);
    expect(levels.status).toBe("FAILED");
    expect(levels.failures).toEqual(["conversation_success 0.50 < 0.75"]);

    const lenient = await gate({
      minCases: 12,
      conditions: [{ metric: "conversation_success", op: ">=", threshold: 0.5 }],
    });
    expect(lenient.status).toBe("PASSED");

    // Against production (every conversation right): relative conversation success and the
    // turn slices name where the candidate regressed; the category slice holds.
    const relative = await gate({
      minCases: 12,
      conditions: [
        { metric: "conversation_success", op: ">=", threshold: -0.1, relativeTo: "production" },
      ],
      sliceConditions: [
        { metric: "tool_call_accuracy", by: "turn", maxRegression: 0.1, minCasesPerSlice: 4 },
        { metric: "tool_call_accuracy", by: "category", maxRegression: 0.2, minCasesPerSlice: 4 },
      ],
    });
    expect(relative.conditions[0]).toMatchObject({ value: 0.5, baseline: 1, passed: false });
    expect(relative.slices.map((s) => [s.by, s.key, s.regression, s.passed])).toEqual([
      ["turn", "1", 0, true],
      ["turn", "2", 0.25, false],
      ["turn", "3", 0.25, false],
      ["category", "workflow", 0.1666666667, true],
    ]);
    expect(relative.failures).toEqual([
      "conversation_success 0.50 < 0.90 (production 1 − 0.10)",
      "slice turn=2: tool_call_accuracy fell 0.25 (> 0.10)",
      "slice turn=3: tool_call_accuracy fell 0.25 (> 0.10)",
    ]);
  });
});
