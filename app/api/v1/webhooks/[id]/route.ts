import { teamRoute } from "@/lib/server/http";
import { deleteWebhook } from "@/lib/server/webhooks";

export const DELETE = teamRoute("team.update", async (p, _req, { id }) => deleteWebhook(p, id!));
