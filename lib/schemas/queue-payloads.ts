import { z } from "zod";

/** Queue payloads carry ids only (docs/architecture.md, "Queues"); the database holds everything else. */
export const datasetValidationPayloadSchema = z.object({ datasetVersionId: z.string().min(1) });
export const trainingSubmitPayloadSchema = z.object({
  trainingJobId: z.string().min(1),
  attempt: z.number().int().positive(),
});
/** `training` carries submits, and the poller's ticks (from a job scheduler) with no payload. */
export const trainingPayloadSchema = z.union([trainingSubmitPayloadSchema, z.object({}).strict()]);
export const evaluationPayloadSchema = z.object({ evalRunId: z.string().min(1) });
/**
 * `monitorId`: a drift check (job scheduler per monitor); `policyId`: a retrain policy's cron
 * firing (job scheduler per policy); `retrainRequestId`: build the dataset of an opened retrain.
 */
export const monitoringPayloadSchema = z.union([
  z.object({ monitorId: z.string().min(1) }),
  z.object({ policyId: z.string().min(1) }),
  z.object({ retrainRequestId: z.string().min(1) }),
]);
/** Maintenance ticks (outbox relay, reconcile) carry nothing. */
export const maintenancePayloadSchema = z.object({}).strict();
