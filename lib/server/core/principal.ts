/**
 * Who is calling, for which team, as what. Every lib/server function that reads or writes team
 * data takes a Principal and calls `authorize` first; every query it makes is scoped by
 * `principal.teamId`, so another team's id is simply not found.
 */
import { createHash } from "node:crypto";
import type { Principal } from "@/lib/domain/permissions";
import { auth, ipOf } from "./auth";
import { db, sql } from "./db";
import { forbidden, HttpError, notFound, unauthenticated } from "./errors";

export const TEAM_COOKIE = "retune_team";
export const TEAM_HEADER = "x-retune-team";
export const API_KEY_PREFIX = "rt_";

export type SessionUser = { id: string; email: string; name: string; ip: string | null };

export type { Principal };

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

function bearerOf(headers: Headers): string | null {
  const h = headers.get("authorization");
  if (!h) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  if (!m?.[1]) throw unauthenticated("Authorization header must be `Bearer <api key>`");
  return m[1];
}

export function cookieOf(headers: Headers, name: string): string | null {
  for (const part of (headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

const LAST_USED_RESOLUTION_MS = 60_000;

type KeyRow = {
  id: string;
  teamId: string;
  scopes: string[];
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

async function principalFromKey(key: string, ip: string | null): Promise<Principal> {
  // Plain SQL: every API-key request pays for this lookup (see sql() in ./db).
  const row = key.startsWith(API_KEY_PREFIX)
    ? (
        await sql().query<KeyRow>(
          // Prisma stores UTC in timestamp columns; AT TIME ZONE makes pg read them as such.
          `SELECT id, "teamId", scopes::text[] AS scopes, "revokedAt",
                  "lastUsedAt" AT TIME ZONE 'UTC' AS "lastUsedAt"
           FROM "ApiKey" WHERE hash = $1`,
          [hashSecret(key)],
        )
      ).rows[0]
    : undefined;
  if (!row || row.revokedAt)
    throw new HttpError(401, "invalid_api_key", "API key is unknown or revoked");
  // Record use at minute resolution: one write a minute per key, not one per request.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return {
    teamId: row.teamId,
    actor: { kind: "apiKey", scopes: row.scopes.map((s) => s.toLowerCase() as "read") },
    userId: null,
    apiKeyId: row.id,
    ip,
  };
}

/** retune itself acting for a team (automated re-tunes); audited with no user and no key. */
export function systemPrincipal(teamId: string): Principal {
  return { teamId, actor: { kind: "system" }, userId: null, apiKeyId: null, ip: null };
}

/** The signed-in user, or null. Throws 401 for a malformed or unknown bearer key. */
export async function sessionUser(headers: Headers): Promise<SessionUser | null> {
  const session = await auth().api.getSession({ headers });
  if (!session) return null;
  const { id, email, name } = session.user;
  return { id, email, name, ip: ipOf(headers) };
}

/** For routes that act as a person (their teams, accepting an invitation): API keys may not. */
export async function requireUser(headers: Headers): Promise<SessionUser> {
  const key = bearerOf(headers);
  if (key) {
    await principalFromKey(key, ipOf(headers));
    throw forbidden("this endpoint acts for a signed-in person; API keys cannot use it");
  }
  const user = await sessionUser(headers);
  if (!user) throw unauthenticated();
  return user;
}

/**
 * The team a session acts in: the `x-retune-team` header (API clients), else the team-switcher
 * cookie, else the user's oldest membership. A header naming a team the user is not in is a 404.
 */
export async function principalForUser(user: SessionUser, headers: Headers): Promise<Principal> {
  const requested = headers.get(TEAM_HEADER);
  const preferred = requested ?? cookieOf(headers, TEAM_COOKIE);
  const memberships = await db().member.findMany({
    where: { userId: user.id },
    orderBy: { createdAt: "asc" },
    select: { teamId: true, role: true },
  });
  let m = memberships.find((x) => x.teamId === preferred);
  if (!m && requested) throw notFound("team", requested);
  m ??= memberships[0];
  if (!m)
    throw forbidden("you are not a member of any team yet; create one or accept an invitation");
  return {
    teamId: m.teamId,
    actor: { kind: "user", role: m.role },
    userId: user.id,
    apiKeyId: null,
    ip: user.ip,
  };
}

export async function authenticate(headers: Headers): Promise<Principal> {
  const key = bearerOf(headers);
  if (key) return principalFromKey(key, ipOf(headers));
  const user = await sessionUser(headers);
  if (!user) throw unauthenticated();
  return principalForUser(user, headers);
}
