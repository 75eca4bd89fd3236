import {
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { z } from "zod";
import {
  datasetSchema,
  datasetVersionSchema,
  rowsPageSchema,
  type CreateDatasetBody,
  type DatasetVersion,
  type UploadQuery,
  datasetDetailSchema,
  uploadAcceptedSchema,
  type UploadAccepted,
} from "@/lib/schemas/datasets";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { uploadContentType, uploadFile, type UploadProgress } from "../upload";

/**
 * Dataset query keys. They start with queryKeys.teamScope ("team"), so switching teams resets
 * them with every other team query.
 */
export const datasetKeys = {
  all: [...queryKeys.teamScope, "datasets"] as const,
  list: [...queryKeys.teamScope, "datasets", "list"] as const,
  detail: (id: string) => [...queryKeys.teamScope, "datasets", "detail", id] as const,
  version: (id: string) => [...queryKeys.teamScope, "datasets", "version", id] as const,
  rows: (id: string, page: RowsPage) =>
    [...queryKeys.teamScope, "datasets", "version", id, "rows", page] as const,
};

/** How often a VALIDATING version is re-read. */
export const VALIDATION_POLL_MS = 1_000;

const enc = encodeURIComponent;

/**
 * The team's datasets, or those whose name or description contains `q` (searched by the server);
 * re-read every second while a latest version is still validating.
 */
export function useDatasets(q?: string) {
  return useQuery({
    // Under datasetKeys.list, so invalidating the list refreshes every search of it too.
    queryKey: q ? [...datasetKeys.list, { q }] : datasetKeys.list,
    queryFn: () =>
      apiFetch(q ? `/api/v1/datasets?q=${enc(q)}` : "/api/v1/datasets", z.array(datasetSchema)),
    // A new search keeps the rows shown until its answer arrives (no flash of the loading state).
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.some((d) => d.latestVersion?.status === "VALIDATING")
        ? VALIDATION_POLL_MS
        : false,
  });
}

function fetchVersion(id: string) {
  return apiFetch(`/api/v1/dataset-versions/${enc(id)}`, datasetVersionSchema);
}

/**
 * Stats of finished versions, keyed by version id, for lists (the list endpoint carries no
 * stats). A READY or INVALID version never changes, so each is fetched once per page life and
 * shared with the version page's cache.
 */
export function useFinishedVersionStats(versionIds: readonly string[]) {
  return useQueries({
    queries: versionIds.map((id) => ({
      queryKey: datasetKeys.version(id),
      queryFn: () => fetchVersion(id),
      staleTime: Infinity,
    })),
    combine: (results) => {
      const byId = new Map<string, DatasetVersion["stats"]>();
      results.forEach((r, i) => {
        if (r.data) byId.set(versionIds[i]!, r.data.stats);
      });
      return { byId, pending: results.some((r) => r.isPending) };
    },
  });
}

/** The dataset and its versions; re-read every second while any version is still validating. */
export function useDataset(id: string) {
  return useQuery({
    queryKey: datasetKeys.detail(id),
    queryFn: () => apiFetch(`/api/v1/datasets/${enc(id)}`, datasetDetailSchema),
    refetchInterval: (q) =>
      q.state.data?.versions.some((v) => v.status === "VALIDATING") ? VALIDATION_POLL_MS : false,
  });
}

export function useCreateDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDatasetBody) =>
      apiFetch("/api/v1/datasets", datasetSchema, { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: datasetKeys.list }),
  });
}

/** One version with its stats and report; polled every second while it is VALIDATING. */
export function useDatasetVersion(id: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: datasetKeys.version(id),
    queryFn: async () => {
      const v = await fetchVersion(id);
      if (v.status !== "VALIDATING") {
        // Validation just finished: the lists showing this version's status are stale now.
        const cached = qc.getQueryData<DatasetVersion>(datasetKeys.version(id));
        if (cached?.status === "VALIDATING") void invalidateDatasetLists(qc, v.datasetId);
      }
      return v;
    },
    refetchInterval: (q) => (q.state.data?.status === "VALIDATING" ? VALIDATION_POLL_MS : false),
  });
}

/** Where a preview page starts: a file line (a finding's) or an offset from the server. */
export type RowsPage = {
  offset?: number;
  line?: number;
  q?: string;
  limit: number;
};

export function rowsUrl(versionId: string, page: RowsPage): string {
  const params = new URLSearchParams({ limit: String(page.limit) });
  if (page.line !== undefined) params.set("line", String(page.line));
  else params.set("offset", String(page.offset ?? 0));
  if (page.q) params.set("q", page.q);
  return `/api/v1/dataset-versions/${enc(versionId)}/rows?${params}`;
}

/** A page of rows with their findings; the previous page stays on screen while the next loads. */
export function useVersionRows(versionId: string, page: RowsPage, { enabled = true } = {}) {
  return useQuery({
    queryKey: datasetKeys.rows(versionId, page),
    queryFn: () => apiFetch(rowsUrl(versionId, page), rowsPageSchema),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function invalidateDatasetLists(qc: QueryClient, datasetId: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: datasetKeys.list }),
    qc.invalidateQueries({ queryKey: datasetKeys.detail(datasetId) }),
  ]);
}

export type UploadVariables = {
  file: File;
  query: Partial<UploadQuery>;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
};

export function uploadUrl(datasetId: string, query: Partial<UploadQuery>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== "") params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1/datasets/${enc(datasetId)}/versions${qs ? `?${qs}` : ""}`;
}

/** Uploads a file as a new version (streamed from disk, with progress); abort with `signal`. */
export function useUploadVersion(datasetId: string) {
  const qc = useQueryClient();
  return useMutation<UploadAccepted, Error, UploadVariables>({
    mutationFn: ({ file, query, onProgress, signal }) =>
      uploadFile({
        url: uploadUrl(datasetId, query),
        file,
        contentType: uploadContentType(file.name),
        schema: uploadAcceptedSchema,
        onProgress,
        signal,
      }),
    onSuccess: () => invalidateDatasetLists(qc, datasetId),
  });
}

/** Creates a new version holding only the valid rows of an INVALID version. */
export function useCleanVersion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (version: Pick<DatasetVersion, "id" | "datasetId">) =>
      apiFetch(`/api/v1/dataset-versions/${enc(version.id)}/clean`, uploadAcceptedSchema, {
        method: "POST",
      }),
    onSuccess: (_data, version) => invalidateDatasetLists(qc, version.datasetId),
  });
}

export function downloadUrl(versionId: string, { validOnly = false } = {}): string {
  return `/api/v1/dataset-versions/${enc(versionId)}/download${validOnly ? "?valid=true" : ""}`;
}
