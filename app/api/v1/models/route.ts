import { createModelBodySchema } from "@/lib/schemas/models";
import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createModel, listModels } from "@/lib/server/registry/models";
import { listSearchQuerySchema } from "@/lib/schemas/search";

/** `?q=` keeps the Models whose name or description contains it (any case). */
export const GET = teamRoute("team.read", async (p, req) => ({
  models: await listModels(
    p,
    listSearchQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));

export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createModel(p, await readJson(req, createModelBodySchema))),
);
