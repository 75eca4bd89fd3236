import { putPriceListBodySchema } from "@/lib/schemas/price-list";
import { readJson, teamRoute } from "@/lib/server/core/http";
import {
  getTeamPriceList,
  putTeamPriceList,
  resetTeamPriceList,
} from "@/lib/server/economics/prices";

/** The team's price list, or retune's dated seed prices while it has none (`origin: "seed"`). */
export const GET = teamRoute("team.read", async (p) => getTeamPriceList(p));

/** Replaces the whole list (`{ entries }`, each with its asOf and source). */
export const PUT = teamRoute("resource.write", async (p, req) =>
  putTeamPriceList(p, await readJson(req, putPriceListBodySchema)),
);

/** Back to the seeded list prices. */
export const DELETE = teamRoute("resource.write", async (p) => resetTeamPriceList(p));
