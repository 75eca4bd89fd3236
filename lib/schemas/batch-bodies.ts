import { z } from "zod";
import { TELEMETRY_MAX_EVENTS, telemetryEventSchema } from "./telemetry";
import { TRACE_MAX_BATCH, traceInputSchema } from "./traces";

/**
 * The JSON forms the batch endpoints accept (lib/server/core/batch-body.ts reads them, then
 * checks each item with its own schema so that a refusal names every bad index). The same items
 * may come as NDJSON instead, one per line, and gzip-compressed.
 */

/** POST /api/v1/telemetry: `{ events: [...] }` or a bare array of events. */
export const telemetryBatchBodySchema = z.union([
  z.object({ events: z.array(telemetryEventSchema).min(1).max(TELEMETRY_MAX_EVENTS) }),
  z.array(telemetryEventSchema).min(1).max(TELEMETRY_MAX_EVENTS),
]);

/** POST /api/v1/traces: `{ traces: [...] }`, a bare array, or one trace. */
export const tracesBatchBodySchema = z.union([
  z.object({ traces: z.array(traceInputSchema).min(1).max(TRACE_MAX_BATCH) }),
  z.array(traceInputSchema).min(1).max(TRACE_MAX_BATCH),
  traceInputSchema,
]);
