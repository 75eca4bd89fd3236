import { updateModelBodySchema } from "@/lib/schemas/models";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { getModel, updateModel } from "@/lib/server/registry/models";

/** `id` is a Model id or name. */
export const GET = teamRoute("team.read", async (p, _req, { id }) => getModel(p, id!));

export const PATCH = teamRoute("resource.write", async (p, req, { id }) =>
  updateModel(p, id!, await readJson(req, updateModelBodySchema)),
);
