import { teamRoute } from "@/lib/server/core/http";
import { listModelVersionOptions } from "@/lib/server/registry/version-options";
import { modelVersionOptionsQuerySchema } from "@/lib/schemas/version-options";

/** The team's model versions, newest first: `q` (part of the Model's name, "name v3"), `stage`, `id`, `limit`. */
export const GET = teamRoute("team.read", async (p, req) =>
  listModelVersionOptions(
    p,
    modelVersionOptionsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);
