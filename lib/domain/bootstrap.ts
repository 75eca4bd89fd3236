import { mulberry32 } from "./prng";

/** Fixed so a stored gate decision can be recomputed to the same interval. */
export const DEFAULT_BOOTSTRAP_SEED = 0x5eed;

export type BootstrapInterval = {
  /** Mean of the observed differences (not of the resamples). */
  mean: number;
  lower: number;
  upper: number;
  confidence: number;
  /** Number of paired cases. */
  n: number;
};

/**
 * Paired bootstrap percentile CI of the mean of `candidate[i] - production[i]`. Pairing by case
 * removes the between-case variance (easy cases are easy for both), so small real improvements
 * show up; resampling keeps a tiny eval set from looking conclusive. Returns null when there
 * are no pairs. Arrays must be equally long: the caller pairs them by case index.
 */
export function pairedBootstrapCI(input: {
  candidate: readonly number[];
  production: readonly number[];
  confidence?: number;
  resamples?: number;
  seed?: number;
}): BootstrapInterval | null {
  const { candidate, production } = input;
  if (candidate.length !== production.length)
    throw new Error(`paired samples differ in length: ${candidate.length} vs ${production.length}`);
  const confidence = input.confidence ?? 0.95;
  const resamples = input.resamples ?? 2000;
  const n = candidate.length;
  if (n === 0) return null;

  const diffs = candidate.map((c, i) => c - (production[i] as number));
  const mean = diffs.reduce((s, d) => s + d, 0) / n;
  const random = mulberry32(input.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += diffs[Math.floor(random() * n)] as number;
    means[r] = sum / n;
  }
  means.sort();
  const alpha = 1 - confidence;
  return {
    mean,
    lower: quantile(means, alpha / 2),
    upper: quantile(means, 1 - alpha / 2),
    confidence,
    n,
  };
}

/** Linear interpolation between order statistics (R's type 7, numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}
