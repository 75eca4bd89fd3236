import type { AuditEvent } from "@/lib/schemas/audit";
import { authorize } from "./authorize";
import type { Principal } from "./principal";
import { db, type Tx } from "./db";

type AuditInput = {
  teamId?: string | null;
  action: string;
  actorUserId?: string | null;
  actorApiKeyId?: string | null;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, string | number | boolean | null>;
  ip?: string | null;
};

/** Audit rows are only ever inserted; nothing in retune updates or deletes them. */
export async function recordAudit(event: AuditInput, tx?: Tx): Promise<void> {
  await (tx ?? db()).auditEvent.create({
    data: {
      teamId: event.teamId ?? null,
      action: event.action,
      actorUserId: event.actorUserId ?? null,
      actorApiKeyId: event.actorApiKeyId ?? null,
      targetType: event.targetType ?? null,
      targetId: event.targetId ?? null,
      metadata: event.metadata ?? {},
      ip: event.ip ?? null,
    },
  });
}

/** The audit fields a principal contributes to every event it causes. */
export function actorOf(p: Principal) {
  return { teamId: p.teamId, actorUserId: p.userId, actorApiKeyId: p.apiKeyId, ip: p.ip };
}

/** The team's events plus the sign-ins of its current members, newest first. */
export async function listAuditEvents(p: Principal, limit = 200): Promise<AuditEvent[]> {
  authorize(p, "audit.read");
  const members = await db().member.findMany({
    where: { teamId: p.teamId },
    select: { userId: true },
  });
  const memberIds = members.map((m) => m.userId);
  const rows = await db().auditEvent.findMany({
    where: {
      OR: [
        { teamId: p.teamId },
        { teamId: null, action: { startsWith: "auth." }, actorUserId: { in: memberIds } },
      ],
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(limit, 1), 1_000),
  });
  const userIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const keyIds = [...new Set(rows.flatMap((r) => (r.actorApiKeyId ? [r.actorApiKeyId] : [])))];
  const [users, keys] = await Promise.all([
    db().user.findMany({ where: { id: { in: userIds } }, select: { id: true, email: true } }),
    db().apiKey.findMany({
      where: { id: { in: keyIds }, teamId: p.teamId },
      select: { id: true, name: true },
    }),
  ]);
  const userEmail = new Map(users.map((u) => [u.id, u.email]));
  const keyName = new Map(keys.map((k) => [k.id, k.name]));
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    actor: r.actorUserId
      ? (userEmail.get(r.actorUserId) ?? r.actorUserId)
      : r.actorApiKeyId
        ? `api key ${keyName.get(r.actorApiKeyId) ?? r.actorApiKeyId}`
        : null,
    targetType: r.targetType,
    targetId: r.targetId,
    metadata: (r.metadata ?? {}) as Record<string, unknown>,
    ip: r.ip,
    createdAt: r.createdAt.toISOString(),
  }));
}
