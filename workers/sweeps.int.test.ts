/**
 * Issue 14: a row whose background job failed for good (its Outbox row FAILED: every BullMQ
 * attempt spent) ends terminal with the reason, by the reconciler's sweeps — a training job
 * claimed but never started, an eval run, a retrain building its dataset — and a row whose job is
 * still live, or that the sweep does not own, is left alone. The last test runs the reconcile tick
 * itself, so a sweep left out of it fails here. (Dataset versions: workers/sweep.int.test.ts.)
 */
import type { Job } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_FLIGHT_STATUSES } from "@/lib/domain/training-status";
import { tinyJob } from "@/test/training-helpers";
import {
  datasetVersionId,
  modelInProduction,
  p,
  setUpTeams,
} from "@/lib/server/retraining/retrain-fixtures";

const { db } = await import("@/lib/server/core/db");
const { Bus, bus } = await import("@/lib/server/core/queues");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { sweepUnstartableRuns } = await import("@/lib/server/training/run-finish");
const { createEvalSuite } = await import("@/lib/server/evals/suites");
const { createEvalRun } = await import("@/lib/server/evals/create-runs");
const { sweepAbandonedEvalRuns } = await import("@/lib/server/evals/execute-run");
const { runRetrainNow } = await import("@/lib/server/retraining/retrain-policies");
const { sweepAbandonedRetrains } = await import("@/lib/server/retraining/retrains");
const { processors } = await import("./processors");

const GAVE_UP = "Error: worker lost its executor (attempt 5 of 5)";
let suiteId: string;

/** What BullMQ giving up on a job records: its Outbox row FAILED with the last error. */
async function jobFailedForGood(jobId: string, lastError = GAVE_UP) {
  await db().outbox.update({
    where: { jobId },
    data: { status: "FAILED", lastError, completedAt: new Date() },
  });
}

const outboxStatus = async (jobId: string) =>
  (await db().outbox.findUniqueOrThrow({ where: { jobId } })).status;

/** A launched job claimed by a submit (QUEUED → STARTING); `externalId`: the executor started it. */
async function startingJob(model: string, externalId: string | null = null) {
  const job = await launchTrainingJob(p, tinyJob(datasetVersionId, {}, model));
  await db().trainingJob.update({ where: { id: job.id }, data: { status: "STARTING" } });
  await db().trainingRunAttempt.updateMany({
    where: { trainingJobId: job.id, attempt: 1 },
    data: { status: "STARTING", startedAt: new Date(), externalId },
  });
  return job.id;
}
const trainingJobId = (id: string) => `tj-${id}-a1`;

async function evalRun(status: "QUEUED" | "RUNNING" | "CANCELLED" = "QUEUED") {
  const { run } = await createEvalRun(p, {
    suiteId,
    target: { baseModel: "retune/tiny-chat" },
    force: true,
  });
  if (status !== "QUEUED") await db().evalRun.update({ where: { id: run.id }, data: { status } });
  return run.id;
}

/** A retrain of a new Model (one may be building per Model at a time), BUILDING its dataset. */
async function buildingRetrain(name: string) {
  const model = await modelInProduction(name);
  const r = await runRetrainNow(p, model.name);
  expect(r.status).toBe("BUILDING");
  return r.id;
}

beforeAll(async () => {
  await setUpTeams();
  suiteId = (
    await createEvalSuite(p, {
      name: "sweeps",
      datasetVersionId,
      split: "all",
      scorers: ["tool_call"],
    })
  ).id;
}, 120_000);

