import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { createDataset, listDatasets } from "@/lib/server/datasets/datasets";
import { createDatasetBodySchema } from "@/lib/schemas/datasets";

export const GET = teamRoute("team.read", async (p) => listDatasets(p));
export const POST = teamRoute("resource.write", async (p, req) =>
  created(await createDataset(p, await readJson(req, createDatasetBodySchema))),
);
