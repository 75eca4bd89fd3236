import { json } from "@/lib/server/core/http";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { notFound } from "@/lib/server/core/errors";
import {
  cookieOf,
  type Principal,
  type SessionUser,
  TEAM_COOKIE,
} from "@/lib/server/core/principal";
import { assertMemberOf } from "./teams";
import { env } from "@/lib/server/core/env";
import { settingsOf } from "./settings";

export function activeTeamCookie(headers: Headers): string | null {
  return cookieOf(headers, TEAM_COOKIE);
}

/** Sets the team-switcher cookie after checking membership. */
export async function switchTeam(user: SessionUser, teamId: string): Promise<Response> {
  await assertMemberOf(user, teamId);
  const secure = env().APP_URL.startsWith("https:") ? "; Secure" : "";
  const res = json({ activeTeamId: teamId });
  res.headers.append(
    "set-cookie",
    `${TEAM_COOKIE}=${encodeURIComponent(teamId)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000${secure}`,
  );
  return res;
}

export async function currentTeam(p: Principal) {
  authorize(p, "team.read");
  const team = await db().team.findUnique({ where: { id: p.teamId } });
  if (!team) throw notFound("team", p.teamId);
  return {
    id: team.id,
    name: team.name,
    slug: team.slug,
    settings: settingsOf(team),
    credential:
      p.actor.kind === "user"
        ? { kind: "session", role: p.actor.role }
        : { kind: "apiKey", scopes: p.actor.kind === "apiKey" ? p.actor.scopes : [] },
  };
}
