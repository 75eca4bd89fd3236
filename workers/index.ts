/**
 * `npm run worker`: consumes the queues named in WORKER_QUEUES (default: every queue this build
 * has a processor for). SIGTERM/SIGINT shut down in order and hand running jobs back.
 */
import { isTransientDbError } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { bus, isQueueName, type QueueName } from "@/lib/server/core/queues";
import { processors } from "./processors";
import { defaultLog, installSignalHandlers, startWorkers } from "./runtime";

function selectedQueues(): QueueName[] {
  const raw = env()
    .WORKER_QUEUES?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!raw?.length) return Object.keys(processors) as QueueName[];
  const unknown = raw.filter((q) => !isQueueName(q));
  if (unknown.length) throw new Error(`WORKER_QUEUES names unknown queues: ${unknown.join(", ")}`);
  return raw as QueueName[];
}

const runtime = startWorkers({
  bus: bus(),
  queues: selectedQueues(),
  processors,
  concurrency: env().WORKER_CONCURRENCY,
  graceMs: env().WORKER_SHUTDOWN_GRACE_S * 1000,
  reconcileEveryMs: env().RECONCILE_EVERY_MS,
  trainingPollMs: env().TRAINING_POLL_MS,
});

installSignalHandlers(runtime);
// The last line of defence (issue 14): every pg client has an 'error' listener (core/db.ts) and
// processors' failures are BullMQ retries, but a transient database error that still escapes
// somewhere must not take the worker down with it. Anything else is a bug: exit non-zero, and the
// supervisor (scripts/demo.sh, the deployment's restart policy) starts a fresh worker.
for (const event of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(event, (e: unknown) => {
    const transient = isTransientDbError(e);
    defaultLog(transient ? "transient database error; worker continues" : "worker crashed", {
      event,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
    if (!transient) process.exit(1);
  });
}
await runtime;
