import { z } from "zod";
import { plannerInputSchema, projectShapeSchema, workedCaseExplanationSchema } from "./economics";
import { priceListOriginSchema } from "./price-list";

/**
 * GET /api/v1/economics/presets: what the planner starts from — the seed's project shapes and
 * its worked case (a B2B support agent), as planner input priced with the team's list, with the
 * explanation of how its reported figures compare with that input.
 */
export const economicsPresetsSchema = z.strictObject({
  projectShapes: z.array(projectShapeSchema),
  /** The loaded cost of an engineer-week the shapes' efforts are priced with (an assumption). */
  loadedUsdPerEngineerWeek: z.number().finite().min(0),
  workedCase: z.strictObject({
    title: z.string(),
    tools: z.number().int().min(0),
    invocationsPerDay: z.number().min(0),
    daysPerMonth: z.number().min(0),
    smallModel: z.string(),
    trainingExamples: z.number().int().min(0),
    trainingData: z.string(),
    reported: z.strictObject({
      hybridMonthlyUsd: z.number().min(0),
      frontierOnlyMonthlyUsd: z.number().min(0),
    }),
    input: plannerInputSchema,
    /**
     * Where the input's prices come from: the team's entry with the preset's id when the list
     * has one ("team"), else retune's seeded list price ("seed").
     */
    priceOrigins: z.strictObject({
      frontier: priceListOriginSchema,
      serving: priceListOriginSchema,
    }),
    explanation: workedCaseExplanationSchema,
  }),
});
export type EconomicsPresets = z.infer<typeof economicsPresetsSchema>;
