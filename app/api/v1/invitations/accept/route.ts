import { readJson, userRoute } from "@/lib/server/http";
import { acceptInvitation } from "@/lib/server/invitations";
import { acceptInvitationBodySchema } from "@/lib/schemas/invitations";

export const POST = userRoute(async (user, req) =>
  acceptInvitation(user, (await readJson(req, acceptInvitationBodySchema)).token),
);
