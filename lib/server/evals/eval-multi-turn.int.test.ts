/**
 * A multi-turn suite (turns "all") run against an OpenAI-compatible endpoint (the fake vLLM of
 * eval-fixtures.ts) on real PostgreSQL: every assistant turn of a tool-using workflow is a case
 * prompted with the gold conversation before it (teacher forcing, tool results included); the
 * run reports turn-level accuracy (tool_call_accuracy over turns) and conversation_success, and
 * its cases carry their turn slice and conversation. The gate over these runs is
 * registry/multi-turn-gate.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sliceMetrics } from "@/lib/domain/scoring";
import { p, setUpEvals, tearDownEvals } from "./eval-fixtures";
import { runWorkflow, setUpWorkflowSuite } from "./multi-turn-fixtures";

const { db } = await import("@/lib/server/core/db");
const { getEvalRun, listEvalCases } = await import("./read-runs");

beforeAll(setUpEvals);
afterAll(tearDownEvals);

describe("a multi-turn suite", () => {
  let suiteId: string;

  beforeAll(async () => {
    suiteId = await setUpWorkflowSuite();
    expect((await db().evalSuite.findUniqueOrThrow({ where: { id: suiteId } })).turns).toBe("all");
  });

  it("evaluates every assistant turn with the gold history before it", async () => {
    const { runId, status, sent } = await runWorkflow(suiteId, false);
    expect(status).toBe("SUCCEEDED");
    const done = await getEvalRun(p, runId);
    expect(done).toMatchObject({ caseCount: 12, casesDone: 12 });
    expect(done.metrics).toMatchObject({ tool_call_accuracy: 1, conversation_success: 1 });

    // 12 requests: per order, a prompt ending at the user, at the lookup's result, at the refund's.
    expect(sent).toHaveLength(12);
    const ord2 = sent
      .filter((m) => m[0]!.content === "Please refund order ORD-2.")
      .sort((a, b) => a.length - b.length);
    expect(ord2.map((m) => m.map((x) => x.role))).toEqual([
      ["user"],
      ["user", "assistant", "tool"],
      ["user", "assistant", "tool", "assistant", "tool"],
    ]);
    expect(ord2[1]![2]).toMatchObject({ role: "tool", content: '{"order_id":"ORD-2","total":45}' });
  });

  it("reports turn-level and conversation-level scores, with turn slices and conversations", async () => {
    const { runId, status, sent } = await runWorkflow(suiteId, true);
    expect(status).toBe("SUCCEEDED");
    const done = await getEvalRun(p, runId);
    expect(done.metrics.tool_call_accuracy).toBeCloseTo(10 / 12, 10);
    expect(done.metrics.conversation_success).toBe(0.5);

    // Teacher forcing: ORD-2's last turn is prompted with the gold refund (45), not the model's
    // wrong one (46), so turn 3 is judged on its own decision.
    const lastOfOrd2 = sent.find(
      (m) => m[0]!.content === "Please refund order ORD-2." && m.length === 5,
    )!;
    expect(JSON.parse(lastOfOrd2[3]!.tool_calls![0]!.function.arguments)).toEqual({
      order_id: "ORD-2",
      amount: 45,
    });

    const { cases } = await listEvalCases(p, runId, { limit: 100 });
    expect(cases.map((c) => [c.index, c.scores.slice.turn, c.passed])).toEqual([
      [0, "1", true],
      [1, "2", true],
      [2, "3", true],
      [3, "1", true],
      [4, "2", false],
      [5, "3", true],
      [6, "1", true],
      [7, "2", true],
      [8, "3", false],
      [9, "1", true],
      [10, "2", true],
      [11, "3", true],
    ]);
    expect(cases[0]!.scores.slice).toEqual({
      tool: "lookup_order",
      intent: "refunds",
      category: "workflow",
      turn: "1",
    });
    expect(cases[0]!.expected).toMatchObject({
      acceptable: [{ name: "lookup_order", arguments: { order_id: ["ORD-1", "ord-1"] } }],
    });
    expect(cases[1]!.expected).not.toHaveProperty("acceptable");
    expect(cases[4]!.scores.reasons.tool_call_accuracy).toMatch(/amount/);
    // Per turn position: the first turns all right, one second and one third turn wrong.
    const perTurn = sliceMetrics(
      cases.map((c) => c.scores),
      "turn",
    );
    expect(
      Object.fromEntries(
        Object.entries(perTurn).map(([k, v]) => [k, v.metrics.tool_call_accuracy]),
      ),
    ).toEqual({ "1": 1, "2": 0.75, "3": 0.75 });
    // The run itself reports the same per-turn scores (stored slices, what its page shows).
    expect(done.slices.turn).toEqual({
      "1": { cases: 4, metrics: expect.objectContaining({ tool_call_accuracy: 1 }) },
      "2": { cases: 4, metrics: expect.objectContaining({ tool_call_accuracy: 0.75 }) },
      "3": { cases: 4, metrics: expect.objectContaining({ tool_call_accuracy: 0.75 }) },
    });
    expect(Object.keys(done.slices.category ?? {})).toEqual(["workflow"]);
    // Each stored case names its conversation (the row) and turn.
    const rows = await db().evalCaseResult.findMany({
      where: { evalRunId: runId },
      orderBy: { index: "asc" },
    });
    expect(rows.map((r) => (r.input as { conversation: number }).conversation)).toEqual([
      0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3,
    ]);
    expect(rows.map((r) => (r.input as { turn: number }).turn)).toEqual([
      1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3,
    ]);
  });
});
