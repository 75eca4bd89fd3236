import type { Health, PublicHealth, QueueDepth } from "@/lib/schemas/health";
import { db } from "./db";
import { listWorkers } from "./heartbeat";
import { authenticate } from "./principal";
import { bus, QUEUE_NAMES } from "./queues";

async function timed<T>(fn: () => Promise<T>, timeoutMs = 2_000) {
  const started = performance.now();
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs),
      ),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started), value };
  } catch (e) {
    return { ok: false, latencyMs: null, error: (e as Error).message, value: undefined };
  }
}

/** Database, Redis, queue depths and live workers; never throws (it is what you read when things are down). */
export async function health(): Promise<Health> {
  const b = bus();
  const [dbProbe, redisProbe] = await Promise.all([
    timed(() => db().$queryRaw`SELECT 1`),
    timed(() => b.connection().ping()),
  ]);
  let queues: QueueDepth[] = [];
  let workers: Health["workers"] = [];
  if (redisProbe.ok) {
    const depths = await timed(() =>
      Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const c = await b
            .queue(name)
            .getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized");
          return {
            name,
            waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
            active: c.active ?? 0,
            delayed: c.delayed ?? 0,
            failed: c.failed ?? 0,
            completed: c.completed ?? 0,
          };
        }),
      ),
    );
    queues = depths.value ?? [];
    workers = (await timed(() => listWorkers(b.connection(), b.config.prefix))).value ?? [];
  }
  const probe = (p: { ok: boolean; latencyMs: number | null; error?: string }) => ({
    ok: p.ok,
    latencyMs: p.latencyMs,
    ...(p.error ? { error: p.error } : {}),
  });
  return {
    status: dbProbe.ok && redisProbe.ok ? "ok" : "degraded",
    db: probe(dbProbe),
    redis: probe(redisProbe),
    queues,
    workers,
    checkedAt: new Date().toISOString(),
  };
}

/** Only what a load balancer needs: no hostnames, PIDs, queue names or raw errors. */
export function publicHealth(h: Health): PublicHealth {
  return {
    status: h.status,
    db: { ok: h.db.ok },
    redis: { ok: h.redis.ok },
    checkedAt: h.checkedAt,
  };
}

/**
 * GET /health for whoever asks: the full report for a signed-in member of a team or a valid API
 * key (sign-up is open, so a bare account is not enough), the public summary for everyone else,
 * including when authentication cannot be checked because the database is down.
 */
export async function healthFor(headers: Headers): Promise<Health | PublicHealth> {
  const h = await health();
  const known = await authenticate(headers).then(
    () => true,
    () => false,
  );
  return known ? h : publicHealth(h);
}
