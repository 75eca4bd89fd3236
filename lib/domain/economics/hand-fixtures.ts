/**
 * Hand-sized inputs for the economics tests: round prices whose results can be checked with a
 * pencil. Not used by production code.
 */
import {
  plannerInputSchema,
  type FrontierPrice,
  type PlannerInput,
  type ServingPrice,
} from "@/lib/schemas/economics";

// A hand-sized world: $5 / $20 per MTok, and a $2/h GPU doing 1,000 tok/s at 50% utilisation.
export const FRONTIER: FrontierPrice = {
  kind: "frontier",
  id: "test/frontier",
  provider: "Test",
  model: "Frontier",
  inputUsdPerMTok: 5,
  outputUsdPerMTok: 20,
  asOf: "2025-01-01",
  source: "test",
};
export const SERVING: ServingPrice = {
  kind: "self_hosted",
  id: "test/gpu",
  label: "Small on test GPU",
  gpuType: "T-1",
  usdPerGpuHour: 2,
  gpusPerReplica: 1,
  replicas: 1,
  throughputTokensPerSec: 1_000,
  throughputBasis: "configured",
  utilisation: 0.5,
  asOf: "2025-01-01",
  source: "test",
};
export const TOKENS = { input: 800, output: 100 };

/** 1M calls of 900 tokens; 75% routine; escalations 1.5× as long; quarterly $6,200 re-tunes. */
export function handInput(over: Record<string, unknown> = {}): PlannerInput {
  return plannerInputSchema.parse({
    invocationsPerMonth: 1_000_000,
    tokensPerCall: TOKENS,
    routineShare: 0.75,
    escalatedTokenFactor: 1.5,
    smallAttemptOnEscalated: 1,
    frontier: FRONTIER,
    serving: SERVING,
    retune: {
      cadence: "quarterly",
      trainingUsdPerTune: 900,
      evalUsdPerTune: 300,
      engineerWeeksPerTune: 1,
    },
    project: { engineers: 1, weeks: 1, loadedUsdPerEngineerWeek: 5_000, computeUsd: 0 },
    horizonMonths: 12,
    ...over,
  });
}
