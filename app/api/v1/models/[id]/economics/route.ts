import { modelEconomicsQuerySchema } from "@/lib/schemas/model-economics";
import { teamRoute } from "@/lib/server/core/http";
import { getModelEconomics } from "@/lib/server/retraining/model-economics";

/** `id` is a Model id or name; `?days=` (1–365, default 30) is the window in UTC days. */
export const GET = teamRoute("team.read", async (p, req, { id }) =>
  getModelEconomics(
    p,
    id!,
    modelEconomicsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);
