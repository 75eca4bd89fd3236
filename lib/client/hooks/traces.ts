import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { traceDetailSchema, tracesPageSchema, type TracesQuery } from "@/lib/schemas/traces";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** Traces per "Load more". */
export const TRACES_PAGE = 50;

export type TraceFilters = Omit<TracesQuery, "cursor" | "limit">;

/** Under queryKeys.teamScope, so a team switch resets them. */
export const traceKeys = {
  all: [...queryKeys.teamScope, "traces"] as const,
  list: (filters: TraceFilters) => [...queryKeys.teamScope, "traces", "list", filters] as const,
  detail: (id: string) => [...queryKeys.teamScope, "traces", "detail", id] as const,
};

export function tracesUrl(filters: TraceFilters, cursor?: string, limit = TRACES_PAGE): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, String(v));
  if (cursor) params.set("cursor", cursor);
  params.set("limit", String(limit));
  return `/api/v1/traces?${params}`;
}

/** Traces newest first, a page at a time (keyset cursor from the previous page). */
export function useTraces(filters: TraceFilters) {
  return useInfiniteQuery({
    queryKey: traceKeys.list(filters),
    queryFn: ({ pageParam }) => apiFetch(tracesUrl(filters, pageParam), tracesPageSchema),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useTrace(id: string) {
  return useQuery({
    queryKey: traceKeys.detail(id),
    queryFn: () => apiFetch(`/api/v1/traces/${encodeURIComponent(id)}`, traceDetailSchema),
  });
}
