import type { CaseOutput, RunMetrics, Scorer, TokenPrices } from "@/lib/schemas/eval-metrics";

/**
 * Nearest-rank percentile of ascending `sorted` values: the value at rank ⌈p/100 · n⌉ (1-based).
 * Always an observed value, never an interpolation, so "p95 = 812 ms" is a latency some call
 * really had; for n < 20, p95 is the maximum. Undefined for an empty list.
 */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The run-level metrics of the enabled scorers: "latency" gives latency_p50_ms and
 * latency_p95_ms; "cost" gives prompt_tokens_per_call, completion_tokens_per_call (means) and,
 * when prices are known, cost_per_1k_usd (mean cost of a call × 1000, over calls that report
 * both token counts). Outputs with a null measurement are skipped for that metric; a metric
 * with nothing to average is absent.
 */
export function computeRunMetrics(
  outputs: readonly CaseOutput[],
  scorers: readonly Scorer[],
  prices: TokenPrices | null,
): RunMetrics {
  const out: RunMetrics = {};
  if (scorers.includes("latency")) {
    const latencies = outputs
      .map((o) => o.latencyMs)
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    set(out, "latency_p50_ms", nearestRank(latencies, 50));
    set(out, "latency_p95_ms", nearestRank(latencies, 95));
  }
  if (scorers.includes("cost")) {
    set(out, "prompt_tokens_per_call", mean(present(outputs.map((o) => o.promptTokens))));
    set(out, "completion_tokens_per_call", mean(present(outputs.map((o) => o.completionTokens))));
    if (prices) {
      const costs: number[] = [];
      for (const o of outputs) {
        if (o.promptTokens === null || o.completionTokens === null) continue;
        costs.push(
          (o.promptTokens * prices.inputPerMTok + o.completionTokens * prices.outputPerMTok) / 1e6,
        );
      }
      const perCall = mean(costs);
      set(out, "cost_per_1k_usd", perCall === undefined ? undefined : perCall * 1000);
    }
  }
  return out;
}

function present(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

function set(out: RunMetrics, key: keyof RunMetrics, value: number | undefined): void {
  if (value !== undefined) out[key] = value;
}
