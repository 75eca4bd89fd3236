/**
 * Log-spaced latency buckets, so per-minute rollups can answer p95 over any window by summing
 * counts. Bucket b holds [GROWTH^b - 1, GROWTH^(b+1) - 1) ms; with GROWTH 1.1 a quantile read at
 * a bucket's geometric middle is within ~5% of the exact value. The SQL in
 * lib/server/telemetry/ingest.ts computes the same index; keep the two in step.
 */
export const LATENCY_GROWTH = 1.1;

export function latencyBucket(ms: number): number {
  return Math.floor(Math.log(ms + 1) / Math.log(LATENCY_GROWTH));
}

function bucketMiddle(b: number): number {
  return Math.pow(LATENCY_GROWTH, b + 0.5) - 1;
}

/** The q-quantile (0..1) of the histogram { bucket: count }; null when it is empty. */
export function quantileFromBuckets(
  buckets: ReadonlyMap<number, number>,
  q: number,
): number | null {
  const sorted = [...buckets.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, c]) => s + c, 0);
  if (total === 0) return null;
  // Nearest-rank: the smallest value with at least q of the samples at or below it.
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [b, c] of sorted) {
    seen += c;
    if (seen >= rank) return Math.max(0, bucketMiddle(b));
  }
  return Math.max(0, bucketMiddle(sorted[sorted.length - 1]![0]));
}
