/**
 * GET /api/v1/models/{id}/economics: a Model's live economics (issue #17) — calls per day, the
 * share the small model kept, cost per call by route, actual cost against every call priced at
 * the frontier, training and eval spend amortised over the re-tune cadence, savings to date.
 *
 * Telemetry comes from the per-minute rollups only (one GROUP BY UTC day over the Model's
 * rollups, so the cost follows minutes held, not events), never raw events. It lives in
 * retraining because the cadence is the retrain policy's schedule; it reads training jobs and
 * eval runs, features before this one. The maths is lib/domain/economics/live.ts.
 *
 * No price list is read: telemetry reports a measured cost per call and no token counts, so the
 * frontier's cost per call is the measured cost of escalated calls (see live.ts). When telemetry
 * carries tokens, the team's list (lib/server/economics/prices.ts) can price them here.
 */
import { CronExpressionParser } from "cron-parser";
import {
  cadenceMonths,
  DAY_MS,
  liveEconomics,
  type RetuneInput,
} from "@/lib/domain/economics/live";
import { runMetricsSchema } from "@/lib/schemas/eval-metrics";
import type { ModelEconomics, ModelEconomicsQuery } from "@/lib/schemas/model-economics";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { loadModel } from "@/lib/server/registry/models";
import { readTotalSeries } from "@/lib/server/telemetry/rollups";

const YEAR_DAYS = 365.25;
/** An every-minute cron fires 525,960 times a year: count this many, then measure their span. */
const MAX_FIRINGS = 1_000;
const QUARTERLY_MONTHS = 3;

type PolicyRow = { enabled: boolean; schedule: string; timezone: string } | null;

/**
 * Months between re-tunes: from the retrain policy's schedule when it is enabled (its firings
 * over the next year), else quarterly, and the sentence that says which.
 */
export function retuneCadence(policy: PolicyRow, after: Date): RetuneInput["cadence"] {
  const fallback = (why: string): RetuneInput["cadence"] => ({
    months: QUARTERLY_MONTHS,
    source: "default",
    schedule: null,
    timezone: null,
    description: `3 months (quarterly, the stated default: ${why})`,
  });
  if (!policy) return fallback("the Model has no retrain policy");
  if (!policy.enabled) return fallback("its retrain policy is paused");
  const end = after.getTime() + YEAR_DAYS * DAY_MS;
  let firings = 0;
  let last = after.getTime();
  try {
    const cron = CronExpressionParser.parse(policy.schedule, {
      currentDate: after,
      tz: policy.timezone,
    });
    while (firings < MAX_FIRINGS) {
      const at = cron.next().getTime();
      if (at >= end) break;
      firings++;
      last = at;
    }
  } catch {
    // A schedule the policy API accepted parses; one that no longer does (or never fires
    // again) amortises like no policy, and says so.
    if (firings === 0) return fallback(`its schedule "${policy.schedule}" does not fire`);
  }
  const span = firings >= MAX_FIRINGS ? (last - after.getTime()) / DAY_MS : YEAR_DAYS;
  const months = cadenceMonths(firings, span);
  if (months === null)
    return fallback(`its schedule "${policy.schedule}" fires less than once a year`);
  return {
    months,
    source: "policy",
    schedule: policy.schedule,
    timezone: policy.timezone,
    description: `${months.toFixed(2)} months (the retrain policy's schedule "${policy.schedule}" ${policy.timezone} fires ${firings >= MAX_FIRINGS ? "more than " : ""}${firings} times a year)`,
  };
}

/** The next UTC midnight: windows are whole UTC days, today so far being the last. */
export const nextUtcMidnight = (now: Date) => Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS;

export async function getModelEconomics(
  p: Principal,
  modelRef: string,
  query: ModelEconomicsQuery,
  now = new Date(),
): Promise<ModelEconomics> {
  authorize(p, "team.read");
  const model = await loadModel(p, modelRef);
  const to = nextUtcMidnight(now);
  const [byDay, jobs, runs, policy] = await Promise.all([
    // Every day the rollups hold (ROLLUP_RETENTION_DAYS): the window and "to date" both.
    readTotalSeries(model.id, new Date(0), new Date(to), 86_400),
    db().trainingJob.findMany({
      where: { teamId: p.teamId, modelId: model.id },
      select: { status: true, costUsd: true },
    }),
    db().evalRun.findMany({
      where: { teamId: p.teamId, status: "SUCCEEDED", modelVersion: { modelId: model.id } },
      select: { metrics: true, caseCount: true },
    }),
    db().retrainPolicy.findUnique({
      where: { modelId: model.id },
      select: { enabled: true, schedule: true, timezone: true },
    }),
  ]);

  const costed = jobs.filter((j) => j.costUsd !== null);
  const runCosts = runs.flatMap((r) => {
    const perK = runMetricsSchema.safeParse(r.metrics).data?.cost_per_1k_usd;
    return perK === undefined ? [] : [(perK * r.caseCount) / 1000];
  });
  const economics = liveEconomics({
    to,
    days: query.days,
    byDay,
    retune: {
      cadence: retuneCadence(policy, new Date(to)),
      training: {
        usd: costed.reduce((s, j) => s + j.costUsd!, 0),
        jobs: jobs.length,
        jobsWithCost: costed.length,
        succeeded: jobs.filter((j) => j.status === "SUCCEEDED").length,
      },
      eval: {
        usd: runCosts.reduce((s, c) => s + c, 0),
        runs: runs.length,
        runsWithCost: runCosts.length,
      },
    },
  });
  return {
    model: { id: model.id, name: model.name },
    ...economics,
    computedAt: now.toISOString(),
  };
}
