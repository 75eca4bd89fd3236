import { createEvalRunBodySchema, evalRunListQuerySchema } from "@/lib/schemas/evals";
import { createEvalRun } from "@/lib/server/evals/create-runs";
import { listEvalRuns } from "@/lib/server/evals/read-runs";
import { created, readJson, teamRoute } from "@/lib/server/core/http";

export const GET = teamRoute("team.read", async (p, req) => ({
  runs: await listEvalRuns(
    p,
    evalRunListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));

/** 201 with a new run; 200 with the identical run it reuses (`reusedFrom`) unless `force`. */
export const POST = teamRoute("resource.write", async (p, req) => {
  const { run, created: isNew } = await createEvalRun(
    p,
    await readJson(req, createEvalRunBodySchema),
  );
  return isNew ? created(run) : { status: 200, body: run };
});
