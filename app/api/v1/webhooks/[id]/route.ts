import { teamRoute } from "@/lib/server/core/http";
import { deleteWebhook } from "@/lib/server/webhooks/webhooks";

export const DELETE = teamRoute("team.update", async (p, _req, { id }) => deleteWebhook(p, id!));
