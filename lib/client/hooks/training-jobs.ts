import {
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { isInFlight } from "@/lib/domain/training-status";
import { useEffect, useRef } from "react";
import type { z } from "zod";
import {
  baseModelListSchema,
  executorInfoSchema,
  launchResponseSchema,
  logsResponseSchema,
  metricsResponseSchema,
  modelVersionSchema,
  trainingJobListSchema,
  trainingJobActionSchema,
  trainingJobSchema,
  type CreateTrainingJobBody,
  type TrainingJobSummary,
} from "@/lib/schemas/training-jobs";
import { trainingPreviewSchema } from "@/lib/schemas/training-preview";
import { datasetDetailSchema, datasetVersionSchema } from "@/lib/schemas/datasets";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { datasetKeys, VALIDATION_POLL_MS } from "./use-datasets";

/** How often active jobs, their metrics and logs are re-read. */
export const TRAINING_POLL_MS = 2_000;

export type TrainingJobFilters = {
  status?: string;
  /** A Model's exact name or id (a link's filter); `q` is the search box's substring. */
  model?: string;
  q?: string;
  trigger?: string;
  baseModel?: string;
};

export type MetricsCursor = { id: string; attempt: number };

/** Training query keys; under queryKeys.teamScope, so a team switch resets them. */
export const trainingJobKeys = {
  all: queryKeys.trainingJobs,
  list: (filters: TrainingJobFilters) => [...queryKeys.trainingJobs, "list", filters] as const,
  detail: (id: string) => [...queryKeys.trainingJobs, "detail", id] as const,
  /** Per attempt: a resumed attempt rewrites the steps after its checkpoint, so it starts over. */
  metrics: (id: string, attempt: number, name?: string) =>
    [...queryKeys.trainingJobs, "metrics", id, attempt, name ?? "*"] as const,
  logs: (id: string, attempt: number) => [...queryKeys.trainingJobs, "logs", id, attempt] as const,
  preview: (body: unknown) => [...queryKeys.trainingJobs, "preview", body] as const,
  modelVersion: (id: string) => [...queryKeys.modelVersions, id] as const,
};

const enc = encodeURIComponent;

/** Statuses that still change on their own: the console polls while a job is in one of them. */
export function isLiveStatus(status: TrainingJobSummary["status"]): boolean {
  return isInFlight(status);
}

export function trainingJobsUrl(filters: TrainingJobFilters): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const qs = params.toString();
  return `/api/v1/training-jobs${qs ? `?${qs}` : ""}`;
}

/** The team's jobs, newest first; re-read every 2 s while any of them is queued or running. */
export function useTrainingJobs(filters: TrainingJobFilters) {
  return useQuery({
    queryKey: trainingJobKeys.list(filters),
    queryFn: () => apiFetch(trainingJobsUrl(filters), trainingJobListSchema).then((r) => r.jobs),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.some((j) => isLiveStatus(j.status)) ? TRAINING_POLL_MS : false,
  });
}

function fetchJob(id: string) {
  return apiFetch(`/api/v1/training-jobs/${enc(id)}`, trainingJobSchema);
}

/** One job with its attempts, config and artifacts; polled every 2 s until it finishes. */
export function useTrainingJob(id: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: trainingJobKeys.detail(id),
    queryFn: async () => {
      const job = await fetchJob(id);
      const cached = qc.getQueryData<z.infer<typeof trainingJobSchema>>(trainingJobKeys.detail(id));
      // A status change makes the list's copy stale (filters by status, progress, cost).
      if (cached && cached.status !== job.status) {
        void qc.invalidateQueries({ queryKey: [...trainingJobKeys.all, "list"] });
      }
      return job;
    },
    refetchInterval: (q) =>
      q.state.data && isLiveStatus(q.state.data.status) ? TRAINING_POLL_MS : false,
  });
}

export type MetricPoint = z.infer<typeof metricsResponseSchema>["points"][number];

/** Accumulated metric points of one attempt, sorted by step; `maxStep` is -1 before any. */
export type MetricSeries = { points: MetricPoint[]; maxStep: number };

function mergePoints(prev: MetricPoint[], next: MetricPoint[]): MetricSeries {
  const byKey = new Map<string, MetricPoint>();
  for (const p of prev) byKey.set(`${p.name}\u0000${p.step}`, p);
  for (const p of next) byKey.set(`${p.name}\u0000${p.step}`, p);
  const points = [...byKey.values()].sort((a, b) => a.step - b.step);
  return { points, maxStep: points.reduce((m, p) => Math.max(m, p.step), -1) };
}

