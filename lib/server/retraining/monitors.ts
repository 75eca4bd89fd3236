/**
 * Drift monitors: CRUD, and the rows as the API shows them. The check itself is in
 * ./monitor-checks.ts; schedulers in ./monitor-schedulers.ts.
 */
import { defaultComparator } from "@/lib/domain/drift";
import { formatDuration, parseDuration } from "@/lib/domain/durations";
import {
  type CreateMonitorBody,
  createMonitorBodySchema,
  type DriftCheck,
  driftCheckSchema,
  type Monitor,
  type MonitorDetail,
  type MonitorListQuery,
  monitorListQuerySchema,
  monitorSchema,
  type UpdateMonitorBody,
  updateMonitorBodySchema,
} from "@/lib/schemas/monitors";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Prisma } from "@/lib/server/core/db";
import { HttpError, notFound } from "@/lib/server/core/errors";
import { containsText } from "@/lib/server/core/search";
import { loadModel } from "@/lib/server/registry/models";
import { removeScheduler, monitorSchedulerId, syncMonitorScheduler } from "./monitor-schedulers";
import type { Principal } from "@/lib/server/core/principal";

type MonitorRow = Prisma.DriftMonitorGetPayload<{ include: { model: { select: { name: true } } } }>;
type CheckRow = Prisma.DriftCheckGetPayload<object>;

const withModel = { model: { select: { name: true } } } as const;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMonitor(m: MonitorRow): Monitor {
  return monitorSchema.parse({
    id: m.id,
    modelId: m.modelId,
    modelName: m.model.name,
    name: m.name,
    metric: m.metric,
    window: formatDuration(m.windowSeconds),
    threshold: m.threshold,
    comparator: m.comparator,
    minSamples: m.minSamples,
    cooldown: formatDuration(m.cooldownSeconds),
    interval: formatDuration(m.intervalSeconds),
    action: m.action,
    enabled: m.enabled,
    state: m.state,
    lastValue: m.lastValue,
    lastCheckedAt: iso(m.lastCheckedAt),
    lastBreachAt: iso(m.lastBreachAt),
    lastActionAt: iso(m.lastActionAt),
    createdAt: m.createdAt.toISOString(),
  });
}

export function toCheck(c: CheckRow): DriftCheck {
  return driftCheckSchema.parse({
    id: c.id,
    monitorId: c.monitorId,
    windowStart: c.windowStart.toISOString(),
    windowEnd: c.windowEnd.toISOString(),
    value: c.value,
    samples: c.samples,
    breached: c.breached,
    status: c.status,
    outcome: c.outcome,
    retrainRequestId: c.retrainRequestId,
    source: c.source,
    detail: c.detail ?? null,
    durationMs: c.durationMs,
    createdAt: c.createdAt.toISOString(),
  });
}

const MAX_WINDOW_S = 90 * 86_400;

/** Durations as seconds, refused (422 naming the field) outside what a monitor can use. */
function seconds(field: string, text: string, min: number, max: number): number {
  const s = parseDuration(text);
  if (s < min || s > max)
    throw new HttpError(
      422,
      "invalid",
      `${field}: ${text} is outside ${formatDuration(min)}–${formatDuration(max)}`,
      [{ path: field, message: `between ${formatDuration(min)} and ${formatDuration(max)}` }],
    );
  return s;
}

/** Checking more often than the rollups' minute resolution buys nothing. */
function defaultInterval(windowS: number): number {
  return Math.min(3_600, Math.max(60, windowS));
}

