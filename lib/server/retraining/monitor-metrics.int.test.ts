/**
 * Monitor metrics beyond rates on real PostgreSQL: distribution shift against the mix frozen at
 * promotion (PSI, unseen tools, no baseline yet), and eval decay through a canary eval run of
 * the production version.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { datasetVersionId, modelInProduction, p, setUpTeams } from "./retrain-fixtures";

const { db } = await import("@/lib/server/core/db");
const { createMonitor } = await import("./monitors");
const { checkMonitor } = await import("./monitor-checks");
const { freezeBaselineAtPromotion } = await import("@/lib/server/telemetry/baseline");

beforeAll(setUpTeams, 120_000);

describe("distribution shift", () => {
  async function tools(modelId: string, at: Date, counts: Record<string, number>) {
    const minute = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    await db().telemetryDimRollup.createMany({
      data: Object.entries(counts).map(([key, count]) => ({
        modelId,
        dim: "tool",
        minute,
        key,
        count,
      })),
    });
  }

  it("compares the window with the mix frozen at promotion: PSI and unseen tools", async () => {
    const model = await modelInProduction("shift");
    const prod = await db().modelVersion.findFirstOrThrow({ where: { modelId: model.id } });
    const promotedAt = new Date(Date.now() - 2 * 3_600_000);
    await db().modelVersion.update({
      where: { id: prod.id },
      data: { stageChangedAt: promotedAt },
    });
    // The day before promotion: an even mix of two tools.
    await tools(model.id, new Date(promotedAt.getTime() - 86_400_000), { weather: 500, shop: 500 });
    await freezeBaselineAtPromotion(prod.id, promotedAt);
    // The last hour: mostly one tool, and a tool production never called before.
    await tools(model.id, new Date(Date.now() - 10 * 60_000), {
      weather: 700,
      shop: 100,
      refund: 200,
    });

    const psiMonitor = await createMonitor(p, {
      model: model.name,
      metric: "tool_psi",
      window: "1h",
      threshold: 0.25,
      minSamples: 100,
    });
    const psiCheck = await checkMonitor(p, psiMonitor.id);
    const expected =
      (0.7 - 0.5) * Math.log(0.7 / 0.5) +
      (0.1 - 0.5) * Math.log(0.1 / 0.5) +
      (0.2 - 1e-4) * Math.log(0.2 / 1e-4);
    expect(psiCheck.value).toBeCloseTo(expected, 6);
    expect(psiCheck).toMatchObject({ breached: true, samples: 1000 });
    expect(psiCheck.check.detail).toMatchObject({ baselineVersion: 1 });

    const unseen = await createMonitor(p, {
      model: model.name,
      metric: "unseen_tool_share",
      window: "1h",
      threshold: 0.1,
      minSamples: 100,
    });
    const u = await checkMonitor(p, unseen.id);
    expect(u.value).toBeCloseTo(0.2, 10);
    expect(u.breached).toBe(true);

    // A Model whose production version has no traffic from before or after: no baseline yet.
    const quiet = await modelInProduction("shift-quiet");
    const q = await createMonitor(p, {
      model: quiet.name,
      metric: "intent_psi",
      window: "1h",
      threshold: 0.25,
    });
    expect((await checkMonitor(p, q.id)).check.status).toBe("NO_BASELINE");
  });
});

describe("eval decay", () => {
  it("eval_score starts a canary run of production, then reads its score", async () => {
    const model = await modelInProduction("canary");
    const prod = await db().modelVersion.findFirstOrThrow({ where: { modelId: model.id } });
    await db().modelVersion.update({
      where: { id: prod.id },
      data: { adapterUri: `artifact:models/${prod.id}` },
    });
    const suite = await db().evalSuite.create({
      data: { teamId: p.teamId, name: "canary suite", datasetVersionId, scorers: ["tool_call"] },
    });
    await db().model.update({ where: { id: model.id }, data: { evalSuiteId: suite.id } });
    const monitor = await createMonitor(p, {
      model: model.name,
      metric: "eval_score",
      window: "1d",
      threshold: 0.6,
      minSamples: 10,
    });
    expect(monitor.comparator).toBe("lt");

    const first = await checkMonitor(p, monitor.id);
    expect(first.check.status).toBe("NO_DATA");
    const runId = (first.check.detail as { evalRunId: string }).evalRunId;
    const run = await db().evalRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({
      modelVersionId: prod.id,
      targetKind: "PRODUCTION",
      status: "QUEUED",
    });
    // A check while it runs does not start a second one.
    const waiting = await checkMonitor(p, monitor.id);
    expect((waiting.check.detail as { evalRunId: string }).evalRunId).toBe(runId);

    // The evaluation worker finishes it (as it writes results).
    await db().evalRun.update({
      where: { id: runId },
      data: {
        status: "SUCCEEDED",
        metrics: { tool_call_accuracy: 0.5, json_validity: 1 },
        caseCount: 20,
        casesDone: 20,
      },
    });
    const scored = await checkMonitor(p, monitor.id);
    expect(scored).toMatchObject({ value: 0.5, samples: 20, breached: true });
    expect(scored.check.detail).toMatchObject({ evalRunId: runId, metric: "tool_call_accuracy" });
  });
});
