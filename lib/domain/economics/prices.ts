/**
 * The seeded price list: dated public list prices a team starts from and then edits. Frontier
 * prices are the providers' published per-million-token list prices (no batch, caching or
 * volume discounts). GPU prices are on-demand list prices of a single-GPU rental; the serving
 * throughput next to them is an assumption for Llama 3.1 8B (bf16, vLLM, agent calls of ~2.5K
 * prompt + ~0.3K generated tokens) and is marked "configured" until a team measures its own.
 */
import {
  priceListSchema,
  type FrontierPrice,
  type PriceList,
  type ServingPrice,
} from "@/lib/schemas/economics";

const THROUGHPUT_NOTE =
  "Throughput: a planning assumption for Llama 3.1 8B, not a measurement; replace it with vLLM " +
  "benchmark_serving's 'Total Token throughput' on your own prompts.";

const frontier: FrontierPrice[] = [
  {
    kind: "frontier",
    id: "anthropic/claude-3-5-sonnet",
    provider: "Anthropic",
    model: "Claude 3.5 Sonnet",
    inputUsdPerMTok: 3,
    outputUsdPerMTok: 15,
    asOf: "2024-06-20",
    source:
      "Anthropic's Claude 3.5 Sonnet announcement (anthropic.com/news/claude-3-5-sonnet): $3 / MTok " +
      "input, $15 / MTok output; still listed at that price (as deprecated) on " +
      "docs.anthropic.com/en/docs/about-claude/pricing in 2025.",
  },
  {
    kind: "frontier",
    id: "anthropic/claude-3-5-haiku",
    provider: "Anthropic",
    model: "Claude 3.5 Haiku",
    inputUsdPerMTok: 0.8,
    outputUsdPerMTok: 4,
    asOf: "2025-08-01",
    source:
      "docs.anthropic.com/en/docs/about-claude/pricing lists Claude Haiku 3.5 at $0.80 / $4 per " +
      "MTok; it launched (2024-11-04) at $1 / $5. The as-of day is approximate (the page as read " +
      "in 2025).",
  },
  {
    kind: "frontier",
    id: "anthropic/claude-3-haiku",
    provider: "Anthropic",
    model: "Claude 3 Haiku",
    inputUsdPerMTok: 0.25,
    outputUsdPerMTok: 1.25,
    asOf: "2024-03-13",
    source:
      "Anthropic's Claude 3 Haiku launch (2024-03-13): $0.25 / $1.25 per MTok; unchanged on the " +
      "pricing page in 2025.",
  },
  {
    kind: "frontier",
    id: "openai/gpt-4o",
    provider: "OpenAI",
    model: "GPT-4o (gpt-4o-2024-08-06)",
    inputUsdPerMTok: 2.5,
    outputUsdPerMTok: 10,
    asOf: "2024-08-06",
    source:
      "openai.com/api/pricing for gpt-4o-2024-08-06: $2.50 / $10 per MTok (the earlier " +
      "gpt-4o-2024-05-13 snapshot was $5 / $15).",
  },
  {
    kind: "frontier",
    id: "openai/gpt-4o-mini",
    provider: "OpenAI",
    model: "GPT-4o mini",
    inputUsdPerMTok: 0.15,
    outputUsdPerMTok: 0.6,
    asOf: "2024-07-18",
    source:
      "OpenAI's 'GPT-4o mini: advancing cost-efficient intelligence' (2024-07-18): $0.15 / $0.60 " +
      "per MTok.",
  },
];

const serving: ServingPrice[] = [
  {
    kind: "self_hosted",
    id: "llama-3.1-8b/a10g",
    label: "Llama 3.1 8B on 1× A10G (AWS g5.xlarge)",
    gpuType: "A10G-24GB",
    usdPerGpuHour: 1.006,
    gpusPerReplica: 1,
    replicas: 1,
    throughputTokensPerSec: 2_500,
    throughputBasis: "configured",
    utilisation: 0.5,
    asOf: "2024-06-01",
    source:
      "AWS EC2 on-demand, us-east-1, Linux: g5.xlarge (1× A10G) $1.006/h, the list price since the " +
      `g5 launch. ${THROUGHPUT_NOTE}`,
  },
  {
    kind: "self_hosted",
    id: "llama-3.1-8b/l4",
    label: "Llama 3.1 8B on 1× L4 (AWS g6.xlarge)",
    gpuType: "L4-24GB",
    usdPerGpuHour: 0.8048,
    gpusPerReplica: 1,
    replicas: 1,
    throughputTokensPerSec: 2_000,
    throughputBasis: "configured",
    utilisation: 0.5,
    asOf: "2024-06-01",
    source:
      "AWS EC2 on-demand, us-east-1, Linux: g6.xlarge (1× L4) $0.8048/h — quoted from the AWS " +
      `price list as remembered, not re-verified; check before relying on it. ${THROUGHPUT_NOTE}`,
  },
  {
    kind: "self_hosted",
    id: "llama-3.1-8b/a100-80gb",
    label: "Llama 3.1 8B on 1× A100 80GB (Lambda)",
    gpuType: "A100-80GB",
    usdPerGpuHour: 1.79,
    gpusPerReplica: 1,
    replicas: 1,
    throughputTokensPerSec: 8_000,
    throughputBasis: "configured",
    utilisation: 0.5,
    asOf: "2024-06-01",
    source:
      "Lambda on-demand A100 SXM 80GB, $1.79 per GPU-hour (2024 list, not re-verified); " +
      "third-party surveys put on-demand A100 80GB at $1.49–2.49/h in 2026, hyperscalers higher " +
      `(AWS p4de.24xlarge ≈ $5.12 per GPU-hour). ${THROUGHPUT_NOTE}`,
  },
  {
    kind: "self_hosted",
    id: "llama-3.1-8b/h100",
    label: "Llama 3.1 8B on 1× H100 (Lambda)",
    gpuType: "H100-80GB",
    usdPerGpuHour: 2.49,
    gpusPerReplica: 1,
    replicas: 1,
    throughputTokensPerSec: 16_000,
    throughputBasis: "configured",
    utilisation: 0.5,
    asOf: "2024-06-01",
    source:
      "Lambda on-demand 1× H100 PCIe, $2.49/h; hyperscalers charge far more per GPU (AWS " +
      `p5.48xlarge $98.32/h for 8, ≈ $12.29 per GPU-hour, before its 2025 price cut). ${THROUGHPUT_NOTE}`,
  },
];

/** Parsed once, so a typo in the seed fails the unit tests rather than a page. */
export const SEED_PRICES: PriceList = priceListSchema.parse([...frontier, ...serving]);

export function findPrice<K extends "frontier" | "self_hosted">(
  list: PriceList,
  kind: K,
  id: string,
): Extract<PriceList[number], { kind: K }> | undefined {
  return list.find(
    (p): p is Extract<PriceList[number], { kind: K }> => p.kind === kind && p.id === id,
  );
}

/** A seeded price the code relies on (presets); throws when the seed lost it. */
export function seedPrice<K extends "frontier" | "self_hosted">(
  kind: K,
  id: string,
): Extract<PriceList[number], { kind: K }> {
  const p = findPrice(SEED_PRICES, kind, id);
  if (!p) throw new Error(`seed price ${kind}/${id} is missing`);
  return p;
}
