/**
 * Who may do what, as one pure table. lib/server calls `authorize` for every read and write;
 * the route-authorization test reads the same table, so a new action is covered by it at once.
 */
export const ROLES = ["OWNER", "ADMIN", "ENGINEER", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

export const API_KEY_SCOPES = ["read", "write", "telemetry"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * `minRole`: the lowest member role allowed. `via`: which credential kinds may act —
 * "session" actions change who has access and are never open to API keys, which are
 * automation credentials; "scope" actions are open to keys holding that scope.
 */
type Rule = { minRole: Role; via: "session" } | { minRole: Role; via: "scope"; scope: ApiKeyScope };

export const ACTIONS = {
  "team.read": { minRole: "VIEWER", via: "scope", scope: "read" },
  "team.update": { minRole: "ADMIN", via: "session" },
  "member.manage": { minRole: "ADMIN", via: "session" },
  "member.assign-owner": { minRole: "OWNER", via: "session" },
  "invitation.manage": { minRole: "ADMIN", via: "session" },
  "api-key.manage": { minRole: "ADMIN", via: "session" },
  "audit.read": { minRole: "ADMIN", via: "scope", scope: "read" },
  "resource.write": { minRole: "ENGINEER", via: "scope", scope: "write" },
  "telemetry.write": { minRole: "ENGINEER", via: "scope", scope: "telemetry" },
  /** A person's sign-off; the Model's gate policy may narrow it to certain roles. */
  "version.approve": { minRole: "ENGINEER", via: "session" },
} as const satisfies Record<string, Rule>;
export type Action = keyof typeof ACTIONS;

const RANK: Record<Role, number> = { OWNER: 3, ADMIN: 2, ENGINEER: 1, VIEWER: 0 };

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/**
 * `system`: retune acting for a team on its own (a drift breach or a schedule re-tunes a
 * Model). It may do what an API key holding every scope may do, nothing that needs a person.
 */
export type Actor =
  | { kind: "user"; role: Role }
  | { kind: "apiKey"; scopes: readonly ApiKeyScope[] }
  | { kind: "system" };

/**
 * Who is calling, for which team, as what. lib/server resolves one per request (core/principal.ts)
 * and passes it to every read and write; it lives here, as a plain type, so that the audit trail
 * and authorization can name it without importing the code that authenticates.
 */
export type Principal = {
  teamId: string;
  actor: Actor;
  userId: string | null;
  apiKeyId: string | null;
  ip: string | null;
};

export function can(actor: Actor, action: Action): boolean {
  const rule: Rule = ACTIONS[action];
  if (actor.kind === "user") return roleAtLeast(actor.role, rule.minRole);
  if (actor.kind === "system") return rule.via === "scope";
  return rule.via === "scope" && actor.scopes.includes(rule.scope);
}

/** Roles a member with `actorRole` may grant or change: nobody hands out more than they hold. */
export function assignableRoles(actorRole: Role): Role[] {
  return ROLES.filter((r) => roleAtLeast(actorRole, r) && (r !== "OWNER" || actorRole === "OWNER"));
}
