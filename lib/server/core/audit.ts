/**
 * The audit trail's write side: every sensitive action inserts one row. Reading the trail is a
 * team feature (teams/audit-log.ts). This file imports nothing that authenticates, so auth.ts can
 * record sign-ins without a cycle.
 */
import type { Principal } from "@/lib/domain/permissions";
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
