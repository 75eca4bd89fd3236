/**
 * Worker liveness, written to Redis by each worker process and read by the status page and by
 * launch / preview (what the training workers' hosts can run: `capabilities`).
 */
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { type WorkerInfo, workerInfoSchema } from "@/lib/schemas/health";

export const HEARTBEAT_TTL_S = 30;
const key = (prefix: string, id: string) => `${prefix}:workers:${id}`;
/**
 * A sorted set of worker ids scored by when their heartbeat expires, so listing workers reads
 * only their keys (launch and the live preview list them) instead of scanning the keyspace.
 */
const indexKey = (prefix: string) => `${prefix}:workers-index`;

export function workerIdentity(queues: string[]): WorkerInfo {
  const now = new Date().toISOString();
  return {
    id: `${hostname()}-${process.pid}-${Date.now().toString(36)}`,
    hostname: hostname(),
    pid: process.pid,
    queues,
    startedAt: now,
    lastSeenAt: now,
    capabilities: null,
  };
}

export async function beat(redis: Redis, prefix: string, info: WorkerInfo): Promise<void> {
  const now = Date.now();
  const value = JSON.stringify({ ...info, lastSeenAt: new Date(now).toISOString() });
  await redis
    .multi()
    .set(key(prefix, info.id), value, "EX", HEARTBEAT_TTL_S)
    .zadd(indexKey(prefix), now + HEARTBEAT_TTL_S * 1000, info.id)
    .exec();
}

export async function clearBeat(redis: Redis, prefix: string, id: string): Promise<void> {
  await redis.multi().del(key(prefix, id)).zrem(indexKey(prefix), id).exec();
}

export async function listWorkers(redis: Redis, prefix: string): Promise<WorkerInfo[]> {
  const index = indexKey(prefix);
  await redis.zremrangebyscore(index, "-inf", String(Date.now()));
  const ids = await redis.zrange(index, "0", "-1");
  if (!ids.length) return [];
  const values = await redis.mget(...ids.map((id) => key(prefix, id)));
  return values
    .flatMap((v) => {
      const parsed = v ? workerInfoSchema.safeParse(JSON.parse(v)) : null;
      return parsed?.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

/** Live workers that consume the `training` queue: the ones whose hosts run training jobs. */
export async function listTrainingWorkers(redis: Redis, prefix: string): Promise<WorkerInfo[]> {
  return (await listWorkers(redis, prefix)).filter((w) => w.queues.includes("training"));
}
