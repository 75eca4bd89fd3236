/**
 * `npm run worker`: consumes the queues named in WORKER_QUEUES (default: every queue this build
 * has a processor for). SIGTERM/SIGINT shut down in order and hand running jobs back.
 */
import { env } from "@/lib/server/core/env";
import { bus, isQueueName, type QueueName } from "@/lib/server/core/queues";
import { processors } from "./processors";
import { installSignalHandlers, startWorkers } from "./runtime";

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
await runtime;
