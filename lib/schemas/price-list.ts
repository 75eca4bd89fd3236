import { z } from "zod";
import { isoDateSchema } from "./common";
import { priceEntrySchema, priceListSchema } from "./economics";

/**
 * A team's price list (GET / PUT / DELETE /api/v1/economics/prices). The entries themselves are
 * lib/schemas/economics `priceEntrySchema`, each with its own asOf and source; this file holds
 * only what the API adds around them.
 */

/**
 * "seed": the team never saved a list, so it prices with retune's dated list prices
 * (lib/domain/economics/prices.ts); "team": the list the team saved.
 */
export const PRICE_LIST_ORIGINS = ["seed", "team"] as const;
export const priceListOriginSchema = z.enum(PRICE_LIST_ORIGINS);
export type PriceListOrigin = z.infer<typeof priceListOriginSchema>;

export const teamPriceEntrySchema = z.strictObject({
  price: priceEntrySchema,
  /** When the team last changed this entry; null for a seeded entry the team never saved. */
  updatedAt: isoDateSchema.nullable(),
});
export type TeamPriceEntry = z.infer<typeof teamPriceEntrySchema>;

export const teamPriceListSchema = z.strictObject({
  origin: priceListOriginSchema,
  /** The latest change of any entry; null while the list is the seed. */
  updatedAt: isoDateSchema.nullable(),
  entries: z.array(teamPriceEntrySchema),
});
export type TeamPriceList = z.infer<typeof teamPriceListSchema>;

/**
 * PUT /economics/prices: the whole list, in the order it is shown. An entry's id is unique within
 * its kind (planner requests name entries by it), and the planner needs at least one frontier
 * price and one serving price, so a list without either is refused rather than stored.
 */
export const putPriceListBodySchema = z
  .strictObject({ entries: priceListSchema })
  .superRefine(({ entries }, ctx) => {
    const seen = new Map<string, number>();
    entries.forEach((e, i) => {
      const key = `${e.kind}/${e.id}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["entries", i, "id"],
          message: `"${e.id}" is already the id of ${e.kind} price entries.${first}; ids are unique within a kind`,
        });
      } else seen.set(key, i);
    });
    for (const kind of ["frontier", "self_hosted"] as const) {
      if (!entries.some((e) => e.kind === kind)) {
        ctx.addIssue({
          code: "custom",
          path: ["entries"],
          message: `the list needs at least one ${kind === "frontier" ? "frontier" : "self-hosted serving"} price (kind "${kind}"): the planner prices with both`,
        });
      }
    }
  });
export type PutPriceListBody = z.input<typeof putPriceListBodySchema>;
