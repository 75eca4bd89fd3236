import { teamRoute } from "@/lib/server/http";
import { listWebhookDeliveries } from "@/lib/server/webhooks";

export const GET = teamRoute("team.update", async (p, _req, { id }) =>
  listWebhookDeliveries(p, id!),
);
