import { telemetrySummaryQuerySchema } from "@/lib/schemas/telemetry";
import { teamRoute } from "@/lib/server/core/http";
import { getTelemetrySummary } from "@/lib/server/telemetry/summary";

export const GET = teamRoute("team.read", async (p, req) =>
  getTelemetrySummary(
    p,
    telemetrySummaryQuerySchema.parse(Object.fromEntries(new URL(req.url).searchParams)),
  ),
);
