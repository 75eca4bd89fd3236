/**
 * Numbers the console shows in more than one place, pinned to one definition each (issue #13):
 * the train/eval split (dataset report = pre-flight scan = the job's training files), epochs and
 * the many-epochs warning in the preview, compute time measured on the run's device, and the
 * overfitting warning on the job detail.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_FLIGHT_STATUSES } from "@/lib/domain/training-status";
import { statsSchema } from "@/lib/schemas/datasets";
import { ownerOfNewTeam } from "@/test/principals";
import { readyVersion, tinyJob } from "@/test/training-helpers";
import type { Principal } from "@/lib/server/core/principal";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-numbers-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { storedPath } = await import("@/lib/server/datasets/datasets");
const { materializeTrainingData } = await import("./data");
const { runPreflight } = await import("./preflight");
const { previewTrainingJob } = await import("./preview");
const { launchTrainingJob } = await import("./launch");
const { getTrainingJob } = await import("./jobs");
const { finishSucceeded } = await import("./run-finish");
const { outputDir } = await import("./paths");

let p: Principal;
let versionId: string;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("numbers"));
  // The dataset: 28 rows, eval fraction 0.1.
  versionId = await readyVersion(p, 28);
}, 120_000);

afterAll(async () => {
  // Jobs here are moved to RUNNING by hand, with no process behind them: end them, so they hold
  // no executor slot for the test files that run a real worker on the same database after this.
  const unfinished = [...IN_FLIGHT_STATUSES];
  const jobs = await db().trainingJob.findMany({
    where: { teamId: p.teamId, status: { in: unfinished } },
    select: { id: true },
  });
  await db().trainingRunAttempt.updateMany({
    where: { trainingJobId: { in: jobs.map((j) => j.id) }, status: { in: unfinished } },
    data: { status: "FAILED", finishedAt: new Date() },
  });
  await db().trainingJob.updateMany({
    where: { id: { in: jobs.map((j) => j.id) } },
    data: { status: "FAILED", error: "ended by the test that started it", finishedAt: new Date() },
  });
  const { bus } = await import("@/lib/server/core/queues");
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

async function version() {
  const v = await db().datasetVersion.findUniqueOrThrow({ where: { id: versionId } });
  return { v, stats: statsSchema.parse(v.stats) };
}

describe("one split", () => {
  it("the pre-flight scans the dataset report's train/eval rows, which the job trains on", async () => {
    const { v, stats } = await version();
    expect(stats.split.train + stats.split.eval).toBe(stats.validRows);
    const preflight = await runPreflight({
      baseModel: "retune/tiny-chat",
      sequenceLen: 256,
      trainPath: storedPath(v),
      evalPath: null,
      evalSplit: { evalFraction: v.evalFraction },
      trainValidation: { declaredFormat: v.declaredFormat, baseModel: v.baseModel },
    });
    expect(preflight.scanned).toEqual({
      trainRows: stats.split.train,
      evalRows: stats.split.eval,
      capped: false,
    });
    const files = await materializeTrainingData(mkdtempSync(path.join(artifactDir, "m-")), v, null);
    expect({ train: files.train, eval: files.eval }).toEqual({
      train: stats.split.train,
      eval: stats.split.eval,
    });
  });

  it("the preview's pre-flight says the same, and warns about epochs without blocking", async () => {
    const { stats } = await version();
    const preview = await previewTrainingJob(
      p,
      tinyJob(versionId, { maxSteps: 375, microBatchSize: 16 }),
    );
    expect(preview.preflight.scanned).toMatchObject({
      trainRows: stats.split.train,
      evalRows: stats.split.eval,
    });
    // 375 steps of 16 rows over ~25 training rows: two steps an epoch.
    expect(preview.estimate.epochs).toBe(187.5);
    expect(preview.estimate.warnings.map((w) => w.code)).toEqual(["many_epochs"]);
    expect(preview.blockers.join(" ")).not.toMatch(/epoch/);
  });
});

describe("job detail", () => {
  async function launched(hp: Parameters<typeof tinyJob>[1] = {}) {
    const { id } = await launchTrainingJob(p, tinyJob(versionId, hp, `numbers ${Math.random()}`));
    return id;
  }

  async function started(id: string, secondsAgo: number) {
    const startedAt = new Date(Date.now() - secondsAgo * 1000);
    await db().trainingJob.update({ where: { id }, data: { status: "RUNNING", startedAt } });
    await db().trainingRunAttempt.updateMany({
      where: { trainingJobId: id, attempt: 1 },
      data: { status: "RUNNING", startedAt, runningAt: startedAt },
    });
  }

  async function finish(id: string) {
    mkdirSync(outputDir(id), { recursive: true });
    for (const f of ["adapter_config.json", "adapter_model.safetensors"])
      writeFileSync(path.join(outputDir(id), f), "{}");
    const job = await db().trainingJob.findUniqueOrThrow({ where: { id } });
    const attempt = await db().trainingRunAttempt.findFirstOrThrow({
      where: { trainingJobId: id, attempt: 1 },
    });
    const out = await finishSucceeded({ job, attempt });
    expect(out).toHaveProperty("modelVersionId");
  }

  it("a CPU run has measured CPU compute time, no GPU time and no cost", async () => {
    const id = await launched();
    const queued = await getTrainingJob(p, id);
    expect(queued).toMatchObject({ compute: null, gpuSeconds: null, warnings: [] });
    await started(id, 120);
    await finish(id);
    const row = await db().trainingJob.findUniqueOrThrow({ where: { id } });
    expect(row.gpuSeconds).toBeNull();
    expect(row.costUsd).toBe(0);
    const job = await getTrainingJob(p, id);
    expect(job.gpuSeconds).toBeNull();
    expect(job.compute).toMatchObject({ device: "CPU", devices: 1, gpuType: "CPU", costUsd: 0 });
    expect(job.compute!.seconds).toBeGreaterThanOrEqual(120);
    expect(job.compute!.seconds).toBeLessThan(180);
  });

  it("a GPU run's compute time is wall time × GPUs, priced, and stored as GPU time", async () => {
    const id = await launched();
    const spec = (await db().trainingJob.findUniqueOrThrow({ where: { id } })).spec as object;
    await db().trainingJob.update({
      where: { id },
      data: {
        executor: "DOCKER",
        spec: { ...spec, executor: "DOCKER", compute: { gpuType: "H100-80GB", gpuCount: 2 } },
      },
    });
    await started(id, 1800);
    await finish(id);
    const row = await db().trainingJob.findUniqueOrThrow({ where: { id } });
    const job = await getTrainingJob(p, id);
    expect(job.compute).toMatchObject({ device: "GPU", devices: 2, gpuType: "H100-80GB" });
    expect(job.compute!.seconds).toBeCloseTo(3600, -1);
    expect(job.gpuSeconds).toBe(job.compute!.seconds);
    expect(row.gpuSeconds).toBeCloseTo(3600, -1);
    // Half an hour on two H100s at $3.00 an hour each.
    expect(row.costUsd).toBeCloseTo(3, 1);
    expect(job.compute!.costUsd).toBeCloseTo(3, 1);
  });

  it("warns when eval loss rises while train loss falls, next to the estimate's warning", async () => {
    const id = await launched({ maxSteps: 375, microBatchSize: 16 });
    await started(id, 60);
    const evals = [0.9, 0.7, 0.61, 0.66, 0.72, 0.79, 0.83];
    const loss = [1.4, 1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1, 0.05, 0.04, 0.03, 0.02, 0.02, 0.01];
    await db().metricPoint.createMany({
      data: [
        ...evals.map((value, i) => ({
          trainingJobId: id,
          attempt: 1,
          step: (i + 1) * 50,
          name: "eval_loss",
          value,
        })),
        ...loss.map((value, i) => ({
          trainingJobId: id,
          attempt: 1,
          step: (i + 1) * 25,
          name: "loss",
          value,
        })),
      ],
    });
    const job = await getTrainingJob(p, id);
    expect(job.warnings.map((w) => w.code)).toEqual(["many_epochs", "overfitting"]);
    expect(job.warnings[1]!.message).toMatch(
      /^eval loss rose for 4 evaluations in a row after its best \(0\.61 at step 150 → 0\.83 at step 350\) while train loss fell/,
    );
  });
});
