import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createDataset, listDatasets } from "@/lib/server/datasets/datasets";
import { createDatasetBodySchema } from "@/lib/schemas/datasets";
import { listSearchQuerySchema } from "@/lib/schemas/search";

/** `?q=` keeps the datasets whose name or description contains it (any case). */
export const GET = teamRoute("team.read", async (p, req) =>
  listDatasets(p, listSearchQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams))),
);
export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createDataset(p, await readJson(req, createDatasetBodySchema))),
);
