/**
 * The worker runtime: one BullMQ Worker per selected queue, a heartbeat, the maintenance job
 * schedulers, and the shutdown order in docs/architecture.md, "Queues" (workers → queues → Redis → database).
 */
import { type Job, WaitingError, Worker, UnrecoverableError } from "bullmq";
import { Redis } from "ioredis";
import { disconnectDb } from "@/lib/server/core/db";
import { beat, clearBeat, workerIdentity } from "@/lib/server/core/heartbeat";
import { completeOutboxJob, failOutboxJob } from "@/lib/server/core/outbox";
import { type Bus, type Payload, QUEUES, type QueueName } from "@/lib/server/core/queues";
import type { WorkerCapabilities } from "@/lib/schemas/health";
import { startCapabilityProbes } from "./capabilities";

export type ProcessorContext = { signal: AbortSignal; bus: Bus; log: Logger };
/**
 * A queue's processor: a thin dispatcher into its feature's lib/server code. `data` is the job's
 * payload already parsed by the queue's zod schema (a payload that does not parse never reaches
 * it), so no processor casts `job.data`.
 */
export type Processor<Q extends QueueName> = (
  job: Job<Payload<Q>>,
  data: Payload<Q>,
  ctx: ProcessorContext,
) => Promise<unknown>;
export type Processors = { [Q in QueueName]?: Processor<Q> };
export type Logger = (msg: string, fields?: Record<string, unknown>) => void;

export type RuntimeOptions = {
  bus: Bus;
  queues: QueueName[];
  processors: Processors;
  concurrency: number;
  /** How long running jobs get to finish on shutdown before they are handed back to the queue. */
  graceMs: number;
  reconcileEveryMs: number;
  trainingPollMs: number;
  log?: Logger;
  /**
   * What a training worker reports it can run (CUDA GPUs, Docker Engine, Kubernetes API) in its
   * heartbeat; default: workers/capabilities.ts `probeCapabilities`. Workers without the
   * `training` queue report none.
   */
  probeCapabilities?: () => Promise<WorkerCapabilities>;
};

export type Runtime = { workers: Worker[]; shutdown(): Promise<void> };

const SHUTDOWN = "worker shutting down";
const HEARTBEAT_MS = 5_000;

export const defaultLog: Logger = (msg, fields) =>
  console.log(JSON.stringify({ t: new Date().toISOString(), msg, ...fields }));

/** Recurring maintenance lives in BullMQ job schedulers; all of it is in Redis, so it is
 * re-upserted periodically (upsert is idempotent) to survive a Redis flush. */
async function ensureSchedulers(
  bus: Bus,
  queues: QueueName[],
  opts: { reconcileEveryMs: number; trainingPollMs: number },
) {
  if (queues.includes("training")) {
    await bus
      .queue("training")
      .upsertJobScheduler(
        "training-poll",
        { every: opts.trainingPollMs },
        { name: "poll", data: {} },
      );
  }
  if (!queues.includes("outbox")) return;
  const reconcileEveryMs = opts.reconcileEveryMs;
  const q = bus.queue("outbox");
  await q.upsertJobScheduler("outbox-relay", { every: 2_000 }, { name: "relay", data: {} });
  await q.upsertJobScheduler("webhooks", { every: 5_000 }, { name: "webhooks", data: {} });
  await q.upsertJobScheduler(
    "reconcile",
    { every: reconcileEveryMs },
    { name: "reconcile", data: {} },
  );
}

