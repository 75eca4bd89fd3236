-- AlterTable
ALTER TABLE "TelemetryRollup" ADD COLUMN     "escalatedCostCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "escalatedCostSumUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "keptCostCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "keptCostSumUsd" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- Backfill the split from the events still held (older rollups outlive their events and keep
-- zeros there, which the live economics reports as cost not attributed to a route)
UPDATE "TelemetryRollup" AS r
   SET "keptCostCount" = e."keptCostCount",
       "keptCostSumUsd" = e."keptCostSumUsd",
       "escalatedCostCount" = e."escalatedCostCount",
       "escalatedCostSumUsd" = e."escalatedCostSumUsd"
  FROM (SELECT "modelId", date_trunc('minute', timestamp) AS minute,
               count("costUsd") FILTER (WHERE NOT escalated)::int AS "keptCostCount",
               coalesce(sum("costUsd") FILTER (WHERE NOT escalated), 0) AS "keptCostSumUsd",
               count("costUsd") FILTER (WHERE escalated)::int AS "escalatedCostCount",
               coalesce(sum("costUsd") FILTER (WHERE escalated), 0) AS "escalatedCostSumUsd"
          FROM "TelemetryEvent"
         WHERE escalated IS NOT NULL AND "costUsd" IS NOT NULL
         GROUP BY 1, 2) AS e
 WHERE r."modelId" = e."modelId" AND r.minute = e.minute;
