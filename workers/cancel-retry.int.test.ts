/**
 * Issue 14: Cancel then an immediate Retry ran two trainers of one job at once (the wrapper shell
 * was seen gone while the trainer still ran, so the job read CANCELLED and the retry started
 * attempt 2 beside attempt 1). Here the process table is sampled throughout cancel + retry (the
 * retry repeated until it is accepted, as an impatient user would) and never shows two trainer
 * processes of the job; attempt 2 runs, resumed, as the only one.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { ownerOfNewTeam } from "@/test/principals";
import {
  ensureTinyBase,
  processesWith,
  stopWorkerAndTrainers,
  readyVersion,
  startWorker,
  tinyJob,
  workerOutput,
} from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-cancel-retry-"));
process.env.ARTIFACT_DIR = artifactDir;
process.env.BULLMQ_PREFIX = `${process.env.BULLMQ_PREFIX ?? "retune-test"}-cancel-retry`;

const { db } = await import("@/lib/server/core/db");
const { bus } = await import("@/lib/server/core/queues");
const { HttpError } = await import("@/lib/server/core/errors");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { cancelTrainingJob, retryTrainingJob } = await import("@/lib/server/training/jobs");

let p: Principal;
let versionId: string;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("cancel-retry"));
  versionId = await readyVersion(p);
  await ensureTinyBase();
}, 660_000);

afterAll(async () => {
  await stopWorkerAndTrainers(worker, artifactDir);
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

const job = (id: string) => db().trainingJob.findUniqueOrThrow({ where: { id } });

it("cancel + immediate retry never shows two trainer processes of one job", async () => {
  worker = startWorker({ ARTIFACT_DIR: artifactDir, RETUNE_TRAINER_STEP_DELAY_MS: "300" });
  const { id } = await waitFor(
    "the worker to accept a training job",
    () => launchTrainingJob(p, tinyJob(versionId, { maxSteps: 40 })),
    60_000,
  );
  // The trainer processes of the job (python sft.py --spec …/spec.json), wrapper shells excluded.
  const trainers = () => processesWith(`training/${id}/spec.json`, { excludeShells: true });
  await waitFor("a few steps", async () => (await job(id)).currentStep >= 3, 120_000);

  // Attempt 1's trainer, seen before the cancel (a scan of /proc takes a while on a busy host).
  const before = await trainers();
  expect(before).toHaveLength(1);
  let most = 1;
  let samples = 1;
  let sampling = true;
  const seen = new Set<number>(before);
  const sampler = (async () => {
    while (sampling) {
      const pids = await trainers();
      pids.forEach((pid) => seen.add(pid));
      most = Math.max(most, pids.length);
      samples++;
      if (pids.length > 1) break; // the failure: keep the evidence
    }
  })();

  expect((await cancelTrainingJob(p, id)).status).toBe("CANCELLING");
  let refusals = 0;
  const retried = await waitFor(
    "the retry to be accepted",
    async () => {
      try {
        return await retryTrainingJob(p, id, { resume: true });
      } catch (e) {
        if (!(e instanceof HttpError) || e.status !== 409) throw e;
        expect(e.message).toMatch(/still stopping|CANCELLING/);
        refusals++;
        return null;
      }
    },
    60_000,
  );
  expect(retried.attempt).toBe(2);
  await waitFor(
    "attempt 2 to train",
    async () => {
      const j = await job(id);
      return j.attempt === 2 && j.status === "RUNNING" && j.currentStep > 0;
    },
    120_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n--- worker ---\n${workerOutput(worker!)}`);
  });
  sampling = false;
  await sampler;

  expect(most, `two trainers of job ${id} ran at once (pids ${[...seen].join(", ")})`).toBe(1);
  expect(seen.size).toBeGreaterThanOrEqual(2); // attempt 1's trainer and attempt 2's, one after the other
  expect(samples).toBeGreaterThan(10);
  expect(refusals).toBeGreaterThan(0); // the retry came while attempt 1 was still stopping
  const a2 = await db().trainingRunAttempt.findUniqueOrThrow({
    where: { trainingJobId_attempt: { trainingJobId: id, attempt: 2 } },
  });
  expect(a2.resume).toBe(true);

  await cancelTrainingJob(p, id);
  await waitFor("the cleanup cancel", async () => (await job(id)).status === "CANCELLED", 60_000);
}, 400_000);
