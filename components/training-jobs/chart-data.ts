import type { MetricPoint } from "@/lib/client/hooks/training-jobs";

export type ChartRow = { step: number } & Record<string, number | undefined>;

/**
 * Points of the attempt being shown. The API keeps, per step, the newest attempt's value; an
 * older attempt's points past where the current one resumed belong to a run that was replaced.
 */
export function currentPoints(
  points: readonly MetricPoint[],
  attempt: number,
  resumedFromStep: number | null,
): MetricPoint[] {
  const kept = points.filter((p) => p.attempt === attempt || p.step <= (resumedFromStep ?? -1));
  // Before the new attempt logs anything, keep showing the previous curve.
  return kept.length > 0 ? kept : [...points];
}

/** One row per step with a column per metric name, for recharts. */
export function pivot(points: readonly MetricPoint[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const p of points) {
    let row = rows.get(p.step);
    if (!row) rows.set(p.step, (row = { step: p.step }));
    row[p.name] = p.value;
  }
  return [...rows.values()].sort((a, b) => a.step - b.step);
}
