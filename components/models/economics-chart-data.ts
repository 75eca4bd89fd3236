import type { EconomicsDay } from "@/lib/schemas/model-economics";

/** One UTC day of the economics chart; null costs are gaps (no telemetry is not a $0 day). */
export type EconomicsChartPoint = {
  t: number;
  calls: number;
  escalated: number;
  actualUsd: number | null;
  frontierOnlyUsd: number | null;
};

export function economicsChartPoints(daily: readonly EconomicsDay[]): EconomicsChartPoint[] {
  return daily.map((d) => ({
    t: Date.parse(d.day),
    calls: d.calls,
    escalated: d.escalated,
    actualUsd: d.actualUsd,
    frontierOnlyUsd: d.frontierOnlyUsd,
  }));
}

/** "saves $12.40" / "costs $3.10 more" / "—": a signed saving in words, never a bare minus sign. */
export function savingsPhrase(usd: number | null, format: (n: number) => string): string {
  if (usd === null) return "—";
  return usd >= 0 ? `saves ${format(usd)}` : `costs ${format(-usd)} more`;
}