afterAll(async () => {
  // No worker runs here: what is still in flight is ended, so it holds no executor slot and no
  // later test file's worker picks it up (their jobs skip a terminal row).
  const ended = "ended by the test that started it";
  const inFlight = { teamId: p.teamId, status: { in: [...IN_FLIGHT_STATUSES] } };
  const jobs = await db().trainingJob.findMany({ where: inFlight, select: { id: true } });
  await db().trainingRunAttempt.updateMany({
    where: { trainingJobId: { in: jobs.map((j) => j.id) } },
    data: { status: "FAILED", finishedAt: new Date() },
  });
  await db().trainingJob.updateMany({
    where: inFlight,
    data: { status: "FAILED", error: ended, finishedAt: new Date() },
  });
  await db().evalRun.updateMany({
    where: { teamId: p.teamId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED", error: ended, finishedAt: new Date() },
  });
  await db().retrainRequest.updateMany({
    where: { teamId: p.teamId, status: "BUILDING" },
    data: { status: "FAILED", error: ended },
  });
  await bus().close();
});

describe("sweepUnstartableRuns", () => {
  it("fails a STARTING job whose submit failed for good, naming the error; leaves live ones", async () => {
    const gaveUp = await startingJob("sweep unstartable");
    await jobFailedForGood(trainingJobId(gaveUp));
    // Its submit job is still live (queued or running in BullMQ).
    const live = await startingJob("sweep live submit");
    // The executor has it (an externalId): the poller follows it, whatever the outbox says.
    const started = await startingJob("sweep started", "pid:4242");
    await jobFailedForGood(trainingJobId(started));
    // QUEUED: the poller offers it a slot every tick.
    const queued = (await launchTrainingJob(p, tinyJob(datasetVersionId, {}, "sweep queued"))).id;
    await jobFailedForGood(trainingJobId(queued));

    expect(await sweepUnstartableRuns()).toBeGreaterThanOrEqual(1);

    const job = await db().trainingJob.findUniqueOrThrow({
      where: { id: gaveUp },
      include: { attempts: true },
    });
    expect(job.status).toBe("FAILED");
    expect(job.error).toContain("the run could not be started and was given up");
    expect(job.error).toContain(GAVE_UP);
    expect(job.finishedAt).not.toBeNull();
    expect(job.attempts.map((a) => a.status)).toEqual(["FAILED"]);

    expect(["PENDING", "DISPATCHED"]).toContain(await outboxStatus(trainingJobId(live)));
    const others = await db().trainingJob.findMany({
      where: { id: { in: [live, started, queued] } },
      select: { id: true, status: true, error: true },
    });
    expect(Object.fromEntries(others.map((j) => [j.id, [j.status, j.error]]))).toEqual({
      [live]: ["STARTING", null],
      [started]: ["STARTING", null],
      [queued]: ["QUEUED", null],
    });
  });
});

describe("sweepAbandonedEvalRuns", () => {
  it("fails a QUEUED or RUNNING run whose evaluation failed for good; leaves live and finished ones", async () => {
    const queued = await evalRun();
    await jobFailedForGood(`ev-${queued}`);
    const running = await evalRun("RUNNING");
    await jobFailedForGood(`ev-${running}`, "Error: evaluation worker died");
    const live = await evalRun();
    const cancelled = await evalRun("CANCELLED");
    await jobFailedForGood(`ev-${cancelled}`);

    expect(await sweepAbandonedEvalRuns()).toBeGreaterThanOrEqual(2);

    const rows = await db().evalRun.findMany({
      where: { id: { in: [queued, running, live, cancelled] } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(queued)).toMatchObject({
      status: "FAILED",
      error: `the evaluation failed and was given up: ${GAVE_UP}`,
    });
    expect(byId.get(queued)!.finishedAt).not.toBeNull();
    expect(byId.get(running)).toMatchObject({
      status: "FAILED",
      error: "the evaluation failed and was given up: Error: evaluation worker died",
    });
    expect(["PENDING", "DISPATCHED"]).toContain(await outboxStatus(`ev-${live}`));
    expect(byId.get(live)).toMatchObject({ status: "QUEUED", error: null, finishedAt: null });
    expect(byId.get(cancelled)).toMatchObject({ status: "CANCELLED", error: null });
  });
});

describe("sweepAbandonedRetrains", () => {
  it("fails a BUILDING retrain whose dataset build failed for good; leaves live ones and those with a dataset", async () => {
    const gaveUp = await buildingRetrain("sweep retrain gave up");
    await jobFailedForGood(`rt-${gaveUp}`);
    const live = await buildingRetrain("sweep retrain live");
    // Its dataset was built: it follows that version (redriveRetrains), not this sweep.
    const built = await buildingRetrain("sweep retrain built");
    await db().retrainRequest.update({ where: { id: built }, data: { datasetVersionId } });
    await jobFailedForGood(`rt-${built}`);

    expect(await sweepAbandonedRetrains()).toBeGreaterThanOrEqual(1);

    const rows = await db().retrainRequest.findMany({
      where: { id: { in: [gaveUp, live, built] } },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(gaveUp)).toMatchObject({
      status: "FAILED",
      error: `building the dataset failed and was given up: ${GAVE_UP}`,
    });
    expect(["PENDING", "DISPATCHED"]).toContain(await outboxStatus(`rt-${live}`));
    expect(byId.get(live)).toMatchObject({ status: "BUILDING", error: null });
    expect(byId.get(built)).toMatchObject({ status: "BUILDING", error: null });
  });
});

describe("the reconcile tick", () => {
  it("runs every sweep: each kind of abandoned row ends FAILED", async () => {
    const job = await startingJob("tick unstartable");
    await jobFailedForGood(trainingJobId(job));
    const run = await evalRun();
    await jobFailedForGood(`ev-${run}`);
    const retrain = await buildingRetrain("tick retrain");
    await jobFailedForGood(`rt-${retrain}`);

    // A bus of its own: what the tick re-drives stays off the queues other files' workers read.
    const tickBus = new Bus({
      redisUrl: process.env.REDIS_URL!,
      prefix: `${process.env.BULLMQ_PREFIX}-sweeps`,
    });
    try {
      const result = (await processors.outbox!({ name: "reconcile" } as Job, {} as never, {
        signal: new AbortController().signal,
        bus: tickBus,
        log: () => {},
      })) as { swept: Record<string, number> };
      const { runs, evalRuns, retrains } = result.swept;
      expect([runs, evalRuns, retrains].map((n) => n! >= 1)).toEqual([true, true, true]);
    } finally {
      await tickBus.close();
    }

    expect([
      (await db().trainingJob.findUniqueOrThrow({ where: { id: job } })).status,
      (await db().evalRun.findUniqueOrThrow({ where: { id: run } })).status,
      (await db().retrainRequest.findUniqueOrThrow({ where: { id: retrain } })).status,
    ]).toEqual(["FAILED", "FAILED", "FAILED"]);
  });
});
