/**
 * The drift and schedule halves of the re-tuning loop on real PostgreSQL (and Redis for the
 * outbox): a breach checked twice — also concurrently — opens one retrain; a schedule fired
 * twice opens one; skips are recorded once with their reason; the quarterly cron's next run;
 * bad policies and another team's names are refused. Telemetry rollups are written as the
 * ingest writes them (the ingest itself is covered in telemetry/ingest.int.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { QUARTERLY_CRON } from "@/lib/schemas/retrain";
import { modelInProduction, other, p, setUpTeams } from "./retrain-fixtures";

const { db } = await import("@/lib/server/core/db");
const { createMonitor } = await import("./monitors");
const { runCheck, checkMonitor } = await import("./monitor-checks");
const { putRetrainPolicy, runScheduledRetrain, nextRun } = await import("./retrain-policies");
const { listRetrains } = await import("./retrain-loop");
const { getModel } = await import("@/lib/server/registry/models");
const { HttpError } = await import("@/lib/server/core/errors");

async function refused(x: Promise<unknown>) {
  const e = await x.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(e)}`);
  return e;
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

beforeAll(setUpTeams, 120_000);

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
    // The Model says whether it has a policy, so its page asks for one only when it does.
    expect((await getModel(p, model.id)).hasRetrainPolicy).toBe(false);
    const policy = await putRetrainPolicy(p, model.name, { minNewTraces: 50 });
    expect((await getModel(p, model.id)).hasRetrainPolicy).toBe(true);
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
