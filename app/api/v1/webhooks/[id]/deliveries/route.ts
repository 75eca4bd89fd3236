import { teamRoute } from "@/lib/server/core/http";
import { listWebhookDeliveries } from "@/lib/server/webhooks/webhooks";

export const GET = teamRoute("team.update", async (p, _req, { id }) =>
  listWebhookDeliveries(p, id!),
);
