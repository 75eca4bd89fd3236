import { readJson, teamRoute } from "@/lib/server/core/http";
import { previewTrainingJob } from "@/lib/server/training/preview";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";

export const POST = teamRoute("resource.write", async (p, req) =>
  previewTrainingJob(p, await readJson(req, createTrainingJobBodySchema)),
);
