/**
 * A Model's live economics from its production telemetry (the per-minute rollups summed by UTC
 * day), its training jobs' and eval runs' recorded costs, and its re-tune cadence. Pure: the
 * server reads, this computes, so a hand computation over the posted events can check it.
 *
 *   cost per call (route) = Σ cost of the route's calls ÷ its calls that reported a cost
 *   frontier-only         = costed calls × cost per escalated call
 *   re-tune per tune      = (training + eval spend) ÷ succeeded training jobs
 *   re-tune over window   = per tune ÷ cadence months × window days ÷ DAYS_PER_MONTH
 *   savings (window)      = frontier-only − (actual + re-tune over window)
 *   savings (to date)     = frontier-only − actual − all training and eval spend
 *
 * Why escalated calls price the counterfactual: telemetry carries a measured cost per call but
 * no token counts, and an escalated call is one the frontier answered, so its measured cost is
 * the frontier's price of a real call of this component. That is stated with every result.
 */
import type {
  EconomicsDay,
  EconomicsTotals,
  ModelEconomics,
  RetuneSpend,
} from "@/lib/schemas/model-economics";
import { EMPTY_TOTALS, ROLLUP_SUM_KEYS, type WindowTotals } from "@/lib/domain/telemetry-metrics";

export const DAY_MS = 86_400_000;
/** A month as the amortisation counts it: a Julian year's twelfth. */
export const DAYS_PER_MONTH = 365.25 / 12;

const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

export function sumTotals(list: Iterable<WindowTotals>): WindowTotals {
  const out = { ...EMPTY_TOTALS };
  for (const t of list) for (const k of ROLLUP_SUM_KEYS) out[k] += t[k];
  return out;
}

/** Cost per call of the frontier: the mean measured cost of an escalated call. */
export const frontierPerCallUsd = (t: WindowTotals) =>
  ratio(t.escalatedCostSumUsd, t.escalatedCostCount);

/** The figures of a span of days; `frontierPerCall` prices its counterfactual. */
export function economicsTotals(
  t: WindowTotals,
  frontierPerCall: number | null = frontierPerCallUsd(t),
): EconomicsTotals {
  return {
    calls: t.samples,
    routeKnown: t.escalationKnown,
    escalated: t.escalations,
    kept: t.escalationKnown - t.escalations,
    costedCalls: t.costCount,
    unattributedCostCalls: t.costCount - t.keptCostCount - t.escalatedCostCount,
    costPerCall: {
      all: { usd: ratio(t.costSumUsd, t.costCount), calls: t.costCount },
      kept: { usd: ratio(t.keptCostSumUsd, t.keptCostCount), calls: t.keptCostCount },
      escalated: {
        usd: ratio(t.escalatedCostSumUsd, t.escalatedCostCount),
        calls: t.escalatedCostCount,
      },
    },
    actualUsd: t.costCount > 0 ? t.costSumUsd : null,
    frontierOnlyUsd:
      frontierPerCall === null || t.costCount === 0 ? null : t.costCount * frontierPerCall,
  };
}

/**
 * Months between re-tunes from a schedule's firings: `firings` counted over `spanDays` (a year,
 * or less when the count was capped). A quarterly cron fires 4 times a year: 3 months.
 */
export function cadenceMonths(firings: number, spanDays: number): number | null {
  if (firings <= 0 || spanDays <= 0) return null;
  return spanDays / firings / DAYS_PER_MONTH;
}

export type RetuneInput = {
  cadence: RetuneSpend["cadence"];
  training: RetuneSpend["training"];
  eval: RetuneSpend["eval"];
};

export function retuneSpend(input: RetuneInput, windowDays: number): RetuneSpend {
  const spend = input.training.usd + input.eval.usd;
  const perTuneUsd = input.training.succeeded > 0 ? spend / input.training.succeeded : null;
  const monthlyUsd = perTuneUsd === null ? null : perTuneUsd / input.cadence.months;
  return {
    ...input,
    perTuneUsd,
    monthlyUsd,
    windowUsd: monthlyUsd === null ? null : (monthlyUsd * windowDays) / DAYS_PER_MONTH,
  };
}

export type LiveEconomicsInput = {
  /** Window end (the next UTC midnight) and its length in days. */
  to: number;
  days: number;
  /** Every UTC day the rollups hold for the Model (day start, epoch ms → sums), any order. */
  byDay: ReadonlyMap<number, WindowTotals>;
  retune: RetuneInput;
};

/** Dollars for a sentence: three significant digits below $1 (a call costs $0.0126, not $0.01). */
const usd = (x: number) =>
  x === 0 ? "$0" : Math.abs(x) < 1 ? `$${Number(x.toPrecision(3))}` : `$${x.toFixed(2)}`;
const n = (x: number) => x.toLocaleString("en");

