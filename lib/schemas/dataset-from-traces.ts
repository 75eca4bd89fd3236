import { z } from "zod";
import { uploadAcceptedSchema } from "./datasets";

/**
 * `POST /api/v1/datasets/{id}/versions/from-traces`: a new version of the dataset holding its
 * newest version's rows plus these traces, one row each ({ messages, tools } as a re-tune's
 * dataset writes them), validated like any upload.
 */
export const TRACES_PER_APPEND_MAX = 100;

export const appendTracesBodySchema = z.strictObject({
  /** Trace row ids or the clients' trace ids, as GET /traces/{id} accepts. */
  traceIds: z.array(z.string().min(1).max(200)).min(1).max(TRACES_PER_APPEND_MAX),
});
export type AppendTracesBody = z.infer<typeof appendTracesBodySchema>;

/** → 202: the new version (validating), what it was built on and what it added. */
export const appendTracesAcceptedSchema = uploadAcceptedSchema.extend({
  datasetId: z.string(),
  /** The version whose rows were copied; null when the dataset had none. */
  baseVersion: z.number().int().nullable(),
  /** Traces added as rows. */
  appended: z.number().int(),
  /** Traces left out because the base version already holds the same row. */
  alreadyPresent: z.number().int(),
});
export type AppendTracesAccepted = z.infer<typeof appendTracesAcceptedSchema>;
