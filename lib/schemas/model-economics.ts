import { z } from "zod";
import { isoDateSchema } from "./common";

/**
 * A Model's live economics (issue #17, GET /api/v1/models/{id}/economics): what its hybrid
 * (small model + escalations to a frontier model) cost in production against sending every call
 * to the frontier, from the telemetry rollups, its training jobs and its eval runs. Every figure
 * carries what it rests on (calls counted, jobs and runs with a recorded cost); a figure with
 * nothing under it is null, never 0.
 */

/** Days back from the end of today (UTC) the window covers; today counts as one day. */
export const ECONOMICS_DEFAULT_DAYS = 30;
export const ECONOMICS_MAX_DAYS = 365;

export const modelEconomicsQuerySchema = z.strictObject({
  days: z.coerce.number().int().min(1).max(ECONOMICS_MAX_DAYS).default(ECONOMICS_DEFAULT_DAYS),
});
export type ModelEconomicsQuery = z.infer<typeof modelEconomicsQuerySchema>;

const usd = z.number().finite();
const count = z.number().int().min(0);
const share = z.number().finite().min(0).max(1);

/** A mean cost per call and the calls it is the mean of (null when none reported a cost). */
export const perCallCostSchema = z.strictObject({ usd: usd.nullable(), calls: count });
export type PerCallCost = z.infer<typeof perCallCostSchema>;

/** Sums over a span of days, as the rollups hold them. */
export const economicsTotalsSchema = z.strictObject({
  calls: count,
  /** Calls that reported `escalated`, and those of them that escalated / stayed on the small model. */
  routeKnown: count,
  escalated: count,
  kept: count,
  /** Calls that reported a cost (the others are in no cost figure). */
  costedCalls: count,
  /** Calls that reported a cost but not `escalated` (or whose rollups predate the split by route). */
  unattributedCostCalls: count,
  costPerCall: z.strictObject({
    all: perCallCostSchema,
    kept: perCallCostSchema,
    escalated: perCallCostSchema,
  }),
  /** Sum of the reported costs; null when no call reported one. */
  actualUsd: usd.nullable(),
  /**
   * Every costed call priced as an escalated call (the frontier's measured cost per call);
   * null when no escalated call reported a cost.
   */
  frontierOnlyUsd: usd.nullable(),
});
export type EconomicsTotals = z.infer<typeof economicsTotalsSchema>;

export const economicsDaySchema = z.strictObject({
  /** UTC midnight starting the day. */
  day: isoDateSchema,
  calls: count,
  escalated: count,
  routeKnown: count,
  costedCalls: count,
  /** Null on a day no call reported a cost (no telemetry is not a $0 day). */
  actualUsd: usd.nullable(),
  /** The day's costed calls × the window's frontier cost per call. */
  frontierOnlyUsd: usd.nullable(),
});
export type EconomicsDay = z.infer<typeof economicsDaySchema>;

export const CADENCE_SOURCES = ["policy", "default"] as const;

export const retuneSpendSchema = z.strictObject({
  /** Months between re-tunes, and where that comes from. */
  cadence: z.strictObject({
    months: z.number().finite().positive(),
    source: z.enum(CADENCE_SOURCES),
    /** The retrain policy's cron and time zone when the cadence comes from it. */
    schedule: z.string().nullable(),
    timezone: z.string().nullable(),
    description: z.string(),
  }),
  training: z.strictObject({
    /** Sum of the recorded costUsd of the Model's training jobs (any outcome: GPU time is paid). */
    usd: usd,
    jobs: count,
    jobsWithCost: count,
    /** Jobs that produced a version: one re-tune each. */
    succeeded: count,
  }),
  eval: z.strictObject({
    /** Sum over succeeded eval runs of the Model's versions of cost_per_1k_usd × cases ÷ 1,000. */
    usd: usd,
    runs: count,
    runsWithCost: count,
  }),
  /** (training + eval) ÷ succeeded jobs; null before the first tune finished. */
  perTuneUsd: usd.nullable(),
  /** perTuneUsd ÷ cadence months. */
  monthlyUsd: usd.nullable(),
  /** monthlyUsd over the window's days. */
  windowUsd: usd.nullable(),
});
export type RetuneSpend = z.infer<typeof retuneSpendSchema>;

export const modelEconomicsSchema = z.strictObject({
  model: z.strictObject({ id: z.string(), name: z.string() }),
  window: z.strictObject({
    days: z.number().int().min(1),
    /** [from, to): `to` is the next UTC midnight, so today so far is the last day. */
    from: isoDateSchema,
    to: isoDateSchema,
  }),
  /** False when no call was posted in the window: the panel shows its empty state. */
  hasTelemetry: z.boolean(),
  totals: economicsTotalsSchema,
  /** Share of the calls that reported `escalated` (of totals.routeKnown); null when none did. */
  keptShare: share.nullable(),
  escalatedShare: share.nullable(),
  /** Mean calls per day over the days that had any (null when none had). */
  callsPerDay: z.number().finite().min(0).nullable(),
  daysWithCalls: count,
  daily: z.array(economicsDaySchema),
  retune: retuneSpendSchema,
  /** Over the window: actual + amortised re-tunes vs frontier-only. */
  summary: z.strictObject({
    actualUsd: usd.nullable(),
    retuneUsd: usd.nullable(),
    /** actualUsd + retuneUsd (the re-tune part only when known). */
    hybridUsd: usd.nullable(),
    frontierOnlyUsd: usd.nullable(),
    /** frontierOnlyUsd − hybridUsd; negative when the hybrid cost more. */
    savingsUsd: usd.nullable(),
  }),
  /** Since the Model's first rollup (kept ROLLUP_RETENTION_DAYS): net of all training and eval spend. */
  toDate: z.strictObject({
    since: isoDateSchema.nullable(),
    totals: economicsTotalsSchema,
    spendUsd: usd,
    /** frontierOnlyUsd − actualUsd − spendUsd. */
    savingsUsd: usd.nullable(),
  }),
  /** What the figures rest on, in sentences, for the panel's footnote and API users. */
  basis: z.array(z.string()),
  computedAt: isoDateSchema,
});
export type ModelEconomics = z.infer<typeof modelEconomicsSchema>;
