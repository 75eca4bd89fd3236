/**
 * Job schedulers of the `monitoring` queue: one per enabled monitor (every `interval`) and one
 * per enabled retrain policy (its cron, in its timezone). Redis holds them, PostgreSQL is the
 * truth: writes upsert or remove at once, and the reconciler re-syncs the lot (Redis can lose
 * data), so a failed upsert here is logged, not fatal.
 */
import { db } from "@/lib/server/core/db";
import { type Bus, bus as defaultBus } from "@/lib/server/core/queues";

export const monitorSchedulerId = (id: string) => `monitor-${id}`;
export const policySchedulerId = (id: string) => `retrain-policy-${id}`;

type MonitorTiming = { id: string; intervalSeconds: number; enabled: boolean };
type PolicyTiming = { id: string; schedule: string; timezone: string; enabled: boolean };

async function quietly(what: string, f: () => Promise<unknown>) {
  try {
    await f();
  } catch (e) {
    console.warn(`[monitoring] ${what} failed; the reconciler will retry: ${String(e)}`);
  }
}

export async function syncMonitorScheduler(m: MonitorTiming, b: Bus = defaultBus()) {
  const q = b.queue("monitoring");
  await quietly(`scheduler for monitor ${m.id}`, () =>
    m.enabled
      ? q.upsertJobScheduler(
          monitorSchedulerId(m.id),
          { every: m.intervalSeconds * 1000 },
          { name: "check", data: { monitorId: m.id } },
        )
      : q.removeJobScheduler(monitorSchedulerId(m.id)),
  );
}

export async function syncPolicyScheduler(p: PolicyTiming, b: Bus = defaultBus()) {
  const q = b.queue("monitoring");
  await quietly(`scheduler for retrain policy ${p.id}`, () =>
    p.enabled
      ? q.upsertJobScheduler(
          policySchedulerId(p.id),
          { pattern: p.schedule, tz: p.timezone },
          { name: "retrain", data: { policyId: p.id } },
        )
      : q.removeJobScheduler(policySchedulerId(p.id)),
  );
}

export async function removeScheduler(id: string, b: Bus = defaultBus()) {
  await quietly(`removing scheduler ${id}`, () => b.queue("monitoring").removeJobScheduler(id));
}

/**
 * Every enabled monitor and policy has its scheduler, and no scheduler outlives its row.
 * Returns how many schedulers were upserted and removed.
 */
export async function syncAllSchedulers(b: Bus): Promise<{ upserted: number; removed: number }> {
  const [monitors, policies] = await Promise.all([
    db().driftMonitor.findMany({
      where: { enabled: true },
      select: { id: true, intervalSeconds: true, enabled: true },
    }),
    db().retrainPolicy.findMany({
      where: { enabled: true },
      select: { id: true, schedule: true, timezone: true, enabled: true },
    }),
  ]);
  const q = b.queue("monitoring");
  const wanted = new Set([
    ...monitors.map((m) => monitorSchedulerId(m.id)),
    ...policies.map((p) => policySchedulerId(p.id)),
  ]);
  const stale: string[] = [];
  for (let start = 0; ; start += 500) {
    const page = await q.getJobSchedulers(start, start + 499);
    stale.push(...page.map((s) => s.key).filter((k) => !wanted.has(k)));
    if (page.length < 500) break;
  }
  for (const key of stale) await q.removeJobScheduler(key);
  const removed = stale.length;
  for (const m of monitors) await syncMonitorScheduler(m, b);
  for (const p of policies) await syncPolicyScheduler(p, b);
  return { upserted: wanted.size, removed };
}
