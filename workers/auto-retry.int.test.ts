/**
 * Issue 14: a trainer killed from outside (kill -9, as the OOM killer does) left the job FAILED
 * until someone retried by hand. Now the poller adds the next attempt by itself, after a backoff,
 * resuming from the newest checkpoint, and says so in the job's audit events and the failed
 * attempt's log. (A trainer's own error exit is never retried: workers/trainer-errors.int.test.ts.)
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-auto-retry-"));
process.env.ARTIFACT_DIR = artifactDir;
process.env.BULLMQ_PREFIX = `${process.env.BULLMQ_PREFIX ?? "retune-test"}-auto-retry`;

const { db } = await import("@/lib/server/core/db");
const { bus } = await import("@/lib/server/core/queues");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { storedLogPath } = await import("@/lib/server/training/paths");

let p: Principal;
let versionId: string;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("auto-retry"));
  versionId = await readyVersion(p);
  await ensureTinyBase();
}, 660_000);

afterAll(async () => {
  await stopWorkerAndTrainers(worker, artifactDir);
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

it("kill -9 of the trainer: the job gets a new attempt by itself and resumes to SUCCEEDED", async () => {
  worker = startWorker({
    ARTIFACT_DIR: artifactDir,
    RETUNE_TRAINER_STEP_DELAY_MS: "200",
    TRAINING_AUTO_RETRY_BACKOFF_S: "1",
  });
  const { id } = await waitFor(
    "the worker to accept a training job",
    () => launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 })),
    60_000,
  );
  const trainerLog = path.join(artifactDir, "training", id, "attempt-1", "trainer.log");
  await waitFor(
    "a complete checkpoint",
    async () => readFileSync(trainerLog, "utf8").includes('"event":"checkpoint"'),
    120_000,
  );
  const [pid] = await processesWith(`training/${id}/spec.json`, { excludeShells: true });
  expect(pid).toBeDefined();
  process.kill(pid!, "SIGKILL");

  const done = await waitFor(
    "the job to finish by itself",
    async () => {
      const j = await db().trainingJob.findUniqueOrThrow({ where: { id } });
      return j.status === "SUCCEEDED" ? j : null;
    },
    180_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n--- worker ---\n${workerOutput(worker!)}`);
  });
  expect(done.attempt).toBe(2);
  const attempts = await db().trainingRunAttempt.findMany({
    where: { trainingJobId: id },
    orderBy: { attempt: "asc" },
  });
  expect(attempts.map((a) => [a.attempt, a.status, a.automatic])).toEqual([
    [1, "FAILED", false],
    [2, "SUCCEEDED", true],
  ]);
  expect(attempts[0]!.exitCode).toBe(137);
  expect(attempts[1]!.resume).toBe(true);
  expect(attempts[1]!.resumedFromStep).toBeGreaterThan(0);

  const events = await db().auditEvent.findMany({
    where: { targetId: id, action: "training-job.auto-retry" },
  });
  expect(events).toHaveLength(1);
  expect(events[0]!.metadata).toMatchObject({ attempt: 2, failedAttempt: 1, retry: 1, of: 2 });
  expect(readFileSync(storedLogPath(id, 1), "utf8")).toMatch(
    /attempt 1 failed \(.*137.*\); retrying automatically as attempt 2/,
  );
}, 400_000);
