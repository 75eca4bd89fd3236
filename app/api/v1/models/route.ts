import { createModelBodySchema } from "@/lib/schemas/models";
import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createModel, listModels } from "@/lib/server/registry/models";

export const GET = teamRoute("team.read", async (p) => ({ models: await listModels(p) }));

export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createModel(p, await readJson(req, createModelBodySchema))),
);