/**
 * Fetches only what is new since the last call. The cursor overlaps the last step by one: an
 * eval loss is logged at the same step as the training loss just before it (the trainer pauses
 * to evaluate), so it can arrive after that step was first read.
 */
async function fetchMetricsSince(
  qc: QueryClient,
  key: readonly unknown[],
  id: string,
  name?: string,
): Promise<MetricSeries> {
  const prev = qc.getQueryData<MetricSeries>(key);
  const params = new URLSearchParams();
  if (name) params.set("name", name);
  if (prev && prev.maxStep > 0) params.set("afterStep", String(prev.maxStep - 1));
  const qs = params.toString();
  const res = await apiFetch(
    `/api/v1/training-jobs/${enc(id)}/metrics${qs ? `?${qs}` : ""}`,
    metricsResponseSchema,
  );
  return mergePoints(prev?.points ?? [], res.points);
}

/**
 * Metric points of a job (every name, or only `name`), read incrementally every 2 s while `live`,
 * then once more when it stops being live so the last points are not missed.
 */
export function useTrainingMetrics(
  cursor: MetricsCursor,
  { live, name }: { live: boolean; name?: string },
) {
  const qc = useQueryClient();
  const key = trainingJobKeys.metrics(cursor.id, cursor.attempt, name);
  const query = useQuery({
    queryKey: key,
    queryFn: () => fetchMetricsSince(qc, key, cursor.id, name),
    refetchInterval: live ? TRAINING_POLL_MS : false,
    staleTime: live ? 0 : 10_000,
  });
  const wasLive = useRef(live);
  const { refetch } = query;
  useEffect(() => {
    if (wasLive.current && !live) void refetch();
    wasLive.current = live;
  }, [live, refetch]);
  return query;
}

/**
 * Metric points of several jobs (the compare page), sharing the job page's cache entries;
 * live jobs keep polling.
 */
export function useMetricsOfJobs(jobs: readonly (MetricsCursor & { live: boolean })[]) {
  const qc = useQueryClient();
  return useQueries({
    queries: jobs.map((j) => {
      const key = trainingJobKeys.metrics(j.id, j.attempt);
      return {
        queryKey: key,
        queryFn: () => fetchMetricsSince(qc, key, j.id),
        refetchInterval: j.live ? TRAINING_POLL_MS : (false as const),
      };
    }),
  });
}

/** Details of several jobs (the compare page), each polled while it is live. */
export function useTrainingJobsById(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: trainingJobKeys.detail(id),
      queryFn: () => fetchJob(id),
      refetchInterval: (q: { state: { data?: { status: TrainingJobSummary["status"] } } }) =>
        q.state.data && isLiveStatus(q.state.data.status) ? TRAINING_POLL_MS : false,
    })),
  });
}

/** What the log viewer holds for one attempt: text so far and the byte offset to read next. */
export type LogState = {
  attempt: number;
  text: string;
  next: number;
  complete: boolean;
  /** Bytes dropped from the front to keep the viewer light (the download has everything). */
  droppedBytes: number;
  /** The last read filled most of a page: more is waiting, read again soon. */
  more: boolean;
};

const LOG_PAGE = 256 * 1024;
/** Keep about this much text in the browser; older text is dropped from the front. */
const LOG_KEEP_CHARS = 2 * 1024 * 1024;

export function logsUrl(
  id: string,
  q: { attempt?: number; after?: number; download?: boolean },
): string {
  const params = new URLSearchParams();
  if (q.attempt !== undefined) params.set("attempt", String(q.attempt));
  if (q.after !== undefined) params.set("after", String(q.after));
  if (q.download) params.set("download", "1");
  return `/api/v1/training-jobs/${enc(id)}/logs?${params}`;
}

/**
 * The log of one attempt, appended to as the run writes it: each read starts at the byte offset
 * the previous one returned. Stops polling when the attempt finished and everything was read.
 */
