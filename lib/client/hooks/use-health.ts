import { useQuery } from "@tanstack/react-query";
import { healthSchema } from "@/lib/schemas/health";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

export const HEALTH_REFRESH_MS = 5_000;

/** Database, Redis, queue depths and live workers, refreshed every 5 s. */
export function useHealth() {
  return useQuery({
    queryKey: queryKeys.health,
    // A degraded system answers 503 with the same body: that is data to show, not an error.
    queryFn: () => apiFetch("/api/v1/health", healthSchema, { acceptStatuses: [503] }),
    refetchInterval: HEALTH_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
}
