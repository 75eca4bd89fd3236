import {
  adviceSchema,
  advisorInputSchema,
  plannerInputSchema,
  plannerResultSchema,
} from "@/lib/schemas/economics";
import { economicsPresetsSchema } from "@/lib/schemas/economics-presets";
import { putPriceListBodySchema, teamPriceListSchema } from "@/lib/schemas/price-list";
import type { Operation } from "./spec";

/** The team's price list, the planner and the advisor (lib/server/economics). */
export const economicsOperations: Operation[] = [
  {
    id: "getPriceList",
    method: "get",
    path: "/api/v1/economics/prices",
    tag: "Economics",
    summary: "The team's price list, or retune's dated seed prices while it has none",
    description: '`origin: "seed"` until the team saves a list of its own.',
    auth: { action: "team.read" },
    responses: { 200: teamPriceListSchema },
  },
  {
    id: "putPriceList",
    method: "put",
    path: "/api/v1/economics/prices",
    tag: "Economics",
    summary: "Replace the whole price list",
    description:
      "Each entry carries its `asOf` day and source; an unchanged entry keeps its `updatedAt`. The list needs at least one frontier and one self-hosted price.",
    auth: { action: "resource.write" },
    body: putPriceListBodySchema,
    responses: { 200: teamPriceListSchema },
  },
  {
    id: "resetPriceList",
    method: "delete",
    path: "/api/v1/economics/prices",
    tag: "Economics",
    summary: "Go back to the seed prices",
    auth: { action: "resource.write" },
    responses: { 200: teamPriceListSchema },
  },
  {
    id: "planEconomics",
    method: "post",
    path: "/api/v1/economics/plan",
    tag: "Economics",
    summary: "The planner: monthly cost hybrid vs frontier-only, payback, break-even, sensitivity",
    description: "Runs on the prices the body carries; the answer lists the prices it used.",
    auth: { action: "team.read" },
    body: plannerInputSchema,
    responses: { 200: plannerResultSchema },
  },
  {
    id: "adviseEconomics",
    method: "post",
    path: "/api/v1/economics/advise",
    tag: "Economics",
    summary: "The advisor: the situations checked (and a plan) → one recommendation and warnings",
    auth: { action: "team.read" },
    body: advisorInputSchema,
    responses: { 200: adviceSchema },
  },
  {
    id: "getEconomicsPresets",
    method: "get",
    path: "/api/v1/economics/presets",
    tag: "Economics",
    summary: "Project shapes and the worked case, priced with the team's list",
    auth: { action: "team.read" },
    responses: { 200: economicsPresetsSchema },
  },
];