export function useTrainingLogs(id: string, attempt: number) {
  const qc = useQueryClient();
  const key = trainingJobKeys.logs(id, attempt);
  return useQuery({
    queryKey: key,
    queryFn: async (): Promise<LogState> => {
      const prev = qc.getQueryData<LogState>(key);
      const res = await apiFetch(
        logsUrl(id, { attempt, after: prev?.next ?? 0 }),
        logsResponseSchema,
      );
      let text = (prev?.text ?? "") + res.text;
      let droppedBytes = prev?.droppedBytes ?? 0;
      if (text.length > LOG_KEEP_CHARS) {
        const cut = text.indexOf("\n", text.length - LOG_KEEP_CHARS) + 1;
        droppedBytes += new TextEncoder().encode(text.slice(0, cut)).length;
        text = text.slice(cut);
      }
      const more = res.next - (prev?.next ?? 0) > LOG_PAGE * 0.75;
      return { attempt, text, next: res.next, complete: res.complete, droppedBytes, more };
    },
    refetchInterval: (q) => {
      const d = q.state.data;
      if (d?.more) return 200;
      return d?.complete ? false : TRAINING_POLL_MS;
    },
    staleTime: Infinity,
  });
}

// The preview's shape is shared with the API document (lib/schemas/training-preview.ts).
export { trainingPreviewSchema, type TrainingPreview } from "@/lib/schemas/training-preview";

/**
 * POST /training-jobs/preview for `body` (null: the form is not complete yet). The caller
 * debounces `body`; the previous answer stays shown while the next is computed.
 */
export function useTrainingPreview(body: CreateTrainingJobBody | null) {
  return useQuery({
    queryKey: trainingJobKeys.preview(body),
    queryFn: ({ signal }) =>
      apiFetch("/api/v1/training-jobs/preview", trainingPreviewSchema, {
        method: "POST",
        json: body,
        signal,
      }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    retry: false,
  });
}

/** A random id for Idempotency-Key; falls back where crypto.randomUUID is missing (plain http). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

export function useLaunchTrainingJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      body,
      idempotencyKey,
    }: {
      body: CreateTrainingJobBody;
      idempotencyKey: string;
    }) =>
      apiFetch("/api/v1/training-jobs", launchResponseSchema, {
        method: "POST",
        json: body,
        headers: { "Idempotency-Key": idempotencyKey },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...trainingJobKeys.all, "list"] }),
  });
}

function invalidateJob(qc: QueryClient, id: string) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: trainingJobKeys.detail(id) }),
    qc.invalidateQueries({ queryKey: [...trainingJobKeys.all, "list"] }),
  ]);
}

export function useCancelTrainingJob(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch(`/api/v1/training-jobs/${enc(id)}/cancel`, trainingJobActionSchema, {
        method: "POST",
      }),
    onSuccess: () => invalidateJob(qc, id),
  });
}

export function useRetryTrainingJob(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ resume }: { resume: boolean }) =>
      apiFetch(`/api/v1/training-jobs/${enc(id)}/retry`, trainingJobActionSchema, {
        method: "POST",
        json: { resume },
      }),
    onSuccess: () => invalidateJob(qc, id),
  });
}

export function useBaseModels() {
  return useQuery({
    queryKey: queryKeys.baseModels,
    queryFn: () => apiFetch("/api/v1/base-models", baseModelListSchema).then((r) => r.models),
    staleTime: Infinity,
  });
}

export function useExecutors() {
  return useQuery({
    queryKey: queryKeys.executors,
    queryFn: () => apiFetch("/api/v1/executors", executorInfoSchema).then((r) => r.executors),
    staleTime: 60_000,
  });
}

export function useModelVersion(id: string | null) {
  return useQuery({
    queryKey: trainingJobKeys.modelVersion(id ?? ""),
    queryFn: () => apiFetch(`/api/v1/model-versions/${enc(id!)}`, modelVersionSchema),
    enabled: id !== null,
  });
}

/**
 * A dataset with its versions for the launch form's version picker (null: none chosen yet). It
 * shares the dataset page's cache entry; re-read while a version is still validating.
 */
export function useDatasetForLaunch(id: string | null) {
  return useQuery({
    queryKey: datasetKeys.detail(id ?? ""),
    queryFn: () => apiFetch(`/api/v1/datasets/${enc(id!)}`, datasetDetailSchema),
    enabled: Boolean(id),
    refetchInterval: (q) =>
      q.state.data?.versions.some((v) => v.status === "VALIDATING") ? VALIDATION_POLL_MS : false,
  });
}

/** One dataset version (null: none), to find which dataset a ?datasetVersionId= belongs to. */
export function useDatasetVersionForLaunch(id: string | null) {
  return useQuery({
    queryKey: datasetKeys.version(id ?? ""),
    queryFn: () => apiFetch(`/api/v1/dataset-versions/${enc(id!)}`, datasetVersionSchema),
    enabled: Boolean(id),
  });
}
