import { created, readJson, teamRoute } from "@/lib/server/core/http";
import { launchTrainingJob } from "@/lib/server/training/launch";
import { listTrainingJobs } from "@/lib/server/training/jobs";
import { trainingJobListQuerySchema, trainingJobRequestSchema } from "@/lib/schemas/training-jobs";

export const GET = teamRoute("team.read", async (p, req) => ({
  jobs: await listTrainingJobs(
    p,
    trainingJobListQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
}));

/**
 * `model`, `datasetVersionId` and `baseModel` are required; the rest comes from `preset` adapted
 * to them (the resolved spec is what the job stores). `Idempotency-Key`: a repeat with the same
 * key and body returns the first job (201 again).
 */
export const POST = teamRoute("resource.write", async (p, req) => {
  const body = await readJson(req, trainingJobRequestSchema);
  const job = await launchTrainingJob(p, body, {
    idempotencyKey: req.headers.get("idempotency-key"),
  });
  return created({ id: job.id, status: job.status });
});
