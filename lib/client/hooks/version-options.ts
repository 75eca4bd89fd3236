import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  datasetVersionOptionsSchema,
  modelVersionOptionsSchema,
  type DatasetVersionOptionsQuery,
  type ModelVersionOptionsQuery,
} from "@/lib/schemas/version-options";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/**
 * The pickers' options (GET /api/v1/model-versions, GET /api/v1/dataset-versions): searched on
 * the server as the person types (the caller debounces `q`), the previous page kept on screen
 * while the next one loads so the list does not flicker.
 */
export const versionOptionKeys = {
  models: (q: ModelVersionOptionsQuery) => [...queryKeys.modelVersions, "options", q] as const,
  datasets: (q: DatasetVersionOptionsQuery) =>
    [...queryKeys.teamScope, "datasets", "version-options", q] as const,
};

function url(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function modelVersionOptionsUrl(q: ModelVersionOptionsQuery): string {
  return url("/api/v1/model-versions", q);
}

export function datasetVersionOptionsUrl(q: DatasetVersionOptionsQuery): string {
  return url("/api/v1/dataset-versions", q);
}

export function useModelVersionOptions(q: ModelVersionOptionsQuery, { enabled = true } = {}) {
  return useQuery({
    queryKey: versionOptionKeys.models(q),
    queryFn: () => apiFetch(modelVersionOptionsUrl(q), modelVersionOptionsSchema),
    select: (r) => r.versions,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDatasetVersionOptions(q: DatasetVersionOptionsQuery, { enabled = true } = {}) {
  return useQuery({
    queryKey: versionOptionKeys.datasets(q),
    queryFn: () => apiFetch(datasetVersionOptionsUrl(q), datasetVersionOptionsSchema),
    select: (r) => r.versions,
    placeholderData: keepPreviousData,
    enabled,
  });
}
