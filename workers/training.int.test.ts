/**
 * The training lifecycle against real parts: PostgreSQL, Redis, BullMQ, a worker process and the
 * real PEFT trainer on CPU (retune/tiny-chat). Crashes are real signals: kill -9 of the worker, of
 * the trainer, FLUSHALL of a private Redis. The trainer's per-step delay knob
 * (RETUNE_TRAINER_STEP_DELAY_MS) makes "mid-run" last long enough to act in.
 */
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp, createTeamWith } from "@/test/principals";
import {
  ensureTinyBase,
  processesWith,
  readyVersion,
  startWorker,
  tinyJob,
  workerOutput,
} from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";
import type { Principal } from "@/lib/server/core/principal";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-training-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { cancelTrainingJob, retryTrainingJob, getMetrics } =
  await import("@/lib/server/training/jobs");
const { getModelVersion } = await import("@/lib/server/registry/model-versions");

type P = Principal;
let p: P;
let versionId: string;
let redisServer: ChildProcess;
let redisUrl: string;
const workers: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function worker(env: Record<string, string> = {}) {
  const w = startWorker({ ARTIFACT_DIR: artifactDir, REDIS_URL: redisUrl, ...env });
  workers.push(w);
  return w;
}

async function stopWorker(w: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  if (w.exitCode !== null || w.signalCode !== null) return;
  const exited = new Promise((r) => w.once("exit", r));
  w.kill(signal);
  await exited;
}

const job = (id: string) => db().trainingJob.findUniqueOrThrow({ where: { id } });
const attemptOf = (id: string, attempt: number) =>
  db().trainingRunAttempt.findUniqueOrThrow({
    where: { trainingJobId_attempt: { trainingJobId: id, attempt } },
  });

async function waitStatus(id: string, status: string, timeoutMs = 150_000) {
  return waitFor(
    `job ${id} to be ${status}`,
    async () => {
      const j = await job(id);
      if (j.status === "FAILED" && status !== "FAILED") throw new Error(`job failed: ${j.error}`);
      return j.status === status ? j : null;
    },
    timeoutMs,
  );
}

/** The trainer processes (python sft.py) running for this job. */
const trainers = (id: string) => processesWith(`training/${id}/spec.json`, { excludeShells: true });

beforeAll(async () => {
  const port = await freePort();
  redisServer = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  redisUrl = `redis://127.0.0.1:${port}`;
  process.env.REDIS_URL = redisUrl;
  const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => 100 });
  probe.on("error", () => {});
  await waitFor(
    "the private redis-server",
    async () => (await probe.ping().catch(() => null)) === "PONG",
  );
  probe.disconnect();
  const owner = await signUp("trainer");
  const team = await createTeamWith({ OWNER: owner });
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  versionId = await readyVersion(p);
  await ensureTinyBase();
}, 660_000);

