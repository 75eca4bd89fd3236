import { readJson, teamRoute } from "@/lib/server/core/http";
import { retryTrainingJob } from "@/lib/server/training/jobs";
import { retryBodySchema } from "@/lib/schemas/training-jobs";

/** Body optional: `{ "resume": false }` starts over instead of from the newest checkpoint. */
export const POST = teamRoute("resource.write", async (p, req, { id }) =>
  retryTrainingJob(p, id!, await readJson(req, retryBodySchema)),
);
