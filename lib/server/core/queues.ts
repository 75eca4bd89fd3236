/**
 * The one registry of queues (docs/architecture.md, "Queues"): name, payload schema and default job options.
 * Adding a queue is one entry here plus its processor in workers/processors/.
 */
import { type ConnectionOptions, Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import type { z } from "zod";
import {
  datasetValidationPayloadSchema,
  evaluationPayloadSchema,
  maintenancePayloadSchema,
  monitoringPayloadSchema,
  trainingPayloadSchema,
} from "@/lib/schemas/queue-payloads";
import { env } from "./env";

const keep = { removeOnComplete: { age: 86_400, count: 1_000 }, removeOnFail: { age: 7 * 86_400 } };

export const QUEUES = {
  "dataset-validation": {
    payload: datasetValidationPayloadSchema,
    jobId: (p: z.infer<typeof datasetValidationPayloadSchema>) => `dv-${p.datasetVersionId}`,
    options: { ...keep, attempts: 3, backoff: { type: "exponential", delay: 2_000 } },
  },
  training: {
    payload: trainingPayloadSchema,
    jobId: (p: z.infer<typeof trainingPayloadSchema>) =>
      "trainingJobId" in p ? `tj-${p.trainingJobId}-a${p.attempt}` : undefined,
    options: { ...keep, attempts: 5, backoff: { type: "exponential", delay: 5_000 } },
  },
  evaluation: {
    payload: evaluationPayloadSchema,
    jobId: (p: z.infer<typeof evaluationPayloadSchema>) => `ev-${p.evalRunId}`,
    options: { ...keep, attempts: 3, backoff: { type: "exponential", delay: 5_000 } },
  },
  monitoring: {
    payload: monitoringPayloadSchema,
    // Scheduler firings get BullMQ's own ids; only a retrain build is enqueued by row id.
    jobId: (p: z.infer<typeof monitoringPayloadSchema>) =>
      "retrainRequestId" in p ? `rt-${p.retrainRequestId}` : undefined,
    options: { ...keep, attempts: 3, backoff: { type: "exponential", delay: 5_000 } },
  },
  outbox: {
    payload: maintenancePayloadSchema,
    jobId: () => undefined,
    options: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 }, attempts: 1 },
  },
} as const satisfies Record<
  string,
  { payload: z.ZodType; jobId: (p: never) => string | undefined; options: JobsOptions }
>;

export type QueueName = keyof typeof QUEUES;
export type Payload<Q extends QueueName> = z.infer<(typeof QUEUES)[Q]["payload"]>;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export function isQueueName(name: string): name is QueueName {
  return Object.hasOwn(QUEUES, name);
}

/** BullMQ job id for a payload: derived from row ids, so a repeated enqueue is a no-op. */
export function jobIdFor<Q extends QueueName>(queue: Q, payload: Payload<Q>): string | undefined {
  return (QUEUES[queue].jobId as (p: Payload<Q>) => string | undefined)(payload);
}

export type BusConfig = { redisUrl: string; prefix: string };

/** Redis connections and queues for one Redis + prefix (tests use their own per run). */
export class Bus {
  private readonly queues = new Map<QueueName, Queue>();
  private producer?: Redis;

  constructor(readonly config: BusConfig) {}

  /** Options for blocking worker connections: never give up on a request, keep retrying. */
  workerConnection(): ConnectionOptions {
    return { url: this.config.redisUrl, maxRetriesPerRequest: null };
  }

  /**
   * A shared connection for producers. Commands issued while it first connects wait for it;
   * once Redis is down they fail after one retry instead of queueing forever, so an API call
   * errors quickly (the outbox keeps the work) rather than hanging.
   */
  connection(): Redis {
    this.producer ??= new Redis(this.config.redisUrl, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
    });
    this.producer.on("error", () => {}); // reported by health(); reconnects on its own
    return this.producer;
  }

  queue<Q extends QueueName>(name: Q): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection(), prefix: this.config.prefix });
      q.on("error", () => {}); // surfaced through health checks; avoid unhandled 'error' crashes
      this.queues.set(name, q);
    }
    return q;
  }

  async add<Q extends QueueName>(name: Q, payload: Payload<Q>, jobId = jobIdFor(name, payload)) {
    const data = QUEUES[name].payload.parse(payload);
    return this.queue(name).add(name, data, { ...QUEUES[name].options, jobId });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    if (this.producer) await this.producer.quit().catch(() => this.producer?.disconnect());
    this.producer = undefined;
  }
}

const globalForBus = globalThis as unknown as { retuneBus?: Bus };

export function bus(): Bus {
  globalForBus.retuneBus ??= new Bus({ redisUrl: env().REDIS_URL, prefix: env().BULLMQ_PREFIX });
  return globalForBus.retuneBus;
}
