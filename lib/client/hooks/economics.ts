import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { economicsPresetsSchema } from "@/lib/schemas/economics-presets";
import {
  teamPriceListSchema,
  type PutPriceListBody,
  type TeamPriceList,
} from "@/lib/schemas/price-list";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** Team data (the presets are priced with the team's list), so under the team scope. */
export const economicsKeys = {
  prices: [...queryKeys.teamScope, "economics", "prices"] as const,
  presets: [...queryKeys.teamScope, "economics", "presets"] as const,
};

/** The team's price list, or the dated seed while it has none (`origin: "seed"`). */
export function useTeamPrices() {
  return useQuery({
    queryKey: economicsKeys.prices,
    queryFn: () => apiFetch("/api/v1/economics/prices", teamPriceListSchema),
  });
}

/** Project shapes and the worked case, priced with the team's list. */
export function useEconomicsPresets() {
  return useQuery({
    queryKey: economicsKeys.presets,
    queryFn: () => apiFetch("/api/v1/economics/presets", economicsPresetsSchema),
  });
}

/** A write answers the new list: it replaces the cached one, and the presets are re-priced. */
function usePriceListWrite<V>(mutationFn: (v: V) => Promise<TeamPriceList>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (list) => {
      qc.setQueryData(economicsKeys.prices, list);
      void qc.invalidateQueries({ queryKey: economicsKeys.presets });
    },
  });
}

/** PUT /economics/prices: the whole list (resource.write). */
export function usePutTeamPrices() {
  return usePriceListWrite((body: PutPriceListBody) =>
    apiFetch("/api/v1/economics/prices", teamPriceListSchema, { method: "PUT", json: body }),
  );
}

/** DELETE /economics/prices: back to the seeded list prices. */
export function useResetTeamPrices() {
  return usePriceListWrite(() =>
    apiFetch("/api/v1/economics/prices", teamPriceListSchema, { method: "DELETE" }),
  );
}
