-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "adapterFiles" JSONB;

-- AlterTable
ALTER TABLE "TrainingJob" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "baseModel" TEXT NOT NULL,
ADD COLUMN     "currentStep" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "datasetVersionId" TEXT NOT NULL,
ADD COLUMN     "etaSeconds" INTEGER,
ADD COLUMN     "evalDatasetVersionId" TEXT,
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "method" TEXT NOT NULL,
ADD COLUMN     "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "requestHash" TEXT,
ADD COLUMN     "totalSteps" INTEGER,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "modelId" SET NOT NULL;

-- AlterTable
ALTER TABLE "TrainingRunAttempt" ADD COLUMN     "error" TEXT,
ADD COLUMN     "exitCode" INTEGER,
ADD COLUMN     "lastStep" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "logOffset" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "resume" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "resumedFromStep" INTEGER,
ADD COLUMN     "runningAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "TrainingJob_teamId_createdAt_idx" ON "TrainingJob"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "TrainingJob_status_executor_createdAt_idx" ON "TrainingJob"("status", "executor", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingJob_teamId_idempotencyKey_key" ON "TrainingJob"("teamId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "TrainingJob" ADD CONSTRAINT "TrainingJob_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
