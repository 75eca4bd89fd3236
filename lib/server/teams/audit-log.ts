import type { AuditEvent } from "@/lib/schemas/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { actorNamer } from "./actor-names";
import { auditTargets } from "./audit-targets";

/**
 * The team's events plus the sign-ins of its current members, newest first; actors by name and
 * targets by what they are called today, so the log links to them.
 */
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
  const [name, targets] = await Promise.all([
    actorNamer(p.teamId, rows),
    auditTargets(p.teamId, rows),
  ]);
  return rows.map((r) => {
    const target = r.targetType && r.targetId ? targets.get(`${r.targetType}:${r.targetId}`) : null;
    return {
      id: r.id,
      action: r.action,
      actor: name(r),
      targetType: r.targetType,
      targetId: r.targetId,
      targetLabel: target?.label ?? null,
      targetParentId: target?.parentId ?? null,
      metadata: (r.metadata ?? {}) as Record<string, unknown>,
      ip: r.ip,
      createdAt: r.createdAt.toISOString(),
    };
  });
}
