-- CreateIndex
CREATE INDEX "Trace_teamId_timestamp_idx" ON "Trace"("teamId", "timestamp");
