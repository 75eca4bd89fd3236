import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { modelEconomicsSchema } from "@/lib/schemas/model-economics";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** Costs move by the day, not the second: a panel left open refreshes every few minutes. */
export const ECONOMICS_POLL_MS = 5 * 60_000;

export const modelEconomicsKeys = {
  model: (model: string, days: number) => [...queryKeys.models, "economics", model, days] as const,
};

export const modelEconomicsUrl = (model: string, days: number) =>
  `/api/v1/models/${encodeURIComponent(model)}/economics?days=${days}`;

/** A Model's live economics over the last `days` UTC days (GET /models/{id}/economics). */
export function useModelEconomics(model: string, days: number) {
  return useQuery({
    queryKey: modelEconomicsKeys.model(model, days),
    queryFn: () => apiFetch(modelEconomicsUrl(model, days), modelEconomicsSchema),
    // Switching windows keeps the old figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: ECONOMICS_POLL_MS,
  });
}