export function liveEconomics(
  input: LiveEconomicsInput,
): Omit<ModelEconomics, "model" | "computedAt"> {
  const from = input.to - input.days * DAY_MS;
  const dayTotals: { day: number; t: WindowTotals }[] = [];
  for (let day = from; day < input.to; day += DAY_MS) {
    dayTotals.push({ day, t: input.byDay.get(day) ?? EMPTY_TOTALS });
  }
  const window = sumTotals(dayTotals.map((d) => d.t));
  const frontierPerCall = frontierPerCallUsd(window);
  const totals = economicsTotals(window, frontierPerCall);

  const daily: EconomicsDay[] = dayTotals.map(({ day, t }) => ({
    day: new Date(day).toISOString(),
    calls: t.samples,
    escalated: t.escalations,
    routeKnown: t.escalationKnown,
    costedCalls: t.costCount,
    actualUsd: t.costCount > 0 ? t.costSumUsd : null,
    frontierOnlyUsd:
      frontierPerCall === null || t.costCount === 0 ? null : t.costCount * frontierPerCall,
  }));
  const daysWithCalls = dayTotals.filter((d) => d.t.samples > 0).length;

  const retune = retuneSpend(input.retune, input.days);
  const hybridUsd = totals.actualUsd === null ? null : totals.actualUsd + (retune.windowUsd ?? 0);

  const held = [...input.byDay].filter(([day, t]) => day < input.to && t.samples > 0);
  const allTime = sumTotals(held.map(([, t]) => t));
  const toDateTotals = economicsTotals(allTime);
  const spendUsd = retune.training.usd + retune.eval.usd;
  const since = held.length ? Math.min(...held.map(([day]) => day)) : null;

  const basis = [
    `Window: the last ${input.days} UTC days, today so far included, read from the per-minute telemetry rollups (never raw events): ${n(totals.calls)} calls, ${n(totals.routeKnown)} of them reported whether they escalated, ${n(totals.costedCalls)} reported a cost.`,
    frontierPerCall === null
      ? "Frontier-only: not computed, since no escalated call in the window reported a cost; it is priced from escalated calls, which the frontier answered."
      : `Frontier-only: every costed call priced at the measured cost of an escalated call (${usd(frontierPerCall)} over ${n(totals.costPerCall.escalated.calls)} escalated calls that reported a cost). Telemetry carries no token counts, so no list price is applied; escalated calls are the hard cases and may be longer than the average call, and their cost includes the small model's attempt when the producer counted it.`,
  ];
  if (totals.unattributedCostCalls > 0)
    basis.push(
      `${n(totals.unattributedCostCalls)} costed calls did not report escalated (or their rollups predate the split by route): they are in the actual cost and the counterfactual, not in either route's cost per call.`,
    );
  if (totals.calls > totals.costedCalls)
    basis.push(
      `${n(totals.calls - totals.costedCalls)} calls reported no cost and are in no cost figure.`,
    );
  basis.push(
    `Re-tunes: ${usd(retune.training.usd)} recorded on ${retune.training.jobsWithCost} of ${retune.training.jobs} training jobs (GPU time × the GPU's hourly price) and ${usd(retune.eval.usd)} on ${retune.eval.runsWithCost} of ${retune.eval.runs} eval runs of the Model's versions (cost_per_1k_usd × cases), ${
      retune.perTuneUsd === null
        ? "not amortised: no training job has succeeded yet"
        : `${usd(retune.perTuneUsd)} per tune over ${retune.training.succeeded} succeeded jobs, spread over ${retune.cadence.description}`
    }. Engineering time is not recorded and not included.`,
  );

  return {
    window: {
      days: input.days,
      from: new Date(from).toISOString(),
      to: new Date(input.to).toISOString(),
    },
    hasTelemetry: totals.calls > 0,
    totals,
    keptShare: ratio(totals.kept, totals.routeKnown),
    escalatedShare: ratio(totals.escalated, totals.routeKnown),
    callsPerDay: ratio(totals.calls, daysWithCalls),
    daysWithCalls,
    daily,
    retune,
    summary: {
      actualUsd: totals.actualUsd,
      retuneUsd: retune.windowUsd,
      hybridUsd,
      frontierOnlyUsd: totals.frontierOnlyUsd,
      savingsUsd:
        totals.frontierOnlyUsd === null || hybridUsd === null
          ? null
          : totals.frontierOnlyUsd - hybridUsd,
    },
    toDate: {
      since: since === null ? null : new Date(since).toISOString(),
      totals: toDateTotals,
      spendUsd,
      savingsUsd:
        toDateTotals.frontierOnlyUsd === null || toDateTotals.actualUsd === null
          ? null
          : toDateTotals.frontierOnlyUsd - toDateTotals.actualUsd - spendUsd,
    },
    basis,
  };
}
