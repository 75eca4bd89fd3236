/**
 * The "should we fine-tune?" planner over HTTP: the maths is pure (lib/domain/economics), so
 * what this adds is who may ask and which prices the presets start from — the team's own entry
 * where its list has one with the preset's id, else the seeded list price, and the answer says
 * which (every figure names its prices and their asOf days through `pricesUsed`).
 */
import { planEconomics } from "@/lib/domain/economics/planner";
import {
  DEFAULT_LOADED_USD_PER_ENGINEER_WEEK,
  PROJECT_SHAPES,
  WORKED_CASE,
  workedCasePlannerInput,
} from "@/lib/domain/economics/presets";
import { findPrice } from "@/lib/domain/economics/prices";
import { explainWorkedCase } from "@/lib/domain/economics/worked-case";
import {
  plannerInputSchema,
  type PlannerInputBody,
  type PlannerResult,
} from "@/lib/schemas/economics";
import type { EconomicsPresets } from "@/lib/schemas/economics-presets";
import { authorize } from "@/lib/server/core/authorize";
import type { Principal } from "@/lib/server/core/principal";
import { getTeamPriceList } from "./prices";

/** POST /economics/plan: the planner on the prices the body carries. */
export function planForTeam(p: Principal, body: PlannerInputBody): PlannerResult {
  authorize(p, "team.read");
  return planEconomics(plannerInputSchema.parse(body));
}

/** GET /economics/presets: the project shapes, and the worked case priced with the team's list. */
export async function economicsPresets(p: Principal): Promise<EconomicsPresets> {
  authorize(p, "team.read");
  const team = await getTeamPriceList(p);
  const list = team.entries.map((e) => e.price);
  const preset = workedCasePlannerInput();
  const frontier = findPrice(list, "frontier", WORKED_CASE.frontierPriceId);
  const serving = findPrice(list, "self_hosted", WORKED_CASE.servingPriceId);
  // A list that is still the seed holds the preset's own prices: they are the seed's.
  const origin = (found: unknown) => (found && team.origin === "team" ? "team" : "seed");
  const input = plannerInputSchema.parse({
    ...preset,
    frontier: frontier ?? preset.frontier,
    serving: serving ?? preset.serving,
  });
  return {
    projectShapes: [...PROJECT_SHAPES],
    loadedUsdPerEngineerWeek: DEFAULT_LOADED_USD_PER_ENGINEER_WEEK,
    workedCase: {
      title: WORKED_CASE.title,
      tools: WORKED_CASE.tools,
      invocationsPerDay: WORKED_CASE.invocationsPerDay,
      daysPerMonth: WORKED_CASE.daysPerMonth,
      smallModel: WORKED_CASE.smallModel,
      trainingExamples: WORKED_CASE.trainingExamples,
      trainingData: WORKED_CASE.trainingData,
      reported: { ...WORKED_CASE.reported },
      input,
      priceOrigins: { frontier: origin(frontier), serving: origin(serving) },
      explanation: explainWorkedCase(input),
    },
  };
}
