/**
 * A trainer that refuses its spec, for real: a worker process runs trainers/sft.py on the LOCAL
 * executor, the trainer exits 3 (QLoRA without CUDA) after printing its `[retune]` error event,
 * and the job's error headline is the trainer's own reason, not "exited with status 3". Then the
 * worker's heartbeat says its host has no GPU, and a retry is refused with the reason.
 *
 * CUDA_VISIBLE_DEVICES is empty for the worker and its trainer, so a GPU host behaves as a CPU one.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { ownerOfNewTeam } from "@/test/principals";
import {
  ensureTinyBase,
  stopWorkerAndTrainers,
  readyVersion,
  startWorker,
  workerOutput,
} from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-trainer-errors-"));
process.env.ARTIFACT_DIR = artifactDir;
// This file's queues and heartbeats only: no other file's worker takes its jobs, or counts here.
process.env.BULLMQ_PREFIX = `${process.env.BULLMQ_PREFIX ?? "retune-test"}-trainer-errors`;
process.env.CUDA_VISIBLE_DEVICES = "";

const { db } = await import("@/lib/server/core/db");
const { bus } = await import("@/lib/server/core/queues");
const { listTrainingWorkers } = await import("@/lib/server/core/heartbeat");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { previewTrainingJob } = await import("@/lib/server/training/preview");
const { retryTrainingJob } = await import("@/lib/server/training/jobs");
const { storedLogPath } = await import("@/lib/server/training/paths");

let p: Principal;
let versionId: string;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("refused"));
  versionId = await readyVersion(p);
  await ensureTinyBase();
}, 660_000);

afterAll(async () => {
  await stopWorkerAndTrainers(worker, artifactDir);
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

describe("a trainer's own reason for failing", () => {
  it("is the job's error headline, and a retry that cannot succeed is refused", async () => {
    // QLoRA on the tiny base: the spec is valid (a GPU is asked for), and with no training worker
    // alive yet the preview can only warn, so the launch goes through.
    const request = {
      model: "qlora without cuda",
      datasetVersionId: versionId,
      baseModel: "retune/tiny-chat",
      method: "QLORA" as const,
      hyperparameters: { maxSteps: 5 },
    };
    const preview = await previewTrainingJob(p, request);
    expect(preview.blockers).toEqual([]);
    expect(preview.warnings).toHaveLength(1);
    const { id } = await launchTrainingJob(p, request);

    // The poller's slots and FIFO span the whole database: other files' leftover jobs (QUEUED, or
    // RUNNING rows no process backs) must not hold this run back.
    worker = startWorker({ ARTIFACT_DIR: artifactDir, TRAINING_MAX_CONCURRENT_LOCAL: "64" });
    const failed = await waitFor(
      "the job to fail",
      async () => {
        const j = await db().trainingJob.findUniqueOrThrow({ where: { id } });
        if (j.status === "SUCCEEDED") throw new Error("the QLoRA run succeeded without CUDA");
        return j.status === "FAILED" ? j : null;
      },
      180_000,
    ).catch(async (e: Error) => {
      const inFlight = await db().trainingJob.findMany({
        where: { status: { in: ["QUEUED", "STARTING", "RUNNING", "CANCELLING"] } },
        select: { id: true, status: true, executor: true, createdAt: true, error: true },
      });
      throw new Error(
        `${e.message}\n--- jobs in flight ---\n${JSON.stringify(inFlight)}\n--- worker ---\n${workerOutput(worker!)}`,
      );
    });
    expect(failed.error).toBe(
      "the trainer refused the spec: method QLORA loads the base in 4 bits with bitsandbytes, " +
        "which needs a CUDA GPU; this host has none. Use method LORA to train on CPU.",
    );
    const attempt = await db().trainingRunAttempt.findFirstOrThrow({
      where: { trainingJobId: id, attempt: 1 },
    });
    expect(attempt).toMatchObject({ status: "FAILED", exitCode: 3, error: failed.error });
    // A failed run's compute is recorded too (its spec asks for a GPU: wall time × 1 GPU).
    expect(failed.gpuSeconds).toBeGreaterThan(0);
    expect(failed.costUsd).not.toBeNull();
    const log = readFileSync(storedLogPath(id, 1), "utf8");
    expect(log).toContain('[retune] {"event":"error","kind":"environment"');

    // The worker has probed its host by now: no GPU. Retrying the same spec would fail again.
    await waitFor(
      "the worker's capabilities",
      async () =>
        (await listTrainingWorkers(bus().connection(), bus().config.prefix)).some(
          (w) => w.capabilities,
        ),
      30_000,
    );
    const refused = retryTrainingJob(p, id, { resume: false });
    await expect(refused).rejects.toMatchObject({ status: 422, code: "invalid_spec" });
    await expect(refused).rejects.toThrow(
      /^QLoRA \(4-bit loading with bitsandbytes\) needs a CUDA GPU/,
    );
    expect(await db().trainingJob.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "FAILED",
      attempt: 1,
    });
    // The trainer's own error exit (3) is deterministic: never retried automatically.
    expect(await db().trainingRunAttempt.count({ where: { trainingJobId: id } })).toBe(1);
    // And a new launch of it is refused up front, in the preview's words.
    const blocked = await previewTrainingJob(p, request);
    expect(blocked.blockers[0]).toMatch(/needs a CUDA GPU, and the LOCAL executor's host has none/);
    await expect(launchTrainingJob(p, request)).rejects.toMatchObject({ status: 422 });
  }, 300_000);
});
