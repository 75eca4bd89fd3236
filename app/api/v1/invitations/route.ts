import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createInvitation, listInvitations } from "@/lib/server/teams/invitations";
import { createInvitationBodySchema } from "@/lib/schemas/invitations";

export const GET = teamRoute("invitation.manage", async (p) => listInvitations(p));
export const POST = teamRoute("invitation.manage", async (p, req) =>
  created(await createInvitation(p, await readJson(req, createInvitationBodySchema))),
);