export async function createMonitor(p: Principal, input: CreateMonitorBody): Promise<Monitor> {
  authorize(p, "resource.write");
  const body = createMonitorBodySchema.parse(input);
  const model = await loadModel(p, body.model);
  const windowSeconds = seconds("window", body.window, 60, MAX_WINDOW_S);
  const row = await db().driftMonitor.create({
    data: {
      teamId: p.teamId,
      modelId: model.id,
      name: body.name ?? `${body.metric} over ${body.window}`,
      metric: body.metric,
      windowSeconds,
      threshold: body.threshold,
      comparator: body.comparator ?? defaultComparator(body.metric),
      minSamples: body.minSamples,
      cooldownSeconds: seconds("cooldown", body.cooldown, 0, 365 * 86_400),
      intervalSeconds: body.interval
        ? seconds("interval", body.interval, 10, 86_400)
        : defaultInterval(windowSeconds),
      action: body.action,
      enabled: body.enabled,
      createdById: p.userId,
    },
    include: withModel,
  });
  await recordAudit({
    ...actorOf(p),
    action: "monitor.create",
    targetType: "monitor",
    targetId: row.id,
    metadata: {
      model: model.name,
      metric: row.metric,
      threshold: row.threshold,
      action: row.action,
    },
  });
  await syncMonitorScheduler(row);
  return toMonitor(row);
}

export async function loadMonitor(p: Principal, id: string): Promise<MonitorRow> {
  const row = await db().driftMonitor.findFirst({
    where: { id, teamId: p.teamId },
    include: withModel,
  });
  if (!row) throw notFound("monitor", id);
  return row;
}

/** `model` (a name or id) narrows to one Model; `q` matches a substring of the monitor's or Model's name. */
export async function listMonitors(p: Principal, query: MonitorListQuery): Promise<Monitor[]> {
  authorize(p, "team.read");
  const q = monitorListQuerySchema.parse(query);
  const modelId = q.model ? (await loadModel(p, q.model)).id : undefined;
  const rows = await db().driftMonitor.findMany({
    where: {
      teamId: p.teamId,
      ...(modelId ? { modelId } : {}),
      ...(q.q ? { OR: [{ name: containsText(q.q) }, { model: { name: containsText(q.q) } }] } : {}),
    },
    include: withModel,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toMonitor);
}

export async function getMonitor(p: Principal, id: string): Promise<MonitorDetail> {
  authorize(p, "team.read");
  const row = await loadMonitor(p, id);
  const checks = await db().driftCheck.findMany({
    where: { monitorId: id },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  return { ...toMonitor(row), recentChecks: checks.map(toCheck) };
}

export async function updateMonitor(
  p: Principal,
  id: string,
  input: UpdateMonitorBody,
): Promise<Monitor> {
  authorize(p, "resource.write");
  const body = updateMonitorBodySchema.parse(input);
  const current = await loadMonitor(p, id);
  const windowSeconds = body.window
    ? seconds("window", body.window, 60, MAX_WINDOW_S)
    : current.windowSeconds;
  const row = await db().driftMonitor.update({
    where: { id: current.id },
    data: {
      name: body.name,
      windowSeconds,
      threshold: body.threshold,
      comparator: body.comparator,
      minSamples: body.minSamples,
      cooldownSeconds: body.cooldown
        ? seconds("cooldown", body.cooldown, 0, 365 * 86_400)
        : undefined,
      intervalSeconds: body.interval ? seconds("interval", body.interval, 10, 86_400) : undefined,
      action: body.action,
      enabled: body.enabled,
    },
    include: withModel,
  });
  await recordAudit({
    ...actorOf(p),
    action: "monitor.update",
    targetType: "monitor",
    targetId: row.id,
    metadata: { fields: Object.keys(body).join(",") },
  });
  await syncMonitorScheduler(row);
  return toMonitor(row);
}

export async function deleteMonitor(p: Principal, id: string): Promise<{ deleted: string }> {
  authorize(p, "resource.write");
  const row = await loadMonitor(p, id);
  await db().driftMonitor.delete({ where: { id: row.id } });
  await recordAudit({
    ...actorOf(p),
    action: "monitor.delete",
    targetType: "monitor",
    targetId: row.id,
    metadata: { model: row.model.name, metric: row.metric },
  });
  await removeScheduler(monitorSchedulerId(row.id));
  return { deleted: row.id };
}

export async function listChecks(
  p: Principal,
  id: string,
  q: { limit?: number; before?: string },
): Promise<DriftCheck[]> {
  authorize(p, "team.read");
  await loadMonitor(p, id);
  const rows = await db().driftCheck.findMany({
    where: { monitorId: id, ...(q.before ? { createdAt: { lt: new Date(q.before) } } : {}) },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(q.limit ?? 200, 1), 1_000),
  });
  return rows.map(toCheck);
}
