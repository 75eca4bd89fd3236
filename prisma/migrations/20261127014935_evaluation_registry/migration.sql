-- CreateEnum
CREATE TYPE "EvalTargetKind" AS ENUM ('MODEL_VERSION', 'BASE_MODEL', 'PRODUCTION', 'ENDPOINT');

-- CreateEnum
CREATE TYPE "ApprovalDecision" AS ENUM ('APPROVE', 'REJECT');

-- AlterTable
ALTER TABLE "EvalCaseResult" ADD COLUMN     "expected" JSONB NOT NULL,
ADD COLUMN     "input" JSONB NOT NULL,
ADD COLUMN     "passed" BOOLEAN NOT NULL;

-- AlterTable
ALTER TABLE "EvalRun" ADD COLUMN     "caseCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "casesDone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "error" TEXT,
ADD COLUMN     "inputHash" TEXT NOT NULL,
ADD COLUMN     "modelVersionId" TEXT,
ADD COLUMN     "startedAt" TIMESTAMP(3),
ADD COLUMN     "targetKey" TEXT NOT NULL,
ADD COLUMN     "targetKind" "EvalTargetKind" NOT NULL;

-- AlterTable
ALTER TABLE "EvalSuite" ADD COLUMN     "split" TEXT NOT NULL DEFAULT 'eval';

-- AlterTable
ALTER TABLE "GateDecision" ADD COLUMN     "candidateRunId" TEXT,
ADD COLUMN     "policy" JSONB NOT NULL,
ADD COLUMN     "productionRunId" TEXT,
ADD COLUMN     "productionVersionId" TEXT,
ADD COLUMN     "status" TEXT NOT NULL;

-- AlterTable
ALTER TABLE "GatePolicy" DROP COLUMN "approvalRequired",
DROP COLUMN "conditions",
DROP COLUMN "minCases",
ADD COLUMN     "policy" JSONB NOT NULL;

-- AlterTable
ALTER TABLE "Model" ADD COLUMN     "evalSuiteId" TEXT,
ADD COLUMN     "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "ModelVersion" ADD COLUMN     "narrative" JSONB,
ADD COLUMN     "stageChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable
ALTER TABLE "Promotion" ADD COLUMN     "actorApiKeyId" TEXT,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'promote',
ADD COLUMN     "override" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Approval" (
    "id" TEXT NOT NULL,
    "modelVersionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "decision" "ApprovalDecision" NOT NULL,
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Approval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TeamSecret" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TeamSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secretName" TEXT NOT NULL,
    "events" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Approval_modelVersionId_createdAt_idx" ON "Approval"("modelVersionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TeamSecret_teamId_name_key" ON "TeamSecret"("teamId", "name");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_createdAt_idx" ON "WebhookDelivery"("webhookId", "createdAt");

-- CreateIndex
CREATE INDEX "EvalCaseResult_evalRunId_passed_index_idx" ON "EvalCaseResult"("evalRunId", "passed", "index");

-- CreateIndex
CREATE INDEX "EvalRun_teamId_createdAt_idx" ON "EvalRun"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "EvalRun_suiteId_inputHash_status_idx" ON "EvalRun"("suiteId", "inputHash", "status");

-- CreateIndex
CREATE INDEX "EvalRun_modelVersionId_idx" ON "EvalRun"("modelVersionId");

-- CreateIndex
CREATE INDEX "GateDecision_modelVersionId_createdAt_idx" ON "GateDecision"("modelVersionId", "createdAt");

-- CreateIndex
CREATE INDEX "ModelVersion_modelId_stage_idx" ON "ModelVersion"("modelId", "stage");

-- CreateIndex
CREATE INDEX "Promotion_modelVersionId_createdAt_idx" ON "Promotion"("modelVersionId", "createdAt");

-- AddForeignKey
ALTER TABLE "Model" ADD CONSTRAINT "Model_evalSuiteId_fkey" FOREIGN KEY ("evalSuiteId") REFERENCES "EvalSuite"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalRun" ADD CONSTRAINT "EvalRun_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Approval" ADD CONSTRAINT "Approval_modelVersionId_fkey" FOREIGN KEY ("modelVersionId") REFERENCES "ModelVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TeamSecret" ADD CONSTRAINT "TeamSecret_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;
