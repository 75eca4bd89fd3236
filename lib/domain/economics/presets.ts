/**
 * Presets for the planner: the seed's project shapes (effort, compute, timeline) and its worked
 * case, a B2B support agent. The shapes' ranges are the seed's; what is not in the seed (the
 * loaded cost of an engineer-week, re-tune spend, tokens per call) is an assumption stated here.
 */
import {
  plannerInputSchema,
  type EffortPoint,
  type PlannerInput,
  type ProjectEffort,
  type ProjectShape,
  type ProjectShapeId,
} from "@/lib/schemas/economics";
import { seedPrice } from "./prices";

/**
 * ≈ $250K a year fully loaded (salary, benefits, overhead) over 50 working weeks: an assumption
 * for an ML engineer in the US. A team sets its own.
 */
export const DEFAULT_LOADED_USD_PER_ENGINEER_WEEK = 5_000;

export const PROJECT_SHAPES: readonly ProjectShape[] = [
  {
    id: "tool_call_format",
    label: "Tool-call format fine-tune",
    examples: "3–5K examples",
    engineers: { min: 1, max: 2 },
    computeUsd: { min: 200, max: 1_000 },
    weeks: { min: 4, max: 6 },
  },
  {
    id: "domain_reasoning",
    label: "Domain reasoning fine-tune",
    examples: "10K+ examples",
    engineers: { min: 2, max: 3 },
    computeUsd: { min: 1_000, max: 5_000 },
    weeks: { min: 8, max: 12 },
  },
  {
    id: "latency_critical",
    label: "Latency-critical small model",
    examples: "task-specific",
    engineers: { min: 2, max: 4 },
    computeUsd: { min: 300, max: 2_000 },
    weeks: { min: 8, max: 12 },
  },
  {
    id: "hybrid_system",
    label: "Hybrid agent system (small + frontier)",
    examples: "production traces of the routine calls",
    engineers: { min: 3, max: 5 },
    computeUsd: { min: 2_000, max: 10_000 },
    weeks: { min: 12, max: 16 },
  },
  {
    id: "multi_tenant",
    label: "Multi-tenant agent fine-tunes",
    examples: "per tenant",
    engineers: { min: 3, max: 5 },
    computeUsd: { min: 5_000, max: 25_000 },
    weeks: { min: 12, max: 20 },
  },
];

export function projectShape(id: ProjectShapeId): ProjectShape {
  const shape = PROJECT_SHAPES.find((s) => s.id === id);
  if (!shape) throw new Error(`unknown project shape ${id}`);
  return shape;
}

/** A shape's effort at the low end, the middle or the high end of every range. */
export function projectEffort(
  id: ProjectShapeId,
  at: EffortPoint = "mid",
  loadedUsdPerEngineerWeek = DEFAULT_LOADED_USD_PER_ENGINEER_WEEK,
): ProjectEffort {
  const shape = projectShape(id);
  const pick = (r: { min: number; max: number }) =>
    at === "low" ? r.min : at === "high" ? r.max : (r.min + r.max) / 2;
  return {
    engineers: pick(shape.engineers),
    weeks: pick(shape.weeks),
    loadedUsdPerEngineerWeek,
    computeUsd: pick(shape.computeUsd),
  };
}

/**
 * The seed's worked case, as reported. Tokens per call are not in the report: 2,500 input
 * (system prompt, 12 tool schemas, conversation) + 278 output (a tool call or a short answer)
 * is the pair chosen to give the reported frontier-only bill at Claude 3.5 Sonnet's list price:
 * 2,500 × $3/MTok + 278 × $15/MTok = $0.00750 + $0.00417 = $0.01167 a call; × 3M calls =
 * $35,010, within 0.03% of $35,000 (exactly $35,000 needs 277.8 output tokens on average).
 */
export const WORKED_CASE = {
  title: "B2B SaaS support agent",
  tools: 12,
  invocationsPerDay: 100_000,
  daysPerMonth: 30,
  routineShare: 0.8,
  smallModel: "Llama 3.1 8B, fine-tuned on tool-call format",
  frontierPriceId: "anthropic/claude-3-5-sonnet",
  servingPriceId: "llama-3.1-8b/a10g",
  trainingExamples: 8_000,
  trainingData: "production traces",
  tokensPerCall: { input: 2_500, output: 278 },
  reported: { hybridMonthlyUsd: 4_500, frontierOnlyMonthlyUsd: 35_000 },
} as const;

/**
 * The worked case as planner input. Assumptions beyond the report: confidence-based routing
 * (the small model answers every call first), escalated calls as long as average ones, the
 * seeded A10G serving figures, quarterly re-tunes of $300 training + $100 eval + one
 * engineer-week, and the "hybrid agent system" shape at mid-range effort.
 */
export function workedCasePlannerInput(): PlannerInput {
  return plannerInputSchema.parse({
    invocationsPerMonth: WORKED_CASE.invocationsPerDay * WORKED_CASE.daysPerMonth,
    tokensPerCall: WORKED_CASE.tokensPerCall,
    routineShare: WORKED_CASE.routineShare,
    escalatedTokenFactor: 1,
    smallAttemptOnEscalated: 1,
    frontier: seedPrice("frontier", WORKED_CASE.frontierPriceId),
    serving: seedPrice("self_hosted", WORKED_CASE.servingPriceId),
    retune: {
      cadence: "quarterly",
      trainingUsdPerTune: 300,
      evalUsdPerTune: 100,
      engineerWeeksPerTune: 1,
    },
    project: projectEffort("hybrid_system", "mid"),
    horizonMonths: 12,
  });
}
