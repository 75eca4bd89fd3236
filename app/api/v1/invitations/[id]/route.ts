import { teamRoute } from "@/lib/server/core/http";
import { revokeInvitation } from "@/lib/server/teams/invitations";

export const DELETE = teamRoute("invitation.manage", async (p, _req, { id }) =>
  revokeInvitation(p, id!),
);
