/**
 * The drift and schedule halves of the re-tuning loop on real PostgreSQL (and Redis for the
 * outbox): a breach checked twice — also concurrently — opens one retrain; a schedule fired
 * twice opens one; skips are recorded once with their reason; the quarterly cron's next run;
 * bad policies and another team's names are refused. Telemetry rollups are written as the
 * ingest writes them (the ingest itself is covered in telemetry.int.test.ts).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createTeamWith, signUp } from "@/test/principals";
import { readyVersion, tinyJob } from "@/test/training-helpers";
import type { Principal } from "@/lib/server/core/principal";
import { QUARTERLY_CRON } from "@/lib/schemas/retrain";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-retrain-"));

const { db } = await import("@/lib/server/core/db");
const { createModel } = await import("@/lib/server/registry/models");
const { createMonitor } = await import("./monitors");
const { runCheck, checkMonitor } = await import("./monitor-checks");
const { putRetrainPolicy, runScheduledRetrain, nextRun } =
  await import("./retrain-policies");
const { listRetrains } = await import("./retrain-loop");
const { HttpError } = await import("@/lib/server/core/errors");
const { runRetrainNow } = await import("./retrain-policies");
const { freezeBaselineAtPromotion } = await import("@/lib/server/telemetry/baseline");
const { buildRetrainDataset, continueRetrainsFor } = await import("./retrains");
const { ingestTraces } = await import("@/lib/server/telemetry/traces");
const { validateDatasetVersion } = await import("@/lib/server/datasets/validation");
const { toolJsonlText } = await import("@/scripts/bench/generate-tool-jsonl");

let p: Principal;
let other: Principal;
let datasetVersionId: string;

async function refused(x: Promise<unknown>) {
  const e = await x.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(e)}`);
  return e;
}

/** A Model whose PRODUCTION version came from a finished job (what a re-tune copies). */
async function modelInProduction(name: string, costUsd = 1) {
  const model = await createModel(p, { name });
  const job = await db().trainingJob.create({
    data: {
      teamId: p.teamId,
      modelId: model.id,
      name: `${name} #1`,
      status: "SUCCEEDED",
      method: "LORA",
      baseModel: "retune/tiny-chat",
      datasetVersionId,
      spec: tinyJob(datasetVersionId, {}, name),
      costUsd,
      attempts: { create: { attempt: 1, status: "SUCCEEDED" } },
    },
  });
  await db().modelVersion.create({
    data: {
      teamId: p.teamId,
      modelId: model.id,
      version: 1,
      stage: "PRODUCTION",
      baseModel: "retune/tiny-chat",
      trainingJobId: job.id,
    },
  });
  return model;
}

/** One minute of telemetry as the ingest's rollups record it. */
async function minute(modelId: string, at: Date, calls: number, errors: number) {
  const m = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
  await db().telemetryRollup.create({
    data: {
      modelId,
      minute: m,
      teamId: p.teamId,
      samples: calls,
      failures: 0,
      toolCalls: calls,
      toolCallErrors: errors,
      escalationKnown: 0,
      escalations: 0,
      latencyCount: 0,
      latencySumMs: 0,
      costCount: 0,
      costSumUsd: 0,
    },
  });
}

beforeAll(async () => {
  const owner = await signUp("retrain-owner");
  const team = await createTeamWith({ OWNER: owner });
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  const stranger = await signUp("retrain-other");
  const t2 = await createTeamWith({ OWNER: stranger });
  other = {
    teamId: t2.id,
    actor: { kind: "user", role: "OWNER" },
    userId: stranger.id,
    apiKeyId: null,
    ip: null,
  };
  datasetVersionId = await readyVersion(p, 40);
}, 120_000);

