import type { Me, Team } from "@/lib/schemas/teams";
import type { CreateTeamBody } from "@/lib/schemas/teams";
import { recordAudit } from "@/lib/server/core/audit";
import { db } from "@/lib/server/core/db";
import { notFound } from "@/lib/server/core/errors";
import type { SessionUser } from "@/lib/server/core/principal";

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "team";
}

async function uniqueSlug(name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (
      await db().team.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })
    ).map((t) => t.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

export async function listMyTeams(user: SessionUser): Promise<Team[]> {
  const rows = await db().member.findMany({
    where: { userId: user.id },
    include: { team: true },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    id: m.team.id,
    name: m.team.name,
    slug: m.team.slug,
    role: m.role,
    createdAt: m.team.createdAt.toISOString(),
  }));
}

/** Whoever creates a team owns it. */
export async function createTeam(user: SessionUser, body: CreateTeamBody): Promise<Team> {
  const slug = await uniqueSlug(body.name);
  const team = await db().$transaction(async (tx) => {
    const t = await tx.team.create({ data: { name: body.name, slug } });
    await tx.member.create({ data: { teamId: t.id, userId: user.id, role: "OWNER" } });
    await recordAudit(
      {
        teamId: t.id,
        action: "team.create",
        actorUserId: user.id,
        targetType: "team",
        targetId: t.id,
        ip: user.ip,
      },
      tx,
    );
    return t;
  });
  return {
    id: team.id,
    name: team.name,
    slug: team.slug,
    role: "OWNER",
    createdAt: team.createdAt.toISOString(),
  };
}

export async function getMe(user: SessionUser, activeTeamId: string | null): Promise<Me> {
  const teams = await listMyTeams(user);
  const active = teams.find((t) => t.id === activeTeamId) ?? teams[0] ?? null;
  return {
    user: { id: user.id, name: user.name, email: user.email },
    teams,
    activeTeamId: active?.id ?? null,
  };
}

/** Checks membership before the team-switcher cookie is set. */
export async function assertMemberOf(user: SessionUser, teamId: string): Promise<void> {
  const m = await db().member.findUnique({ where: { teamId_userId: { teamId, userId: user.id } } });
  if (!m) throw notFound("team", teamId);
}
