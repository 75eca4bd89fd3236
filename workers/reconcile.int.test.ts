/**
 * Redis can lose everything (FLUSHALL, a restart without persistence). PostgreSQL is the truth:
 * the reconciler re-enqueues what the outbox says is dispatched and unfinished, and the worker
 * re-creates its own job schedulers. Uses a private redis-server, so FLUSHALL harms nothing else.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/server/core/db";
import { enqueueInTx } from "@/lib/server/core/outbox";
import { Bus } from "@/lib/server/core/queues";
import { waitFor } from "@/test/wait-for";
import { processors } from "@/workers/processors";
import { type Runtime, startWorkers } from "@/workers/runtime";

let redisServer: ChildProcess;
let redisUrl: string;
let bus: Bus;
let runtime: Runtime | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  redisServer = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    {
      stdio: "ignore",
    },
  );
  redisUrl = `redis://127.0.0.1:${port}`;
  const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => 100 });
  probe.on("error", () => {}); // refused until the server is listening
  await waitFor(
    "the private redis-server",
    async () => (await probe.ping().catch(() => null)) === "PONG",
  );
  probe.disconnect();
  bus = new Bus({ redisUrl, prefix: "reconcile-test" });
});

afterAll(async () => {
  await runtime?.shutdown();
  redisServer?.kill("SIGKILL");
});

it("re-enqueues pending work after FLUSHALL", async () => {
  const ids = ["flush-a", "flush-b", "flush-c"];
  const jobIds = await db().$transaction((tx) =>
    Promise.all(ids.map((id) => enqueueInTx(tx, "dataset-validation", { datasetVersionId: id }))),
  );
  runtime = await startWorkers({
    bus,
    queues: ["outbox"],
    processors,
    concurrency: 1,
    graceMs: 1_000,
    reconcileEveryMs: 300,
    trainingPollMs: 60_000,
    log: () => {},
  });
  const queue = bus.queue("dataset-validation");
  const allInRedis = async () =>
    (await Promise.all(jobIds.map((j) => queue.getJob(j)))).every(Boolean);

  await waitFor("the relay to dispatch the outbox rows", allInRedis);
  const dispatched = await db().outbox.findMany({ where: { jobId: { in: jobIds } } });
  expect(dispatched.map((r) => r.status)).toEqual(["DISPATCHED", "DISPATCHED", "DISPATCHED"]);

  const admin = new Redis(redisUrl);
  await admin.flushall();
  expect(await queue.getJob(jobIds[0]!)).toBeUndefined();

  await waitFor("the reconciler to re-enqueue every job", allInRedis);
  const after = await db().outbox.findMany({ where: { jobId: { in: jobIds } } });
  expect(after.every((r) => r.redispatches >= 1)).toBe(true);
  const jobs = await Promise.all(jobIds.map((j) => queue.getJob(j)));
  expect(jobs.map((j) => j?.data.datasetVersionId).sort()).toEqual(ids);
  const schedulers = await waitFor("the worker to re-create its job schedulers", async () => {
    const found = (await bus.queue("outbox").getJobSchedulers()).map((s) => s.key).sort();
    return found.length === 3 ? found : null;
  });
  expect(schedulers).toEqual(["outbox-relay", "reconcile", "webhooks"]);
  await admin.quit();
});
