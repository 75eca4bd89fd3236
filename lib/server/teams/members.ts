import { assignableRoles, type Role } from "@/lib/domain/permissions";
import type { Member } from "@/lib/schemas/members";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { conflict, forbidden, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";

export async function listMembers(p: Principal): Promise<Member[]> {
  authorize(p, "team.read");
  const rows = await db().member.findMany({
    where: { teamId: p.teamId },
    include: { user: { select: { name: true, email: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((m) => ({
    id: m.id,
    userId: m.userId,
    name: m.user.name,
    email: m.user.email,
    role: m.role,
    createdAt: m.createdAt.toISOString(),
  }));
}

async function loadMember(p: Principal, id: string) {
  const m = await db().member.findFirst({ where: { id, teamId: p.teamId } });
  if (!m) throw notFound("member", id);
  return m;
}

function actorRole(p: Principal): Role {
  return p.actor.kind === "user" ? p.actor.role : "VIEWER";
}

/** A team always keeps at least one OWNER; only an OWNER grants or removes OWNER. */
async function assertOwnersRemain(teamId: string, leaving: { role: Role }) {
  if (leaving.role !== "OWNER") return;
  const owners = await db().member.count({ where: { teamId, role: "OWNER" } });
  if (owners <= 1) throw conflict("a team needs at least one OWNER; promote another member first");
}

export async function changeMemberRole(p: Principal, id: string, role: Role): Promise<Member> {
  authorize(p, "member.manage");
  const m = await loadMember(p, id);
  const mine = actorRole(p);
  if (!assignableRoles(mine).includes(role) || (m.role === "OWNER" && mine !== "OWNER")) {
    authorize(p, "member.assign-owner");
    throw forbidden(`a ${mine} cannot change a ${m.role} to ${role}`);
  }
  if (role !== "OWNER") await assertOwnersRemain(p.teamId, m);
  await db().$transaction(async (tx) => {
    await tx.member.update({ where: { id: m.id }, data: { role } });
    await recordAudit(
      {
        ...actorOf(p),
        action: "member.role-change",
        targetType: "member",
        targetId: m.id,
        metadata: { from: m.role, to: role, userId: m.userId },
      },
      tx,
    );
  });
  const [updated] = (await listMembers(p)).filter((x) => x.id === m.id);
  return updated!;
}

export async function removeMember(p: Principal, id: string): Promise<{ removed: string }> {
  authorize(p, "member.manage");
  const m = await loadMember(p, id);
  if (m.role === "OWNER") authorize(p, "member.assign-owner");
  await assertOwnersRemain(p.teamId, m);
  await db().$transaction(async (tx) => {
    await tx.member.delete({ where: { id: m.id } });
    await recordAudit(
      {
        ...actorOf(p),
        action: "member.remove",
        targetType: "member",
        targetId: m.id,
        metadata: { userId: m.userId, role: m.role },
      },
      tx,
    );
  });
  return { removed: m.id };
}
