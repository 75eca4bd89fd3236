/**
 * Issue 14: terminating PostgreSQL backends every 0.3 s killed workers within seconds (an 'error'
 * event from a checked-out pg client with no listener). Here a real worker process
 * (workers/index.ts) lives through 30 s of that storm while dataset validations and two real
 * training runs (one running, one waiting for the slot: poll, attempt locks and slot claims all
 * hold connections) go on; afterwards every job has finished and the worker is the same process.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { GOOD } from "@/test/dataset-fixtures";
import { ownerOfNewTeam } from "@/test/principals";
import {
  ensureTinyBase,
  stopWorkerAndTrainers,
  readyVersion,
  startWorker,
  tinyJob,
  workerOutput,
} from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-db-storm-"));
process.env.ARTIFACT_DIR = artifactDir;
process.env.BULLMQ_PREFIX = `${process.env.BULLMQ_PREFIX ?? "retune-test"}-db-storm`;

const { db } = await import("@/lib/server/core/db");
const { bus } = await import("@/lib/server/core/queues");
const { createDataset, uploadVersion } = await import("@/lib/server/datasets/datasets");
const { launchTrainingJob } = await import("@/lib/server/training/launch");

const STORM_MS = 30_000;
const EVERY_MS = 300;

let p: Principal;
let trainVersionId: string;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("storm"));
  trainVersionId = await readyVersion(p);
  await ensureTinyBase();
}, 660_000);

afterAll(async () => {
  await stopWorkerAndTrainers(worker, artifactDir);
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

/** This test's own calls meet the storm too: retried until one gets through. */
async function persist<T>(what: string, fn: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${what} never got through the storm: ${String(last)}`);
}

async function uploadOne(n: number): Promise<string> {
  const d = await persist("create dataset", () => createDataset(p, { name: `storm-${n}` }));
  // Distinct bytes per upload, so none is deduplicated.
  const text = [
    ...GOOD,
    JSON.stringify({
      messages: [
        { role: "user", content: `n${n}` },
        { role: "assistant", content: "ok" },
      ],
    }),
  ].join("\n");
  const res = await persist("upload", () =>
    uploadVersion(p, d.id, {
      body: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(Buffer.from(text));
          c.close();
        },
      }),
      contentType: "application/x-ndjson",
      query: { format: "auto", evalFraction: 0.1 } as never,
    }),
  );
  return res.id;
}

it("a worker lives through 30 s of backend terminations every 0.3 s, and every job finishes", async () => {
  worker = startWorker({
    ARTIFACT_DIR: artifactDir,
    WORKER_QUEUES: "outbox,dataset-validation,training",
    RETUNE_TRAINER_STEP_DELAY_MS: "400",
    RECONCILE_EVERY_MS: "1000",
  });
  const pid = worker.pid;
  const exit = new Promise<string>((resolve) =>
    worker!.once("exit", (code, signal) => resolve(`exited: code ${code}, signal ${signal}`)),
  );

  // Launched once the worker's heartbeat says it can train; the second waits for the slot.
  const running = await waitFor(
    "the worker to accept a training job",
    () => launchTrainingJob(p, tinyJob(trainVersionId, { maxSteps: 60 })),
    60_000,
  );
  const waiting = await launchTrainingJob(p, tinyJob(trainVersionId, { maxSteps: 6 }));
  await waitFor(
    "the first run to train",
    async () =>
      (await db().trainingJob.findUniqueOrThrow({ where: { id: running.id } })).currentStep >= 1,
    120_000,
  );
  const versions = [await uploadOne(0), await uploadOne(1)];

  const admin = new URL(process.env.DATABASE_URL!);
  const dbName = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  const killer = new pg.Client({ connectionString: admin.toString() });
  await killer.connect();
  let terminated = 0;
  let rounds = 0;
  const stormEnds = Date.now() + STORM_MS;
  const storm = (async () => {
    while (Date.now() < stormEnds) {
      const r = await killer.query(
        `SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [dbName],
      );
      terminated += r.rows.filter((x: { t: boolean }) => x.t).length;
      rounds++;
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
  })();
  // More work launched while the storm rages.
  for (let n = 2; n < 6; n++) {
    versions.push(await uploadOne(n));
    await new Promise((r) => setTimeout(r, 4_000));
  }
  const outcome = await Promise.race([storm.then(() => "storm over"), exit]);
  await killer.end();
  expect(outcome, workerOutput(worker)).toBe("storm over");
  expect(rounds).toBeGreaterThan(50);
  expect(terminated).toBeGreaterThan(rounds); // the worker's connections were really cut, again and again

  const finished = await waitFor(
    "every job to finish",
    async () => {
      const jobs = await db().trainingJob.findMany({
        where: { id: { in: [running.id, waiting.id] } },
      });
      const vs = await db().datasetVersion.findMany({ where: { id: { in: versions } } });
      if (jobs.some((j) => j.status === "FAILED"))
        throw new Error(`a job failed: ${jobs.map((j) => j.error).join("; ")}`);
      const done =
        jobs.every((j) => j.status === "SUCCEEDED") &&
        vs.length === versions.length &&
        vs.every((v) => v.status === "READY");
      return done ? { jobs, vs } : null;
    },
    240_000,
  ).catch((e: Error) => {
    throw new Error(`${e.message}\n--- worker ---\n${workerOutput(worker!)}`);
  });
  expect(finished.jobs.map((j) => j.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
  expect(finished.vs.map((v) => v.status)).toEqual(versions.map(() => "READY"));
  // The same process did it all: nothing restarted it.
  expect(worker.exitCode).toBeNull();
  expect(worker.signalCode).toBeNull();
  expect(worker.pid).toBe(pid);
}, 600_000);
