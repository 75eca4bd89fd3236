import { teamRoute } from "@/lib/server/core/http";
import { listDatasetVersionOptions } from "@/lib/server/datasets/version-options";
import { datasetVersionOptionsQuerySchema } from "@/lib/schemas/version-options";

/** The team's dataset versions, newest first: `q` (part of the dataset's name, "name v3"), `status`, `id`, `limit`. */
export const GET = teamRoute("team.read", async (p, req) =>
  listDatasetVersionOptions(
    p,
    datasetVersionOptionsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);
