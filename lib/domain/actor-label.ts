/**
 * Who did something, in words, the same everywhere an actor is shown (audit log, promotions,
 * approvals, the model card): a person by name, an API key as "API key <name>", retune itself
 * as "retune". Stored rows keep ids only; lib/server/teams/actor-names.ts looks the names up.
 */

export type ActorRef =
  | { kind: "user"; id: string; name?: string | null; email?: string | null }
  | { kind: "apiKey"; id: string; name?: string | null }
  | { kind: "system" };

/** A person's name, else their email (a name is required at sign-up, but may be blank). */
export function personLabel(name?: string | null, email?: string | null): string | null {
  return name?.trim() || email?.trim() || null;
}

export function actorLabel(actor: ActorRef): string {
  switch (actor.kind) {
    case "user":
      // A deleted account leaves only its id; say so rather than print a UUID.
      return personLabel(actor.name, actor.email) ?? "a former member";
    case "apiKey":
      return actor.name?.trim() ? `API key ${actor.name.trim()}` : "a deleted API key";
    case "system":
      return "retune";
  }
}

/** The actor of a stored row: its user id, else its API key id, else retune acting on its own. */
export function actorRefOf(
  row: { actorUserId: string | null; actorApiKeyId: string | null },
  users: ReadonlyMap<string, { name: string | null; email: string | null }>,
  keys: ReadonlyMap<string, string>,
): ActorRef {
  if (row.actorUserId) {
    const u = users.get(row.actorUserId);
    return { kind: "user", id: row.actorUserId, name: u?.name, email: u?.email };
  }
  if (row.actorApiKeyId)
    return { kind: "apiKey", id: row.actorApiKeyId, name: keys.get(row.actorApiKeyId) };
  return { kind: "system" };
}
