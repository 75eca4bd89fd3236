import { retrainListQuerySchema } from "@/lib/schemas/retrain";
import { created, teamRoute } from "@/lib/server/core/http";
import { runRetrainNow } from "@/lib/server/retraining/retrain-policies";
import { listRetrains } from "@/lib/server/retraining/retrain-loop";

/** The Model's re-tunes, newest first, each with its loop steps. */
export const GET = teamRoute("team.read", async (p, req, { id }) => ({
  retrains: await listRetrains(
    p,
    id!,
    retrainListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)).limit,
  ),
}));

/** "Run now": opens a re-tune by the Model's policy (409 while another is in progress). */
export const POST = teamRoute("resource.write", async (p, _req, { id }) =>
  created(await runRetrainNow(p, id!)),
);
