import { teamRoute } from "@/lib/server/core/http";
import { getMetrics } from "@/lib/server/training/jobs";
import { metricsQuerySchema } from "@/lib/schemas/training-jobs";

export const GET = teamRoute("team.read", async (p, req, { id }) =>
  getMetrics(p, id!, metricsQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams))),
);
