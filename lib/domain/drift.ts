/**
 * Drift statistics over telemetry windows (docs/architecture.md, "Telemetry, drift and re-tuning"). Pure: the server sums rollups and
 * hands the counts here.
 */
import type { Comparator, MonitorMetric } from "@/lib/schemas/monitors";

export type Counts = ReadonlyMap<string, number>;

/** Smallest share a category is given on either side, so an empty bin does not make PSI infinite. */
export const PSI_EPSILON = 1e-4;

/**
 * Population stability index of `actual` against `expected` over the union of their categories:
 * Σ (a − e) · ln(a / e) with shares floored at PSI_EPSILON. Common reading: < 0.1 stable,
 * 0.1–0.25 moderate shift, > 0.25 significant shift. Null when either side is empty.
 */
export function psi(expected: Counts, actual: Counts): number | null {
  const eTotal = sum(expected);
  const aTotal = sum(actual);
  if (eTotal === 0 || aTotal === 0) return null;
  let total = 0;
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const e = Math.max((expected.get(key) ?? 0) / eTotal, PSI_EPSILON);
    const a = Math.max((actual.get(key) ?? 0) / aTotal, PSI_EPSILON);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** Share of `actual`'s calls whose category is not in `known`; null when `actual` is empty. */
export function unseenShare(known: ReadonlySet<string>, actual: Counts): number | null {
  const total = sum(actual);
  if (total === 0) return null;
  let unseen = 0;
  for (const [key, n] of actual) if (!known.has(key)) unseen += n;
  return unseen / total;
}

export function sum(counts: Counts): number {
  let s = 0;
  for (const n of counts.values()) s += n;
  return s;
}

/** Lower is worse for eval scores; higher is worse for every rate, latency, cost and shift. */
export function defaultComparator(metric: MonitorMetric): Comparator {
  return metric === "eval_score" ? "lt" : "gt";
}

export function breaches(value: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case "gt":
      return value > threshold;
    case "gte":
      return value >= threshold;
    case "lt":
      return value < threshold;
    case "lte":
      return value <= threshold;
  }
}

export const COMPARATOR_SYMBOL: Record<Comparator, string> = {
  gt: ">",
  gte: "≥",
  lt: "<",
  lte: "≤",
};

/** Metrics compared with the distribution frozen when the serving version was promoted. */
export function needsBaseline(metric: MonitorMetric): boolean {
  return metric === "tool_psi" || metric === "intent_psi" || metric === "unseen_tool_share";
}

/**
 * The window a breach belongs to, for the one-retrain-per-Model-and-window key: checks that
 * fire twice (or every minute) within one window share it.
 */
export function windowBucketStart(at: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(at.getTime() / ms) * ms);
}
