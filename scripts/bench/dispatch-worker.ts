/**
 * The worker side of bench:dispatch, in its own process as in a deployment (web and workers are
 * separate processes). Runs the real worker runtime on the bench's database and prefix with an
 * instrumented LOCAL executor, plus a plain BullMQ worker for the raw baseline; prints one JSON
 * line per event with a wall-clock time comparable across processes (timeOrigin + now()).
 *
 * For the phase beside a trainer, the bench writes `arm-trainer` on stdin: the next start() goes
 * to the real LOCAL executor (niced and thread-capped as in the product, with the limits of a
 * default deployment: one LOCAL slot), and `stop-trainer` cancels that run.
 */
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { Worker } from "bullmq";
import { bus } from "@/lib/server/core/queues";
import { processors } from "@/workers/processors";
import { startWorkers } from "@/workers/runtime";
import { setExecutorForTests } from "@/workers/executors";
import { createLocalExecutor } from "@/workers/executors/local";
import type { RunRef } from "@/workers/executors/types";
import { trainerCpuLimits } from "@/lib/server/training/trainer-process";

const now = () => performance.timeOrigin + performance.now();
const say = (o: object) => process.stdout.write(JSON.stringify(o) + "\n");
const concurrency = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);

// The bench raises TRAINING_MAX_CONCURRENT_LOCAL so its launches never queue; the real trainer
// gets the cap a deployment's single LOCAL slot gives it.
const real = createLocalExecutor(trainerCpuLimits({ localSlots: 1 }));
let armed = false;
let trainer: RunRef | null = null;
async function stopTrainer() {
  if (trainer) await real.cancel(trainer);
  trainer = null;
}
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line === "arm-trainer") {
    armed = true;
    say({ kind: "armed", t: now() });
  }
  if (line === "stop-trainer")
    void stopTrainer().then(() => say({ kind: "trainer-stopped", t: now() }));
});

setExecutorForTests("LOCAL", {
  kind: "LOCAL",
  start: async (spec) => {
    if (armed) {
      armed = false;
      const { externalId } = await real.start(spec);
      trainer = { jobId: spec.jobId, attempt: spec.attempt, jobDir: spec.jobDir, externalId };
      say({ kind: "trainer", pid: Number(externalId), ...trainer, t: now() });
      return { externalId };
    }
    say({ kind: "start", jobId: spec.jobId, t: now() });
    return { externalId: `bench-${spec.jobId}` };
  },
  status: async () => ({ phase: "PENDING" }),
  readLogs: async (_ref, from) => ({ text: "", nextOffset: from }),
  cancel: async () => {},
});

const runtime = await startWorkers({
  bus: bus(),
  queues: ["outbox", "training"],
  processors,
  concurrency,
  graceMs: 1_000,
  reconcileEveryMs: 60_000,
  trainingPollMs: 60_000,
  // Only trouble is printed: a launch that never reaches the executor must say why.
  log: (msg, meta) => {
    if (/fail|error|lost/i.test(msg))
      process.stderr.write(`worker: ${msg} ${JSON.stringify(meta)}\n`);
  },
});
const raw = new Worker(
  "raw",
  async (job) => say({ kind: "raw", sent: (job.data as { t: number }).t, t: now() }),
  {
    connection: {
      url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      maxRetriesPerRequest: null,
    },
    prefix: `${process.env.BULLMQ_PREFIX}-raw`,
    concurrency,
  },
);
say({ kind: "ready" });
// The bench asks for CPU time before and after a phase, to report CPU per launch.
process.on("SIGUSR2", () => {
  const { user, system } = process.cpuUsage();
  say({ kind: "cpu", t: now(), ms: (user + system) / 1000 });
});
process.on("SIGTERM", () => {
  void stopTrainer()
    .then(() => raw.close())
    .then(() => runtime.shutdown())
    .then(() => process.exit(0));
});
