import type { AuditEvent } from "@/lib/schemas/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";

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
