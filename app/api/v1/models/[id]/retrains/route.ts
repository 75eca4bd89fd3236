import { z } from "zod";
import { created, teamRoute } from "@/lib/server/http";
import { runRetrainNow } from "@/lib/server/retrain-policies";
import { listRetrains, loopSettings, toRetrainRequest } from "@/lib/server/retrain-loop";

const limitSchema = z.coerce.number().int().min(1).max(100).default(20);

/** The Model's re-tunes, newest first, each with its loop steps. */
export const GET = teamRoute("team.read", async (p, req, { id }) => ({
  retrains: await listRetrains(
    p,
    id!,
    limitSchema.parse(new URL(req.url).searchParams.get("limit") ?? undefined),
  ),
}));

/** "Run now": opens a re-tune by the Model's policy (409 while another is in progress). */
export const POST = teamRoute("resource.write", async (p, _req, { id }) => {
  const row = await runRetrainNow(p, id!);
  return created(await toRetrainRequest(row, await loopSettings(row.modelId)));
});
