/** Teams, invitations, API keys and the audit trail, through lib/server against PostgreSQL. */
import { describe, expect, it } from "vitest";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys";
import { listAuditEvents } from "@/lib/server/teams/audit-log";
import { db } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import { acceptInvitation, createInvitation } from "./invitations";
import { changeMemberRole, listMembers, removeMember } from "./members";
import {
  authenticate,
  hashSecret,
  principalForUser,
  type SessionUser,
} from "@/lib/server/core/principal";
import { createTeam } from "./teams";
import { signUp } from "@/test/principals";

const asSession = (u: { id: string; email: string }): SessionUser => ({
  id: u.id,
  email: u.email,
  name: "t",
  ip: "10.0.0.9",
});

async function ownerWithTeam() {
  const owner = await signUp("owner");
  const team = await createTeam(asSession(owner), { name: "Agents Platform" });
  const p = await principalForUser(asSession(owner), new Headers({ "x-retune-team": team.id }));
  return { owner, team, p };
}

async function rejects(promise: Promise<unknown>, status: number, text?: string) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  expect((e as HttpError).status).toBe(status);
  if (text) expect((e as HttpError).message).toContain(text);
}

describe("API keys", () => {
  it("are shown once, stored hashed, authenticate with their scopes, record use, and die on revoke", async () => {
    const { p, team } = await ownerWithTeam();
    const created = await createApiKey(p, { name: "ci", scopes: ["read", "write"] });
    expect(created.key).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const row = await db().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.hash).toBe(hashSecret(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect((await listApiKeys(p)).find((k) => k.id === created.id)).not.toHaveProperty("key");

    const viaKey = await authenticate(new Headers({ authorization: `Bearer ${created.key}` }));
    expect(viaKey).toMatchObject({
      teamId: team.id,
      apiKeyId: created.id,
      actor: { kind: "apiKey", scopes: ["read", "write"] },
    });
    expect(
      (await db().apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt,
    ).not.toBeNull();

    await revokeApiKey(p, created.id);
    await rejects(
      authenticate(new Headers({ authorization: `Bearer ${created.key}` })),
      401,
      "revoked",
    );
    await rejects(revokeApiKey(p, created.id), 409);
  });

  it("refuses an empty scope list and unknown scopes", async () => {
    const { createApiKeyBodySchema } = await import("@/lib/schemas/api-keys");
    expect(createApiKeyBodySchema.safeParse({ name: "x", scopes: [] }).success).toBe(false);
    expect(createApiKeyBodySchema.safeParse({ name: "x", scopes: ["admin"] }).success).toBe(false);
  });
});

describe("invitations", () => {
  it("add the invitee with the invited role, once, and only for the invited address", async () => {
    const { p, team } = await ownerWithTeam();
    const invitee = await signUp("invitee");
    const stranger = await signUp("stranger");
    const inv = await createInvitation(p, { email: invitee.email, role: "VIEWER" });
    const token = inv.url.split("/invite/")[1]!;
    expect(await db().invitation.findFirst({ where: { tokenHash: token } })).toBeNull();

    await rejects(acceptInvitation(asSession(stranger), token), 403, invitee.email);
    expect(await acceptInvitation(asSession(invitee), token)).toEqual({
      teamId: team.id,
      role: "VIEWER",
    });
    await rejects(acceptInvitation(asSession(invitee), token), 409);
    const members = await listMembers(p);
    expect(members.find((m) => m.email === invitee.email)?.role).toBe("VIEWER");
    await rejects(
      createInvitation(p, { email: invitee.email, role: "ENGINEER" }),
      409,
      "already a member",
    );
  });

  it("expire", async () => {
    const { p } = await ownerWithTeam();
    const invitee = await signUp("late");
    const inv = await createInvitation(p, { email: invitee.email, role: "ENGINEER" });
    await db().invitation.update({
      where: { id: inv.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await rejects(acceptInvitation(asSession(invitee), inv.url.split("/invite/")[1]!), 410);
  });

  it("cannot grant more than the inviter holds", async () => {
    const { p } = await ownerWithTeam();
    const admin = await signUp("admin");
    await db().member.create({ data: { teamId: p.teamId, userId: admin.id, role: "ADMIN" } });
    const asAdmin = await principalForUser(
      asSession(admin),
      new Headers({ "x-retune-team": p.teamId }),
    );
    await rejects(createInvitation(asAdmin, { email: "boss@example.test", role: "OWNER" }), 403);
  });
});

describe("members", () => {
  it("keep at least one OWNER", async () => {
    const { p, owner } = await ownerWithTeam();
    const me = (await listMembers(p)).find((m) => m.userId === owner.id)!;
    await rejects(changeMemberRole(p, me.id, "ADMIN"), 409, "at least one OWNER");
    await rejects(removeMember(p, me.id), 409);
  });
});

describe("audit trail", () => {
  it("records sign-in, key create/revoke, invitations and role changes, with who and where", async () => {
    const { p, owner } = await ownerWithTeam();
    const key = await createApiKey(p, { name: "audited", scopes: ["read"] });
    await revokeApiKey(p, key.id);
    const other = await signUp("colleague");
    const inv = await createInvitation(p, { email: other.email, role: "ENGINEER" });
    await acceptInvitation(asSession(other), inv.url.split("/invite/")[1]!);
    const membership = (await listMembers(p)).find((m) => m.userId === other.id)!;
    await changeMemberRole(p, membership.id, "ADMIN");

    const events = await listAuditEvents(p);
    const actions = events.map((e) => e.action);
    for (const a of [
      "auth.sign-in",
      "team.create",
      "api-key.create",
      "api-key.revoke",
      "invitation.create",
      "member.join",
      "member.role-change",
    ]) {
      expect(actions).toContain(a);
    }
    const change = events.find((e) => e.action === "member.role-change")!;
    // Actors by name (the name given at sign-up), targets by what they are called today.
    expect(change).toMatchObject({
      actor: "owner",
      targetType: "member",
      targetLabel: "colleague",
      ip: "10.0.0.9",
      metadata: { from: "ENGINEER", to: "ADMIN" },
    });
    expect(events.find((e) => e.action === "api-key.create")).toMatchObject({
      targetLabel: "audited",
    });
    expect(owner.email).not.toBe("owner");
  });
});
