-- CreateTable
CREATE TABLE "RoutingCalibration" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "suiteId" TEXT NOT NULL,
    "candidateRunId" TEXT NOT NULL,
    "frontierRunId" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "signal" TEXT NOT NULL,
    "margin" DOUBLE PRECISION NOT NULL,
    "escalateWhenInvalid" BOOLEAN NOT NULL,
    "runs" JSONB NOT NULL,
    "stats" JSONB NOT NULL,
    "pricesUsed" JSONB NOT NULL,
    "curve" JSONB NOT NULL,
    "rule" JSONB,
    "createdById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoutingCalibration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RoutingCalibration_modelVersionId_createdAt_idx" ON "RoutingCalibration"("modelVersionId", "createdAt");

-- AddForeignKey
ALTER TABLE "RoutingCalibration" ADD CONSTRAINT "RoutingCalibration_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;
