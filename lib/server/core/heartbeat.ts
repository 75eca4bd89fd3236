/** Worker liveness, written to Redis by each worker process and read by the status page. */
import { hostname } from "node:os";
import type { Redis } from "ioredis";
import { type WorkerInfo, workerInfoSchema } from "@/lib/schemas/health";

export const HEARTBEAT_TTL_S = 30;
const key = (prefix: string, id: string) => `${prefix}:workers:${id}`;

export function workerIdentity(queues: string[]): WorkerInfo {
  const now = new Date().toISOString();
  return {
    id: `${hostname()}-${process.pid}-${Date.now().toString(36)}`,
    hostname: hostname(),
    pid: process.pid,
    queues,
    startedAt: now,
    lastSeenAt: now,
  };
}

export async function beat(redis: Redis, prefix: string, info: WorkerInfo): Promise<void> {
  const value = JSON.stringify({ ...info, lastSeenAt: new Date().toISOString() });
  await redis.set(key(prefix, info.id), value, "EX", HEARTBEAT_TTL_S);
}

export async function clearBeat(redis: Redis, prefix: string, id: string): Promise<void> {
  await redis.del(key(prefix, id));
}

export async function listWorkers(redis: Redis, prefix: string): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", key(prefix, "*"), "COUNT", 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  return values
    .flatMap((v) => {
      const parsed = v ? workerInfoSchema.safeParse(JSON.parse(v)) : null;
      return parsed?.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
