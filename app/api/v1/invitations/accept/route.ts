import { readJson, userRoute } from "@/lib/server/core/http";
import { acceptInvitation } from "@/lib/server/teams/invitations";
import { acceptInvitationBodySchema } from "@/lib/schemas/invitations";

export const POST = userRoute(async (user, req) =>
  acceptInvitation(user, (await readJson(req, acceptInvitationBodySchema)).token),
);
