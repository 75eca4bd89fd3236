import { z } from "zod";

/** Queue payloads carry ids only (DESIGN.md §5); the database holds everything else. */
export const datasetValidationPayloadSchema = z.object({ datasetVersionId: z.string().min(1) });
export const trainingPayloadSchema = z.object({
  trainingJobId: z.string().min(1),
  attempt: z.number().int().positive(),
});
export const evaluationPayloadSchema = z.object({ evalRunId: z.string().min(1) });
export const monitoringPayloadSchema = z.union([
  z.object({ monitorId: z.string().min(1) }),
  z.object({ policyId: z.string().min(1) }),
]);
/** Maintenance ticks (outbox relay, reconcile) carry nothing. */
export const maintenancePayloadSchema = z.object({}).strict();
