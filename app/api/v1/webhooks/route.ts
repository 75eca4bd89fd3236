import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createWebhook, listWebhooks } from "@/lib/server/webhooks/webhooks";
import { createWebhookBodySchema } from "@/lib/schemas/webhooks";

export const GET = teamRoute("team.update", async (p) => listWebhooks(p));
export const POST = teamRoute("team.update", async (p, req) =>
  created(await createWebhook(p, await readJson(req, createWebhookBodySchema))),
);