afterAll(async () => {
  for (const w of workers) await stopWorker(w, "SIGKILL");
  for (const pid of await processesWith(artifactDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  redisServer?.kill("SIGKILL");
  const { bus } = await import("@/lib/server/core/queues");
  await bus().close();
  if (!process.env.RETUNE_KEEP_TEST_ARTIFACTS)
    rmSync(artifactDir, { recursive: true, force: true });
});

describe("training jobs", () => {
  it("trains for real to SUCCEEDED, with metrics, a stored log and a CANDIDATE version", async () => {
    const w = worker();
    const launched = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 20 }));
    const done = await waitStatus(launched.id, "SUCCEEDED").catch((e: Error) => {
      throw new Error(`${e.message}\n--- worker ---\n${workerOutput(w)}`);
    });
    expect(done.progress).toBe(1);
    const loss = (await getMetrics(p, launched.id, { name: "loss" })).points;
    expect(loss.length).toBeGreaterThan(3);
    expect(loss.at(-1)!.value).toBeLessThan(loss[0]!.value);
    const mv = await db().modelVersion.findUniqueOrThrow({ where: { trainingJobId: launched.id } });
    const version = await getModelVersion(p, mv.id);
    expect(version.stage).toBe("CANDIDATE");
    const files = Object.fromEntries(version.adapter!.files.map((f) => [f.name, f.bytes]));
    expect(files["adapter_config.json"]).toBeGreaterThan(0);
    expect(files["adapter_model.safetensors"]).toBeGreaterThan(10_000);
    const log = readFileSync(
      path.join(artifactDir, "training", launched.id, "attempt-1", "output.log"),
      "utf8",
    );
    expect(log).toContain("'loss'");
    await stopWorker(w);
  }, 240_000);

  it("two launches with one Idempotency-Key make one job", async () => {
    const body = tinyJob(versionId, { maxSteps: 5 }, "idem model");
    const [a, b] = await Promise.all([
      launchTrainingJob(p, body, { idempotencyKey: "launch-123" }),
      launchTrainingJob(p, body, { idempotencyKey: "launch-123" }),
    ]);
    expect(a.id).toBe(b.id);
    expect(
      await db().trainingJob.count({ where: { teamId: p.teamId, idempotencyKey: "launch-123" } }),
    ).toBe(1);
    const other = { ...body, hyperparameters: { ...body.hyperparameters, loraR: 4 } };
    await expect(
      launchTrainingJob(p, other, { idempotencyKey: "launch-123" }),
    ).rejects.toMatchObject({
      status: 422,
      code: "idempotency_key_reused",
    });
    await cancelTrainingJob(p, a.id);
  });

  it("kill -9 of the worker mid-run: the run goes on, the next worker tracks it, one trainer", async () => {
    const w1 = worker({ RETUNE_TRAINER_STEP_DELAY_MS: "250" });
    const { id } = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 }));
    await waitFor("a few steps", async () => (await job(id)).currentStep >= 3, 120_000);
    await stopWorker(w1, "SIGKILL");
    expect((await trainers(id)).length).toBe(1); // the trainer outlives its worker
    const stepAtKill = (await job(id)).currentStep;
    const w2 = worker({ RETUNE_TRAINER_STEP_DELAY_MS: "250" });
    await waitFor(
      "the new worker to follow the run",
      async () => (await job(id)).currentStep > stepAtKill + 2,
      60_000,
    );
    expect((await trainers(id)).length).toBe(1);
    await waitStatus(id, "SUCCEEDED");
    expect(await db().trainingRunAttempt.count({ where: { trainingJobId: id } })).toBe(1);
    const pidFiles = readdirSync(path.join(artifactDir, "training", id)).filter((f) =>
      f.startsWith("attempt-"),
    );
    expect(pidFiles).toEqual(["attempt-1"]);
    await stopWorker(w2);
  }, 240_000);

  it("kill -9 of the trainer fails the attempt; the retry resumes from the last checkpoint", async () => {
    // Automatic retries off: this is the manual retry (workers/auto-retry.int.test.ts: automatic).
    const w = worker({ RETUNE_TRAINER_STEP_DELAY_MS: "200", TRAINING_AUTO_RETRIES: "0" });
    const { id } = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 }));
    // A checkpoint folder exists while it is being written; the trainer's event says it is whole.
    const trainerLog = path.join(artifactDir, "training", id, "attempt-1", "trainer.log");
    await waitFor(
      "a complete checkpoint",
      async () => readFileSync(trainerLog, "utf8").includes('"event":"checkpoint"'),
      120_000,
    );
    const [pid] = await trainers(id);
    expect(pid).toBeDefined();
    process.kill(pid!, "SIGKILL");
    const failed = await waitStatus(id, "FAILED", 60_000);
    expect(failed.error).toMatch(/137|SIGKILL|signal 9/);
    expect((await attemptOf(id, 1)).status).toBe("FAILED");
    await retryTrainingJob(p, id, { resume: true });
    await waitStatus(id, "SUCCEEDED");
    const second = await attemptOf(id, 2);
    expect(second.resumedFromStep).toBeGreaterThan(0);
    await stopWorker(w);
  }, 240_000);

  it("FLUSHALL of Redis mid-run: the run is still tracked to the end", async () => {
    const w = worker({ RETUNE_TRAINER_STEP_DELAY_MS: "200" });
    const { id } = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 }));
    await waitFor("a few steps", async () => (await job(id)).currentStep >= 3, 120_000);
    const redis = new Redis(redisUrl);
    await redis.flushall();
    await redis.quit();
    const step = (await job(id)).currentStep;
    await waitFor(
      "progress after the flush",
      async () => (await job(id)).currentStep > step + 2,
      60_000,
    );
    await waitStatus(id, "SUCCEEDED");
    await stopWorker(w);
  }, 240_000);

  it("cancel while STARTING and while RUNNING: CANCELLED and no process left", async () => {
    const w = worker({ RETUNE_TRAINER_STEP_DELAY_MS: "300" });
    const starting = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 }));
    await waitStatus(starting.id, "STARTING", 60_000);
    await cancelTrainingJob(p, starting.id);
    const running = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 }));
    await waitFor(
      "the first cancel to stop its run",
      async () => (await attemptOf(starting.id, 1)).status === "CANCELLED",
      60_000,
    );
    await waitStatus(running.id, "RUNNING", 120_000);
    await cancelTrainingJob(p, running.id);
    await waitFor(
      "the second cancel to stop its run",
      async () => (await attemptOf(running.id, 1)).status === "CANCELLED",
      60_000,
    );
    for (const id of [starting.id, running.id]) {
      expect((await job(id)).status).toBe("CANCELLED");
      expect(await trainers(id)).toEqual([]);
      expect(await processesWith(`training/${id}`)).toEqual([]);
    }
    await stopWorker(w);
  }, 240_000);

  it("a cancelled job reads CANCELLED only once no trainer process of it is left", async () => {
    const w = worker({ RETUNE_TRAINER_STEP_DELAY_MS: "300" });
    const { id } = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 24 }));
    await waitStatus(id, "RUNNING", 120_000);
    expect((await trainers(id)).length).toBe(1);
    // The process may still run after the request: the job says so instead of claiming CANCELLED.
    expect((await cancelTrainingJob(p, id)).status).toBe("CANCELLING");
    expect((await cancelTrainingJob(p, id)).status).toBe("CANCELLING"); // a repeat is harmless
    await expect(retryTrainingJob(p, id, { resume: false })).rejects.toMatchObject({
      status: 409,
    });
    // Sample until it is CANCELLED: every read that says CANCELLED finds no process of the job.
    let samples = 0;
    let cancelledReads = 0;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = (await job(id)).status;
      const alive = await processesWith(`training/${id}`);
      samples++;
      if (status === "CANCELLED") {
        cancelledReads++;
        expect(alive, "a CANCELLED job has no process left").toEqual([]);
        if (cancelledReads >= 3) break;
      } else {
        expect(status).toBe("CANCELLING");
      }
      if (Date.now() > deadline) throw new Error(`still ${status} after 60 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(samples).toBeGreaterThan(cancelledReads);
    expect((await attemptOf(id, 1)).status).toBe("CANCELLED");
    await stopWorker(w);
  }, 240_000);
});
