/** Integration-test helpers: real users (through Better Auth), teams, members and keys. */
import { randomBytes } from "node:crypto";
import type { Principal, Role } from "@/lib/domain/permissions";
import { createApiKey } from "@/lib/server/teams/api-keys";
import { auth } from "@/lib/server/core/auth";
import { db } from "@/lib/server/core/db";

export const APP = process.env.APP_URL ?? "http://localhost:3999";

export type TestUser = { id: string; email: string; cookie: string };

export async function signUp(label = "user"): Promise<TestUser> {
  const email = `${label}-${randomBytes(4).toString("hex")}@example.test`;
  const res = await auth().api.signUpEmail({
    body: { email, password: "correct-horse-battery", name: label },
    asResponse: true,
  });
  if (!res.ok) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const user = await db().user.findUniqueOrThrow({ where: { email } });
  return { id: user.id, email, cookie };
}

export async function createTeamWith(members: Partial<Record<Role, TestUser>>) {
  const team = await db().team.create({
    data: {
      name: `team ${randomBytes(3).toString("hex")}`,
      slug: `t-${randomBytes(6).toString("hex")}`,
    },
  });
  for (const [role, user] of Object.entries(members)) {
    await db().member.create({ data: { teamId: team.id, userId: user!.id, role: role as Role } });
  }
  return team;
}

/** A signed-up OWNER of a new team, and the Principal that acts as them. */
export async function ownerOfNewTeam(label = "owner") {
  const owner = await signUp(label);
  const team = await createTeamWith({ OWNER: owner });
  const p: Principal = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  return { owner, team, p };
}

export async function keyFor(
  teamId: string,
  ownerId: string,
  scopes: ("read" | "write" | "telemetry")[],
) {
  const created = await createApiKey(
    { teamId, actor: { kind: "user", role: "OWNER" }, userId: ownerId, apiKeyId: null, ip: null },
    { name: `key ${scopes.join("+")}`, scopes },
  );
  return created;
}

export function sessionHeaders(user: TestUser, teamId?: string): Record<string, string> {
  return { cookie: user.cookie, origin: APP, ...(teamId ? { "x-retune-team": teamId } : {}) };
}
