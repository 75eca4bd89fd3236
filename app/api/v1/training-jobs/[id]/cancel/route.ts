import { teamRoute } from "@/lib/server/core/http";
import { cancelTrainingJob } from "@/lib/server/training/jobs";

export const POST = teamRoute("resource.write", async (p, _req, { id }) =>
  cancelTrainingJob(p, id!),
);