describe("drift breaches", () => {
  it("the same breach checked twice, also at once, opens one retrain", async () => {
    const model = await modelInProduction("drift-once");
    await minute(model.id, new Date(Date.now() - 5 * 60_000), 200, 80);
    const monitor = await createMonitor(p, {
      model: model.name,
      metric: "tool_call_error_rate",
      window: "1h",
      threshold: 0.2,
      minSamples: 100,
      cooldown: "0s",
      action: "retrain",
    });
    const concurrent = await Promise.all([
      runCheck(monitor.id, { source: "schedule" }),
      runCheck(monitor.id, { source: "schedule" }),
    ]);
    const again = await checkMonitor(p, monitor.id);
    const all = [...concurrent, again].map((r) => r!);
    for (const r of all) {
      expect(r.breached).toBe(true);
      expect(r.value).toBeCloseTo(0.4, 10);
      expect(r.samples).toBe(200);
    }
    const retrains = await db().retrainRequest.findMany({ where: { modelId: model.id } });
    expect(retrains).toHaveLength(1);
    expect(retrains[0]).toMatchObject({
      trigger: "DRIFT",
      status: "BUILDING",
      monitorId: monitor.id,
    });
    expect(all.map((r) => r.check.outcome).sort()).toEqual([
      "retrain_in_progress",
      "retrain_in_progress",
      "retrain_opened",
    ]);
    expect(all.every((r) => r.retrainRequestId === retrains[0]!.id)).toBe(true);
    expect(await db().driftCheck.count({ where: { monitorId: monitor.id } })).toBe(3);
    const stored = await db().driftMonitor.findUniqueOrThrow({ where: { id: monitor.id } });
    expect(stored.state).toBe("WARNING");
    const loop = await listRetrains(p, model.id);
    expect(loop[0]!.steps.map((s) => `${s.step}:${s.state}`)).toEqual([
      "trigger:done",
      "dataset:active",
      "job:pending",
      "eval:pending",
      "gate:pending",
      "promotion:pending",
    ]);
  });

  it("inside the cooldown a breach is recorded but acts once", async () => {
    const model = await modelInProduction("drift-cooldown");
    await minute(model.id, new Date(Date.now() - 2 * 60_000), 100, 50);
    const monitor = await createMonitor(p, {
      model: model.id,
      metric: "tool_call_error_rate",
      window: "30m",
      threshold: 0.2,
      minSamples: 10,
      cooldown: "1d",
      action: "alert",
    });
    const first = await checkMonitor(p, monitor.id);
    const second = await checkMonitor(p, monitor.id);
    expect([first.check.outcome, second.check.outcome]).toEqual(["alerted", "cooldown"]);
    expect(await db().retrainRequest.count({ where: { modelId: model.id } })).toBe(0);
  });

  it("too few samples is not a breach, and no traffic is no data", async () => {
    const model = await modelInProduction("drift-few");
    const monitor = await createMonitor(p, {
      model: model.name,
      metric: "tool_call_error_rate",
      window: "1h",
      threshold: 0.2,
      minSamples: 500,
      action: "retrain",
    });
    expect((await checkMonitor(p, monitor.id)).check.status).toBe("NO_DATA");
    await minute(model.id, new Date(Date.now() - 60_000), 100, 90);
    const r = await checkMonitor(p, monitor.id);
    expect(r).toMatchObject({ breached: false, samples: 100 });
    expect(r.check.status).toBe("INSUFFICIENT_SAMPLES");
    expect(await db().retrainRequest.count({ where: { modelId: model.id } })).toBe(0);
  });

  it("a retrain over the GPU budget is skipped once, with the reason", async () => {
    const model = await modelInProduction("drift-budget", 5);
    await putRetrainPolicy(p, model.id, { gpuBudgetUsd: 2 });
    await minute(model.id, new Date(Date.now() - 60_000), 100, 90);
    const monitor = await createMonitor(p, {
      model: model.name,
      metric: "tool_call_error_rate",
      window: "1h",
      threshold: 0.2,
      minSamples: 10,
      cooldown: "0s",
      action: "retrain",
    });
    const a = await checkMonitor(p, monitor.id);
    const b = await checkMonitor(p, monitor.id);
    expect([a.check.outcome, b.check.outcome]).toEqual(["retrain_skipped", "retrain_skipped"]);
    const rows = await db().retrainRequest.findMany({ where: { modelId: model.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("SKIPPED");
    expect(rows[0]!.error).toMatch(/GPU budget: \$0\.00 of \$2\.00.*estimated at \$5\.00/);
  });
});

describe("scheduled re-tunes", () => {
  it("a schedule fired twice, also at once, opens one retrain", async () => {
    const model = await modelInProduction("schedule-once");
    const policy = await putRetrainPolicy(p, model.name, { minNewTraces: 0, autoPromote: true });
    const firing = new Date("2027-01-01T06:00:00.000Z");
    const [a, b] = await Promise.all([
      runScheduledRetrain(policy.id, firing),
      runScheduledRetrain(policy.id, new Date(firing.getTime() + 1_500)),
    ]);
    const late = await runScheduledRetrain(policy.id, new Date(firing.getTime() + 60_000));
    const rows = await db().retrainRequest.findMany({ where: { modelId: model.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      trigger: "SCHEDULE",
      status: "BUILDING",
      key: "schedule:2027-01-01T06:00:00.000Z",
    });
    expect([a!.created, b!.created, late!.created].filter(Boolean)).toHaveLength(1);
  });

  it("without enough new traces and no monitor in warning, it records one skip", async () => {
    const model = await modelInProduction("schedule-skip");
    const policy = await putRetrainPolicy(p, model.name, { minNewTraces: 50 });
    const at = new Date("2027-04-01T06:00:00.000Z");
    await runScheduledRetrain(policy.id, at);
    await runScheduledRetrain(policy.id, at);
    const rows = await db().retrainRequest.findMany({ where: { modelId: model.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe("SKIPPED");
    expect(rows[0]!.error).toMatch(/0 new usable traces.*needs 50.*no monitor is in warning/);
  });

  it("the quarterly cron's next run is the first day of the next quarter at 06:00 UTC", async () => {
    const next = (iso: string) => nextRun(QUARTERLY_CRON, "UTC", new Date(iso)).toISOString();
    expect(next("2026-11-27T12:00:00Z")).toBe("2027-01-01T06:00:00.000Z");
    expect(next("2027-01-01T05:59:59Z")).toBe("2027-01-01T06:00:00.000Z");
    expect(next("2027-01-01T06:00:00Z")).toBe("2027-04-01T06:00:00.000Z");
    expect(next("2027-05-15T00:00:00Z")).toBe("2027-07-01T06:00:00.000Z");
    expect(next("2027-09-30T23:59:00Z")).toBe("2027-10-01T06:00:00.000Z");

    const model = await modelInProduction("schedule-default");
    const policy = await putRetrainPolicy(p, model.name, {});
    expect(policy.schedule).toBe("0 6 1 1,4,7,10 *");
    expect(policy.timezone).toBe("UTC");
    const now = new Date();
    const month = now.getUTCMonth();
    const quarterStart = [0, 3, 6, 9].find((q) => q > month);
    const expected =
      quarterStart === undefined
        ? new Date(Date.UTC(now.getUTCFullYear() + 1, 0, 1, 6))
        : new Date(Date.UTC(now.getUTCFullYear(), quarterStart, 1, 6));
    // Between 00:00 and 06:00 on a quarter's first day, that same day's 06:00 comes first.
    const today = new Date(Date.UTC(now.getUTCFullYear(), month, 1, 6));
    const first = [0, 3, 6, 9].includes(month) && now < today ? today : expected;
    expect(policy.nextRunAt).toBe(first.toISOString());
  });

  it("refuses a bad cron, an unknown time zone and another team's Model", async () => {
    const model = await modelInProduction("schedule-bad");
    const cron = await refused(putRetrainPolicy(p, model.name, { schedule: "61 * * * *" }));
    expect(cron.status).toBe(422);
    expect(cron.message).toMatch(/^schedule: .*61/);
    const tz = await refused(putRetrainPolicy(p, model.name, { timezone: "Mars/Olympus" }));
    expect(tz.message).toMatch(/^timezone: "Mars\/Olympus"/);
    expect((await refused(putRetrainPolicy(other, model.name, {}))).status).toBe(404);
    const m = await refused(
      createMonitor(other, {
        model: model.name,
        metric: "failure_rate",
        window: "1h",
        threshold: 0.1,
      }),
    );
    expect(m.status).toBe(404);
    expect(await db().retrainPolicy.count({ where: { modelId: model.id } })).toBe(0);
  });
});

describe("a retrain's dataset", () => {
  it("takes recent good or corrected traces, caps the synthetic base rows, validates and launches", async () => {
    const model = await modelInProduction("recipe");
    const rows = toolJsonlText(40, 5).trim().split("\n");
    const day = 86_400_000;
    const traces = rows.map((line, i) => ({
      id: `recipe-${i}`,
      // 30 recent traces and 10 older than the recipe's 7 days.
      timestamp: new Date(Date.now() - (i < 30 ? i * 60_000 : 10 * day)).toISOString(),
      model: model.name,
      ...(JSON.parse(line) as { messages: unknown[]; tools?: unknown[] }),
      // Recent: 20 successes, 5 failures a human corrected, 5 uncorrected failures.
      outcome: i < 20 || i >= 30 ? "success" : "failure",
      ...(i >= 20 && i < 25 ? { correctedBy: "human" } : {}),
    }));
    const posted = await ingestTraces(
      p,
      new Request("http://localhost/api/v1/traces", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ traces }),
      }),
    );
    expect(posted.status).toBe(202);

    // A synthetic base dataset: at most a quarter of the result may come from it.
    const baseVersionId = await readyVersion(p, 40, { provenance: "synthetic" });
    await putRetrainPolicy(p, model.name, {
      datasetRecipe: {
        days: 7,
        minTraces: 10,
        baseDatasetVersionId: baseVersionId,
        maxSyntheticShare: 0.25,
      },
    });

    const request = await runRetrainNow(p, model.name);
    expect(request.status).toBe("BUILDING");
    await buildRetrainDataset(request.id);
    const built = await db().retrainRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(built.traceCount).toBe(25);
    const dv = await db().datasetVersion.findUniqueOrThrow({
      where: { id: built.datasetVersionId! },
      include: { dataset: true },
    });
    expect(dv.dataset.name).toBe("recipe retraining");
    expect(dv.provenance).toBe("MIXED");
    expect((await validateDatasetVersion(dv.id)).status).toBe("READY");
    const stats = (await db().datasetVersion.findUniqueOrThrow({ where: { id: dv.id } })).stats as {
      rows: number;
    };
    // 25 traces + floor(0.25 × 25 / 0.75) = 8 synthetic rows.
    expect(stats.rows).toBe(33);

    await continueRetrainsFor(dv.id);
    const launched = await db().retrainRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(launched.status).toBe("LAUNCHED");
    const job = await db().trainingJob.findUniqueOrThrow({
      where: { id: launched.trainingJobId! },
    });
    expect(job).toMatchObject({ trigger: "MANUAL", datasetVersionId: dv.id, modelId: model.id });
    const loop = await listRetrains(p, model.name);
    expect(loop[0]!.steps.slice(0, 3).map((s) => `${s.step}:${s.state}`)).toEqual([
      "trigger:done",
      "dataset:done",
      "job:active",
    ]);
    // Delivered twice (a redelivered queue job): nothing new is built or launched.
    await buildRetrainDataset(request.id);
    expect(await db().trainingJob.count({ where: { modelId: model.id } })).toBe(2);
  });
});

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
