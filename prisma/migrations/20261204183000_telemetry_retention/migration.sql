-- Telemetry retention (issue #14, docs/architecture.md, "Telemetry, drift and re-tuning").
-- Hand-written: Prisma does not model partitions. schema.prisma describes the parent table's
-- columns, primary key and index, which is all its diff compares, the partitions themselves
-- (TelemetryEvent_default here, TelemetryEvent_pYYYYMMDD made by the worker's maintenance in
-- lib/server/telemetry/partitions.ts) are PostgreSQL's business.

-- AlterTable
ALTER TABLE "Team" ADD COLUMN "telemetryRetentionDays" INTEGER NOT NULL DEFAULT 30;

-- TelemetryEvent becomes range-partitioned by timestamp, one partition per UTC day, so that
-- expiring a day is DROP TABLE, not a DELETE of millions of rows.
ALTER TABLE "TelemetryEvent" RENAME TO "TelemetryEvent_unpartitioned";
ALTER TABLE "TelemetryEvent_unpartitioned" RENAME CONSTRAINT "TelemetryEvent_pkey" TO "TelemetryEvent_unpartitioned_pkey";
ALTER INDEX "TelemetryEvent_timestamp_idx" RENAME TO "TelemetryEvent_unpartitioned_timestamp_idx";

CREATE TABLE "TelemetryEvent" (
    "teamId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "version" INTEGER,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "success" BOOLEAN NOT NULL,
    "toolCallValid" BOOLEAN,
    "escalated" BOOLEAN,
    "latencyMs" REAL,
    "costUsd" DOUBLE PRECISION,
    "tool" TEXT,
    "intent" TEXT,
    "feedback" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    -- A unique constraint on a partitioned table must contain the partition key, so an event id
    -- is unique per team AND timestamp: a client resending an event resends its timestamp.
    CONSTRAINT "TelemetryEvent_pkey" PRIMARY KEY ("teamId", "eventId", "timestamp")
) PARTITION BY RANGE ("timestamp");

-- CreateIndex
CREATE INDEX "TelemetryEvent_timestamp_idx" ON "TelemetryEvent" USING BRIN ("timestamp");

-- Whatever falls outside the day partitions (a late event older than the oldest day made, one
-- before the maintenance first ran) lands here instead of being refused, the maintenance moves
-- its rows into their day's partition or expires them.
CREATE TABLE "TelemetryEvent_default" PARTITION OF "TelemetryEvent" DEFAULT;

-- Existing events go to the DEFAULT partition at first, the maintenance's first ticks move them
-- into day partitions, a bounded number of days per tick (a DO block would do it here, but
-- Prisma's pg adapter splits a migration at every semicolon, so this file holds none but the
-- statements' own).
INSERT INTO "TelemetryEvent" ("teamId", "eventId", "modelId", "version", "timestamp", "success",
    "toolCallValid", "escalated", "latencyMs", "costUsd", "tool", "intent", "feedback", "receivedAt")
  SELECT "teamId", "eventId", "modelId", "version", "timestamp", "success", "toolCallValid",
         "escalated", "latencyMs", "costUsd", "tool", "intent", "feedback", "receivedAt"
    FROM "TelemetryEvent_unpartitioned";
DROP TABLE "TelemetryEvent_unpartitioned";
