import { teamRoute } from "@/lib/server/http";
import { revokeInvitation } from "@/lib/server/invitations";

export const DELETE = teamRoute("invitation.manage", async (p, _req, { id }) =>
  revokeInvitation(p, id!),
);
