/**
 * SIGTERM to a worker process mid-job hands the job back: it leaves `active` at once (no waiting
 * for a lock to expire) without counting a failed attempt, and the next worker completes it. A
 * worker whose output goes away (whoever read it is gone) shuts down the same way.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { Worker } from "bullmq";
import { afterAll, expect, it } from "vitest";
import { Bus } from "@/lib/server/core/queues";
import { waitFor } from "@/test/wait-for";

const root = path.resolve(import.meta.dirname, "..");
const bus = new Bus({
  redisUrl: process.env.REDIS_URL!,
  prefix: `${process.env.BULLMQ_PREFIX}-sigterm`,
});

afterAll(() => bus.close());

it("hands a running job back to the queue on SIGTERM", async () => {
  const job = await bus.add("dataset-validation", { datasetVersionId: "sigterm-1" });
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/slow-worker.ts"], {
    cwd: root,
    env: { ...process.env, BULLMQ_PREFIX: bus.config.prefix, WORKER_SHUTDOWN_GRACE_S: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

  await waitFor(
    "the job to become active in the child worker",
    async () => (await job.getState()) === "active",
  );
  child.kill("SIGTERM");
  expect(await exited, output).toBe(0);
  expect(output).toContain("job handed back on shutdown");

  const queue = bus.queue("dataset-validation");
  expect(await queue.getActiveCount()).toBe(0);
  expect(await job.getState()).toBe("waiting");
  const reloaded = await queue.getJob(job.id!);
  expect(reloaded?.attemptsMade ?? 0).toBe(0);
  expect(reloaded?.failedReason ?? "").toBe("");

  const next = new Worker("dataset-validation", async () => "done", {
    connection: bus.workerConnection(),
    prefix: bus.config.prefix,
  });
  try {
    await waitFor(
      "the next worker to complete the job",
      async () => (await job.getState()) === "completed",
    );
  } finally {
    await next.close();
  }
});

it("shuts down when its output closes, instead of logging the failure of logging forever", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      BULLMQ_PREFIX: `${bus.config.prefix}-epipe`,
      WORKER_QUEUES: "dataset-validation",
      WORKER_SHUTDOWN_GRACE_S: "1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  await waitFor("the worker to start", async () => output.includes("worker started"));

  // The reader goes away; the next line the worker logs (a job that fails) meets a closed pipe.
  child.stdout.destroy();
  child.stderr.destroy();
  const epipe = new Bus({ redisUrl: process.env.REDIS_URL!, prefix: `${bus.config.prefix}-epipe` });
  try {
    await epipe.queue("dataset-validation").add("bad", { not: "a payload" });
    // Before: exit never came (the worker spun a core on EPIPE); now an orderly shutdown, exit 0.
    const code = await Promise.race([
      exited,
      new Promise<"still running">((r) => setTimeout(() => r("still running"), 30_000)),
    ]);
    expect(code).toBe(0);
  } finally {
    child.kill("SIGKILL");
    await epipe.close();
  }
});
