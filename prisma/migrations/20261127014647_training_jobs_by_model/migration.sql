-- CreateIndex
CREATE INDEX "TrainingJob_modelId_createdAt_idx" ON "TrainingJob"("modelId", "createdAt");
