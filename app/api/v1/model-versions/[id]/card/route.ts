import { updateModelCardNarrativeBodySchema } from "@/lib/schemas/model-cards";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { getModelCard, updateModelCardNarrative } from "@/lib/server/registry/model-cards";

export const GET = teamRoute("team.read", async (p, _req, { id }) => getModelCard(p, id!));

/** Only the narrative (intended use, limitations, owner) is editable; the rest is data. */
export const PATCH = teamRoute("resource.write", async (p, req, { id }) =>
  updateModelCardNarrative(p, id!, await readJson(req, updateModelCardNarrativeBodySchema)),
);
