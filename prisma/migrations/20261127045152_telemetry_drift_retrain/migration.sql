-- CreateEnum
CREATE TYPE "RetrainStatus" AS ENUM ('SKIPPED', 'BUILDING', 'LAUNCHED', 'FAILED');

-- DropForeignKey
ALTER TABLE "TelemetryEvent" DROP CONSTRAINT "TelemetryEvent_teamId_fkey";

-- DropIndex
DROP INDEX "TelemetryEvent_teamId_modelId_timestamp_idx";

-- AlterTable
ALTER TABLE "DriftCheck" ADD COLUMN     "detail" JSONB,
ADD COLUMN     "durationMs" DOUBLE PRECISION NOT NULL,
ADD COLUMN     "outcome" TEXT,
ADD COLUMN     "retrainRequestId" TEXT,
ADD COLUMN     "source" TEXT NOT NULL,
ADD COLUMN     "status" TEXT NOT NULL,
ADD COLUMN     "teamId" TEXT NOT NULL,
ADD COLUMN     "windowEnd" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "windowStart" TIMESTAMP(3) NOT NULL;

-- AlterTable
ALTER TABLE "DriftMonitor" DROP COLUMN "config",
ADD COLUMN     "action" TEXT NOT NULL,
ADD COLUMN     "comparator" TEXT NOT NULL,
ADD COLUMN     "cooldownSeconds" INTEGER NOT NULL,
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "intervalSeconds" INTEGER NOT NULL,
ADD COLUMN     "lastActionAt" TIMESTAMP(3),
ADD COLUMN     "lastBreachAt" TIMESTAMP(3),
ADD COLUMN     "lastCheckedAt" TIMESTAMP(3),
ADD COLUMN     "lastValue" DOUBLE PRECISION,
ADD COLUMN     "metric" TEXT NOT NULL,
ADD COLUMN     "minSamples" INTEGER NOT NULL,
ADD COLUMN     "name" TEXT NOT NULL,
ADD COLUMN     "state" TEXT NOT NULL DEFAULT 'PENDING',
ADD COLUMN     "threshold" DOUBLE PRECISION NOT NULL,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "windowSeconds" INTEGER NOT NULL;

-- AlterTable
ALTER TABLE "RetrainPolicy" DROP COLUMN "config",
ADD COLUMN     "autoPromote" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "budgetPeriodDays" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "datasetRecipe" JSONB NOT NULL,
ADD COLUMN     "enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "gpuBudgetUsd" DOUBLE PRECISION,
ADD COLUMN     "lastRunAt" TIMESTAMP(3),
ADD COLUMN     "minNewTraces" INTEGER NOT NULL DEFAULT 100,
ADD COLUMN     "nextRunAt" TIMESTAMP(3),
ADD COLUMN     "teamId" TEXT NOT NULL,
ADD COLUMN     "trainingTemplate" JSONB,
ALTER COLUMN "updatedAt" SET DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "TelemetryEvent" DROP CONSTRAINT "TelemetryEvent_pkey",
DROP COLUMN "data",
DROP COLUMN "id",
ADD COLUMN     "costUsd" DOUBLE PRECISION,
ADD COLUMN     "escalated" BOOLEAN,
ADD COLUMN     "eventId" TEXT NOT NULL,
ADD COLUMN     "feedback" TEXT,
ADD COLUMN     "intent" TEXT,
ADD COLUMN     "latencyMs" REAL,
ADD COLUMN     "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "success" BOOLEAN NOT NULL,
ADD COLUMN     "tool" TEXT,
ADD COLUMN     "toolCallValid" BOOLEAN,
ADD COLUMN     "version" INTEGER,
ADD CONSTRAINT "TelemetryEvent_pkey" PRIMARY KEY ("teamId", "eventId");

-- AlterTable
ALTER TABLE "Trace" ADD COLUMN     "correctedBy" TEXT,
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "length" INTEGER NOT NULL,
ADD COLUMN     "messageCount" INTEGER NOT NULL,
ADD COLUMN     "metadata" JSONB,
ADD COLUMN     "offset" BIGINT NOT NULL,
ADD COLUMN     "toolsCalled" TEXT[],
ADD COLUMN     "traceId" TEXT NOT NULL;

-- CreateTable
CREATE TABLE "TelemetryRollup" (
    "modelId" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "teamId" TEXT NOT NULL,
    "samples" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "toolCalls" INTEGER NOT NULL,
    "toolCallErrors" INTEGER NOT NULL,
    "escalationKnown" INTEGER NOT NULL,
    "escalations" INTEGER NOT NULL,
    "latencyCount" INTEGER NOT NULL,
    "latencySumMs" DOUBLE PRECISION NOT NULL,
    "costCount" INTEGER NOT NULL,
    "costSumUsd" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "TelemetryRollup_pkey" PRIMARY KEY ("modelId","minute")
);

-- CreateTable
CREATE TABLE "TelemetryDimRollup" (
    "modelId" TEXT NOT NULL,
    "dim" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "TelemetryDimRollup_pkey" PRIMARY KEY ("modelId","dim","minute","key")
);

-- CreateTable
CREATE TABLE "TelemetryBaseline" (
    "modelVersionId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "tools" JSONB NOT NULL,
    "intents" JSONB NOT NULL,
    "frozenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TelemetryBaseline_pkey" PRIMARY KEY ("modelVersionId")
);

-- CreateTable
CREATE TABLE "RetrainRequest" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "trigger" "Trigger" NOT NULL,
    "status" "RetrainStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "monitorId" TEXT,
    "driftCheckId" TEXT,
    "windowStart" TIMESTAMP(3),
    "windowEnd" TIMESTAMP(3),
    "traceCount" INTEGER,
    "datasetVersionId" TEXT,
    "trainingJobId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RetrainRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TelemetryBaseline_modelId_idx" ON "TelemetryBaseline"("modelId");

-- CreateIndex
CREATE INDEX "RetrainRequest_teamId_modelId_createdAt_idx" ON "RetrainRequest"("teamId", "modelId", "createdAt");

-- CreateIndex
CREATE INDEX "RetrainRequest_status_idx" ON "RetrainRequest"("status");

-- CreateIndex
CREATE UNIQUE INDEX "RetrainRequest_modelId_key_key" ON "RetrainRequest"("modelId", "key");

-- CreateIndex
CREATE INDEX "DriftCheck_monitorId_createdAt_idx" ON "DriftCheck"("monitorId", "createdAt");

-- CreateIndex
CREATE INDEX "DriftMonitor_teamId_modelId_idx" ON "DriftMonitor"("teamId", "modelId");

-- CreateIndex
CREATE INDEX "TelemetryEvent_timestamp_idx" ON "TelemetryEvent" USING BRIN ("timestamp");

-- CreateIndex
CREATE UNIQUE INDEX "Trace_teamId_traceId_key" ON "Trace"("teamId", "traceId");

-- AddForeignKey
ALTER TABLE "DriftMonitor" ADD CONSTRAINT "DriftMonitor_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetrainRequest" ADD CONSTRAINT "RetrainRequest_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
