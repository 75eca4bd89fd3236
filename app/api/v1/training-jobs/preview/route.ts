import { readJson, teamRoute } from "@/lib/server/core/http";
import { previewTrainingJob } from "@/lib/server/training/preview";
import { trainingJobRequestSchema } from "@/lib/schemas/training-jobs";

/** The same body as POST /training-jobs; answers the resolved `spec`, blockers and warnings. */
export const POST = teamRoute("resource.write", async (p, req) =>
  previewTrainingJob(p, await readJson(req, trainingJobRequestSchema)),
);