export async function startWorkers(opts: RuntimeOptions): Promise<Runtime> {
  const log = opts.log ?? defaultLog;
  const { bus } = opts;
  let shuttingDown = false;

  for (const name of opts.queues) {
    if (!opts.processors[name])
      throw new Error(`queue "${name}" has no processor in this build of the worker`);
  }

  function startWorker<Q extends QueueName>(name: Q, process: Processor<Q>): Worker {
    const worker = new Worker<Payload<Q>>(
      name,
      async (job, token, signal) => {
        const parsed = QUEUES[name].payload.safeParse(job.data);
        if (!parsed.success)
          throw new UnrecoverableError(`invalid ${name} payload: ${parsed.error.message}`);
        const abort = signal ?? new AbortController().signal;
        try {
          // The schema of QUEUES[name] is the one Payload<Q> is inferred from.
          const result = await process(job, parsed.data as Payload<Q>, { signal: abort, bus, log });
          if (name !== "outbox" && job.id) await completeOutboxJob(job.id);
          return result;
        } catch (e) {
          if (shuttingDown && abort.aborted) {
            // Hand the job back now instead of letting its lock expire: the next worker starts
            // it at once, and the attempt is not counted as a failure.
            await job.moveToWait(token);
            log("job handed back on shutdown", { queue: name, jobId: job.id });
            throw new WaitingError();
          }
          throw e;
        }
      },
      {
        connection: bus.workerConnection(),
        prefix: bus.config.prefix,
        concurrency: name === "outbox" ? 1 : opts.concurrency,
        autorun: true,
      },
    );
    worker.on("failed", (job, err) => {
      if (!job?.id || name === "outbox") return;
      const final =
        err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      log(final ? "job failed" : "job failed; will retry", {
        queue: name,
        jobId: job.id,
        error: err.message,
      });
      if (final) void failOutboxJob(job.id, err.message).catch(() => {});
    });
    worker.on("error", (err) => log("worker error", { queue: name, error: err.message }));
    return worker;
  }

  // `Processors` pairs each queue with its own processor; TypeScript cannot follow that pairing
  // through the loop variable, hence the one cast (checked above: every queue has a processor).
  const workers = opts.queues.map((name) => startWorker(name, opts.processors[name] as never));

  const heartbeatRedis = new Redis(bus.config.redisUrl, { maxRetriesPerRequest: 1 });
  heartbeatRedis.on("error", () => {});
  const me = workerIdentity(opts.queues);
  const tick = async () => {
    await beat(heartbeatRedis, bus.config.prefix, me).catch(() => {});
    await ensureSchedulers(bus, opts.queues, opts).catch(() => {});
  };
  // Probed in the background: the first heartbeat goes out at once (capabilities null, i.e.
  // unknown), and each finished probe is published with a heartbeat of its own.
  const probes = opts.queues.includes("training")
    ? startCapabilityProbes(
        (capabilities) => {
          me.capabilities = capabilities;
          if (!shuttingDown) void beat(heartbeatRedis, bus.config.prefix, me).catch(() => {});
        },
        opts.probeCapabilities ? { probe: opts.probeCapabilities } : {},
      )
    : null;
  await tick();
  const timer = setInterval(() => void tick(), Math.min(HEARTBEAT_MS, opts.reconcileEveryMs));
  log("worker started", { id: me.id, queues: opts.queues });

  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= (async () => {
      shuttingDown = true;
      clearInterval(timer);
      probes?.stop();
      log("worker stopping", { graceMs: opts.graceMs });
      const closed = Promise.all(workers.map((w) => w.close()));
      const grace = setTimeout(
        () => workers.forEach((w) => w.cancelAllJobs(SHUTDOWN)),
        opts.graceMs,
      );
      // A processor that ignores its abort signal cannot hold the process forever: force-close;
      // its job's lock then expires and BullMQ's stalled check hands it to another worker.
      const hard = new Promise<"hard">((r) =>
        setTimeout(() => r("hard"), opts.graceMs * 2 + 5_000).unref(),
      );
      if ((await Promise.race([closed, hard])) === "hard") {
        log("processors ignored cancellation; force-closing");
        await Promise.all(workers.map((w) => w.close(true)));
      }
      clearTimeout(grace);
      await clearBeat(heartbeatRedis, bus.config.prefix, me.id).catch(() => {});
      await bus.close();
      await heartbeatRedis.quit().catch(() => heartbeatRedis.disconnect());
      log("worker stopped", { id: me.id });
    })());

  return { workers, shutdown };
}

/**
 * SIGTERM/SIGINT: shut down in order (workers → queues → Redis → database), then exit. Takes the
 * runtime still starting, so call it in the same tick as startWorkers(): a signal that arrives
 * while the runtime starts still hands running jobs back.
 *
 * The same when the process's output goes away (its terminal, supervisor or test runner is gone):
 * every log line would fail with EPIPE, and with no listener each failure is an uncaught
 * exception that is itself logged — a worker spinning a core on its own errors, forever.
 */
export function installSignalHandlers(
  runtime: Runtime | Promise<Runtime>,
  log: Logger = defaultLog,
): void {
  let stopping = false;
  const stop = (why: string, fields: Record<string, unknown>) => {
    if (stopping) return;
    stopping = true;
    log(why, fields);
    void Promise.resolve(runtime)
      .then((r) => r.shutdown())
      .then(() => disconnectDb())
      .then(
        () => process.exit(0),
        (e) => {
          log("shutdown failed", { error: String(e) });
          process.exit(1);
        },
      );
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const)
    process.once(signal, () => stop("signal received", { signal }));
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (e: NodeJS.ErrnoException) =>
      stop("output closed; shutting down", { error: e.code ?? e.message }),
    );
}
