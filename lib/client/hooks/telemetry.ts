import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { telemetryStorageSchema, telemetrySummarySchema } from "@/lib/schemas/telemetry";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

const enc = encodeURIComponent;

/** Production keeps posting: a summary left open on the Model page refreshes itself. */
export const TELEMETRY_POLL_MS = 30_000;

export const telemetryKeys = {
  summary: (model: string, window: string) =>
    [...queryKeys.teamScope, "telemetry", "summary", model, window] as const,
  storage: [...queryKeys.teamScope, "telemetry", "storage"] as const,
};

export function telemetrySummaryUrl(model: string, window: string): string {
  return `/api/v1/telemetry/summary?model=${enc(model)}&window=${enc(window)}`;
}

/** Rates, latency, cost, top tools and a series for charts over one window of a Model's telemetry. */
export function useTelemetrySummary(model: string, window: string) {
  return useQuery({
    queryKey: telemetryKeys.summary(model, window),
    queryFn: () => apiFetch(telemetrySummaryUrl(model, window), telemetrySummarySchema),
    // Switching windows keeps the old charts on screen until the new ones arrive.
    placeholderData: keepPreviousData,
    refetchInterval: TELEMETRY_POLL_MS,
  });
}

/** Rows, bytes and oldest day of events, rollups and traces: the status page, every 30 s. */
export function useTelemetryStorage() {
  return useQuery({
    queryKey: telemetryKeys.storage,
    queryFn: () => apiFetch("/api/v1/telemetry/storage", telemetryStorageSchema),
    refetchInterval: TELEMETRY_POLL_MS,
    refetchIntervalInBackground: false,
  });
}
