import { randomBytes } from "node:crypto";
import { assignableRoles } from "@/lib/domain/permissions";
import type {
  CreatedInvitation,
  CreateInvitationBody,
  Invitation,
} from "@/lib/schemas/invitations";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { conflict, forbidden, HttpError, notFound } from "@/lib/server/core/errors";
import { hashSecret, type Principal, type SessionUser } from "@/lib/server/core/principal";

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

type Row = {
  id: string;
  email: string;
  role: Invitation["role"];
  status: Invitation["status"];
  createdAt: Date;
  expiresAt: Date;
};
const toInvitation = (r: Row): Invitation => ({
  id: r.id,
  email: r.email,
  role: r.role,
  status: r.status,
  expired: r.status === "PENDING" && r.expiresAt.getTime() < Date.now(),
  createdAt: r.createdAt.toISOString(),
  expiresAt: r.expiresAt.toISOString(),
});

export async function listInvitations(p: Principal): Promise<Invitation[]> {
  authorize(p, "invitation.manage");
  const rows = await db().invitation.findMany({
    where: { teamId: p.teamId },
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toInvitation);
}

/**
 * Invitations are links, not emails: retune sends no mail, so the inviter copies the link
 * (shown once; only its hash is stored) and the invitee accepts it signed in as that address.
 */
export async function createInvitation(
  p: Principal,
  body: CreateInvitationBody,
): Promise<CreatedInvitation> {
  authorize(p, "invitation.manage");
  const mine = p.actor.kind === "user" ? p.actor.role : "VIEWER";
  if (!assignableRoles(mine).includes(body.role))
    throw forbidden(`a ${mine} cannot invite a ${body.role}`);
  const already = await db().member.findFirst({
    where: { teamId: p.teamId, user: { email: body.email } },
  });
  if (already) throw conflict(`${body.email} is already a member of this team`);
  const token = randomBytes(24).toString("base64url");
  const row = await db().$transaction(async (tx) => {
    // A new invitation for the same address replaces any pending one.
    await tx.invitation.updateMany({
      where: { teamId: p.teamId, email: body.email, status: "PENDING" },
      data: { status: "REVOKED" },
    });
    const inv = await tx.invitation.create({
      data: {
        teamId: p.teamId,
        email: body.email,
        role: body.role,
        tokenHash: hashSecret(token),
        invitedById: p.userId ?? "",
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: "invitation.create",
        targetType: "invitation",
        targetId: inv.id,
        metadata: { email: body.email, role: body.role },
      },
      tx,
    );
    return inv;
  });
  return { ...toInvitation(row), url: `${env().APP_URL}/invite/${token}` };
}

export async function revokeInvitation(p: Principal, id: string): Promise<Invitation> {
  authorize(p, "invitation.manage");
  const inv = await db().invitation.findFirst({ where: { id, teamId: p.teamId } });
  if (!inv) throw notFound("invitation", id);
  if (inv.status !== "PENDING")
    throw conflict(`invitation ${id} is already ${inv.status.toLowerCase()}`);
  const row = await db().$transaction(async (tx) => {
    const r = await tx.invitation.update({ where: { id }, data: { status: "REVOKED" } });
    await recordAudit(
      { ...actorOf(p), action: "invitation.revoke", targetType: "invitation", targetId: id },
      tx,
    );
    return r;
  });
  return toInvitation(row);
}

/** What the invite page shows before the invitee signs in. Knowing the token is the credential. */
export async function lookupInvitation(token: string) {
  const inv = await db().invitation.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { team: true },
  });
  if (!inv) return null;
  return { ...toInvitation(inv), teamName: inv.team.name };
}

export async function acceptInvitation(
  user: SessionUser,
  token: string,
): Promise<{ teamId: string; role: Invitation["role"] }> {
  const inv = await db().invitation.findUnique({ where: { tokenHash: hashSecret(token) } });
  if (!inv) throw notFound("invitation", "for this link");
  if (inv.status !== "PENDING") throw conflict(`this invitation is ${inv.status.toLowerCase()}`);
  if (inv.expiresAt.getTime() < Date.now())
    throw new HttpError(410, "expired", "this invitation has expired; ask for a new one");
  if (inv.email.toLowerCase() !== user.email.toLowerCase()) {
    throw forbidden(`this invitation is for ${inv.email}; you are signed in as ${user.email}`);
  }
  await db().$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, status: "PENDING" },
      data: { status: "ACCEPTED", acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw conflict("this invitation was just used");
    await tx.member.upsert({
      where: { teamId_userId: { teamId: inv.teamId, userId: user.id } },
      create: { teamId: inv.teamId, userId: user.id, role: inv.role },
      update: {},
    });
    await recordAudit(
      {
        teamId: inv.teamId,
        action: "member.join",
        actorUserId: user.id,
        targetType: "invitation",
        targetId: inv.id,
        metadata: { role: inv.role },
        ip: user.ip,
      },
      tx,
    );
  });
  return { teamId: inv.teamId, role: inv.role };
}
