import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createApiKey, listApiKeys } from "@/lib/server/teams/api-keys";
import { createApiKeyBodySchema } from "@/lib/schemas/api-keys";

export const GET = teamRoute("api-key.manage", async (p) => listApiKeys(p));
export const POST = teamRoute("api-key.manage", async (p, req) =>
  created(await createApiKey(p, await readJson(req, createApiKeyBodySchema))),
);
