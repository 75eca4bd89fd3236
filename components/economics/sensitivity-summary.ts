/**
 * The sentences that say what each sensitivity chart shows: its accessible name (a screen reader
 * hears the figure, not the SVG) and the caption under it. Pure, so the words follow the inputs.
 */
import type { PlannerInput, PlannerResult, SensitivityPoint } from "@/lib/schemas/economics";
import { formatCalls, formatMoney, formatPct } from "./format";

/** First x at which the hybrid (recurring) costs no more than frontier-only; null when none does. */
export function firstCheaper(points: readonly SensitivityPoint[]): number | null {
  return points.find((p) => p.hybridUsd <= p.frontierOnlyUsd)?.x ?? null;
}

export function routineShareSummary(input: PlannerInput, result: PlannerResult): string {
  const from = firstCheaper(result.sensitivity.byRoutineShare);
  return (
    `Monthly cost against routine share. At ${formatPct(input.routineShare)} routine: hybrid ` +
    `${formatMoney(result.monthly.hybrid.totalUsd)} a month, frontier-only ` +
    `${formatMoney(result.monthly.frontierOnlyUsd)}. ` +
    (from === null
      ? "At this volume no routine share makes the hybrid cheaper."
      : `The hybrid's recurring cost is at or below frontier-only from ${formatPct(from)} routine.`)
  );
}

export function volumeSummary(input: PlannerInput, result: PlannerResult): string {
  const be = result.breakEven.endToEndInvocationsPerMonth;
  return (
    `Monthly cost against invocations per month at ${formatPct(input.routineShare)} routine. ` +
    `At ${formatCalls(input.invocationsPerMonth)} a month: hybrid ` +
    `${formatMoney(result.monthly.hybrid.totalUsd)}, frontier-only ` +
    `${formatMoney(result.monthly.frontierOnlyUsd)}. ` +
    (be === null
      ? `At these prices the hybrid never pays back within ${result.horizonMonths} months.`
      : `Break-even end to end (the project paid back in ${result.horizonMonths} months): ` +
        `${formatCalls(be)} invocations a month.`)
  );
}
