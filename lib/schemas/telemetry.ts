import { z } from "zod";
import { isoDateSchema } from "./common";

/**
 * Production telemetry (POST /api/v1/telemetry): one event per invocation of a fine-tuned
 * component. `model` is a Model name or id of the caller's team; `version` the version number
 * that served it, when known.
 */
export const TELEMETRY_MAX_EVENTS = 10_000;
/** Decompressed body limit of one telemetry or trace batch. */
export const TELEMETRY_MAX_BYTES = 16 * 1024 * 1024;

const label = z.string().trim().min(1).max(200);

export const telemetryEventSchema = z.strictObject({
  id: z.string().min(1).max(200).optional(),
  timestamp: z.iso.datetime({
    offset: true,
    message: "expected an ISO 8601 time with offset, e.g. 2026-03-01T10:00:00Z",
  }),
  model: z.string().min(1).max(200),
  version: z.number().int().positive().optional(),
  outcome: z.enum(["success", "failure"]),
  toolCallValid: z.boolean().optional(),
  escalated: z.boolean().optional(),
  latencyMs: z.number().finite().nonnegative().max(86_400_000).optional(),
  costUsd: z.number().finite().nonnegative().max(1_000_000).optional(),
  tool: label.optional(),
  intent: label.optional(),
  feedback: z.string().max(2_000).optional(),
});
export type TelemetryEvent = z.infer<typeof telemetryEventSchema>;

/** One problem with one event of a refused batch; `index` is its position (0-based). */
export const batchErrorSchema = z.object({
  index: z.number().int(),
  field: z.string(),
  message: z.string(),
});
export type BatchError = z.infer<typeof batchErrorSchema>;

export const batchRefusedSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
  errors: z.array(batchErrorSchema),
});

export const telemetryAcceptedSchema = z.object({
  accepted: z.number().int(),
  /**
   * Events already stored (sent again by a retrying client): same id AND timestamp in this team
   * (the dedupe key holds the timestamp because TelemetryEvent is partitioned on it).
   */
  duplicates: z.number().int(),
});
export type TelemetryAccepted = z.infer<typeof telemetryAcceptedSchema>;

export const TELEMETRY_METRICS = [
  "tool_call_error_rate",
  "escalation_rate",
  "failure_rate",
  "latency_p95_ms",
  "cost_per_call_usd",
] as const;

export const telemetrySummaryQuerySchema = z.object({
  model: z.string().min(1).max(200),
  /** A duration such as "15m", "24h", "7d"; default 24h. */
  window: z.string().optional(),
});

export const telemetryPointSchema = z.object({
  /** Start of the bucket. */
  t: isoDateSchema,
  samples: z.number(),
  failureRate: z.number().nullable(),
  toolCallErrorRate: z.number().nullable(),
  escalationRate: z.number().nullable(),
  latencyP95Ms: z.number().nullable(),
  costPerCallUsd: z.number().nullable(),
});
export type TelemetryPoint = z.infer<typeof telemetryPointSchema>;

export const telemetrySummarySchema = z.object({
  model: z.object({ id: z.string(), name: z.string() }),
  window: z.string(),
  from: isoDateSchema,
  to: isoDateSchema,
  samples: z.number(),
  rates: z.object({
    failure: z.number().nullable(),
    toolCallError: z.number().nullable(),
    escalation: z.number().nullable(),
  }),
  latencyP95Ms: z.number().nullable(),
  latencyMeanMs: z.number().nullable(),
  costPerCallUsd: z.number().nullable(),
  costUsd: z.number(),
  tools: z.array(z.object({ name: z.string(), count: z.number() })),
  intents: z.array(z.object({ name: z.string(), count: z.number() })),
  /** Equal buckets over the window, oldest first, for charts. */
  series: z.array(telemetryPointSchema),
  bucketSeconds: z.number(),
});
export type TelemetrySummary = z.infer<typeof telemetrySummarySchema>;

/**
 * `GET /api/v1/telemetry/storage`: what telemetry occupies on this deployment (partitions are
 * shared by teams, so these are deployment-wide), for the status page. Row counts come from
 * PostgreSQL's statistics (exact for small tables), bytes from pg_total_relation_size and the
 * trace files on disk.
 */
export const telemetryStorageSchema = z.object({
  events: z.object({
    rows: z.number(),
    bytes: z.number(),
    /** Day partitions, including the ones made ahead of today. */
    partitions: z.number().int(),
    /** Rows waiting in the DEFAULT partition for their day's partition. */
    defaultRows: z.number(),
    /** The oldest UTC day (yyyy-mm-dd) still held, or null when there is none. */
    oldestDay: z.string().nullable(),
  }),
  rollups: z.object({ rows: z.number(), bytes: z.number(), oldestDay: z.string().nullable() }),
  traces: z.object({
    rows: z.number(),
    /** The Trace index table. */
    bytes: z.number(),
    fileBytes: z.number(),
    files: z.number().int(),
    oldestDay: z.string().nullable(),
  }),
  /** This team's raw retention and the deployment's rollup retention, in days. */
  retention: z.object({ eventsDays: z.number().int(), rollupsDays: z.number().int() }),
  measuredAt: z.string(),
});
export type TelemetryStorage = z.infer<typeof telemetryStorageSchema>;
