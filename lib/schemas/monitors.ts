import { z } from "zod";
import { isoDateSchema } from "./common";
import { searchTextSchema } from "./search";

/** Drift monitors (docs/architecture.md, "Telemetry, drift and re-tuning"): a metric over a window of one Model's telemetry. */
export const MONITOR_METRICS = [
  "tool_call_error_rate",
  "escalation_rate",
  "failure_rate",
  "latency_p95_ms",
  "cost_per_call_usd",
  "tool_psi",
  "intent_psi",
  "unseen_tool_share",
  "eval_score",
] as const;
export const monitorMetricSchema = z.enum(MONITOR_METRICS);
export type MonitorMetric = z.infer<typeof monitorMetricSchema>;

export const COMPARATORS = ["gt", "gte", "lt", "lte"] as const;
export const comparatorSchema = z.enum(COMPARATORS);
export type Comparator = z.infer<typeof comparatorSchema>;

export const monitorActionSchema = z.enum(["retrain", "alert"]);

/** "30s", "15m", "2h", "7d", "1w": a whole number and one unit. */
export const durationSchema = z
  .string()
  .trim()
  .regex(/^\d{1,6}[smhdw]$/, 'a duration such as "15m", "2h" or "7d"');

export const createMonitorBodySchema = z.strictObject({
  model: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(100).optional(),
  metric: monitorMetricSchema,
  window: durationSchema,
  threshold: z.number().finite(),
  /** Default: "lt" for eval_score (lower is worse), "gt" for every other metric. */
  comparator: comparatorSchema.optional(),
  minSamples: z.number().int().min(1).max(100_000_000).default(100),
  cooldown: durationSchema.default("1d"),
  /** How often the scheduler checks; default: the window, at least 1m and at most 1h. */
  interval: durationSchema.optional(),
  action: monitorActionSchema.default("alert"),
  enabled: z.boolean().default(true),
});
export type CreateMonitorBody = z.input<typeof createMonitorBodySchema>;

export const updateMonitorBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  window: durationSchema.optional(),
  threshold: z.number().finite().optional(),
  comparator: comparatorSchema.optional(),
  minSamples: z.number().int().min(1).max(100_000_000).optional(),
  cooldown: durationSchema.optional(),
  interval: durationSchema.optional(),
  action: monitorActionSchema.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateMonitorBody = z.input<typeof updateMonitorBodySchema>;

export const MONITOR_STATES = ["PENDING", "OK", "WARNING", "INSUFFICIENT"] as const;
export const CHECK_STATUSES = [
  "OK",
  "BREACHED",
  "INSUFFICIENT_SAMPLES",
  "NO_BASELINE",
  "NO_DATA",
] as const;
export const CHECK_OUTCOMES = [
  "retrain_opened",
  "retrain_in_progress",
  "retrain_skipped",
  "cooldown",
  "alerted",
] as const;

export const monitorSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  name: z.string(),
  metric: monitorMetricSchema,
  window: z.string(),
  threshold: z.number(),
  comparator: comparatorSchema,
  minSamples: z.number(),
  cooldown: z.string(),
  interval: z.string(),
  action: monitorActionSchema,
  enabled: z.boolean(),
  state: z.enum(MONITOR_STATES),
  lastValue: z.number().nullable(),
  lastCheckedAt: isoDateSchema.nullable(),
  lastBreachAt: isoDateSchema.nullable(),
  lastActionAt: isoDateSchema.nullable(),
  createdAt: isoDateSchema,
});
export type Monitor = z.infer<typeof monitorSchema>;

export const monitorListSchema = z.object({ monitors: z.array(monitorSchema) });

export const driftCheckSchema = z.object({
  id: z.string(),
  monitorId: z.string(),
  windowStart: isoDateSchema,
  windowEnd: isoDateSchema,
  value: z.number().nullable(),
  samples: z.number(),
  breached: z.boolean(),
  status: z.enum(CHECK_STATUSES),
  outcome: z.enum(CHECK_OUTCOMES).nullable(),
  retrainRequestId: z.string().nullable(),
  source: z.enum(["schedule", "manual"]),
  detail: z.record(z.string(), z.unknown()).nullable(),
  durationMs: z.number(),
  createdAt: isoDateSchema,
});
export type DriftCheck = z.infer<typeof driftCheckSchema>;

export const checkListSchema = z.object({ checks: z.array(driftCheckSchema) });

/** POST /monitors/{id}/check: the fields first, then the stored check. */
export const checkResultSchema = z.object({
  value: z.number().nullable(),
  samples: z.number(),
  breached: z.boolean(),
  retrainJobId: z.string().optional(),
  retrainRequestId: z.string().optional(),
  check: driftCheckSchema,
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** GET /monitors: `model` (a name or id) narrows to one Model; `q` searches monitor and Model names. */
export const monitorListQuerySchema = z.object({
  model: z.string().optional(),
  q: searchTextSchema,
});
export type MonitorListQuery = z.input<typeof monitorListQuerySchema>;

/** GET /monitors/{id}/checks: newest first; `before` pages back. */
export const checksQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(200),
  before: z.iso.datetime({ offset: true }).optional(),
});

export const monitorDetailSchema = monitorSchema.extend({
  /** Most recent first. */
  recentChecks: z.array(driftCheckSchema),
});
export type MonitorDetail = z.infer<typeof monitorDetailSchema>;
