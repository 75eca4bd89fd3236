/**
 * Names for the actors of stored rows (audit events, promotions, approvals), looked up in two
 * queries however many rows there are; lib/domain/actor-label.ts says how each kind reads. API
 * keys are looked up within the team only: another team's key name is not this team's business.
 */
import { actorLabel, actorRefOf } from "@/lib/domain/actor-label";
import { db } from "@/lib/server/core/db";

export type ActorRow = { actorUserId: string | null; actorApiKeyId: string | null };

/** A labeller for `rows`: call it with any of them to get "Ada Lovelace", "API key ci", "retune". */
export async function actorNamer(
  teamId: string,
  rows: readonly ActorRow[],
): Promise<(row: ActorRow) => string> {
  const userIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const keyIds = [...new Set(rows.flatMap((r) => (r.actorApiKeyId ? [r.actorApiKeyId] : [])))];
  const [users, keys] = await Promise.all([
    userIds.length
      ? db().user.findMany({
          where: { id: { in: userIds } },
          select: { id: true, name: true, email: true },
        })
      : [],
    keyIds.length
      ? db().apiKey.findMany({
          where: { id: { in: keyIds }, teamId },
          select: { id: true, name: true },
        })
      : [],
  ]);
  const userMap = new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
  const keyMap = new Map(keys.map((k) => [k.id, k.name]));
  return (row) => actorLabel(actorRefOf(row, userMap, keyMap));
}

/** Names of people by user id (approvals store a user id, never a key). */
export async function personNamer(userIds: readonly string[]): Promise<(userId: string) => string> {
  const namer = await actorNamer(
    "",
    userIds.map((id) => ({ actorUserId: id, actorApiKeyId: null })),
  );
  return (userId) => namer({ actorUserId: userId, actorApiKeyId: null });
}
