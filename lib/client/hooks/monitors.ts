import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { deletedSchema } from "@/lib/schemas/common";
import {
  checkListSchema,
  checkResultSchema,
  monitorDetailSchema,
  monitorListSchema,
  monitorSchema,
  type CreateMonitorBody,
  type Monitor,
  type MonitorDetail,
  type UpdateMonitorBody,
} from "@/lib/schemas/monitors";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { modelKeys } from "./models";
import { retrainKeys } from "./retrain";

const enc = encodeURIComponent;

/**
 * How often monitors are re-read: checks run on job schedulers (every minute at the shortest),
 * so a page left open shows new checks and state changes without a reload.
 */
export const MONITOR_POLL_MS = 30_000;
/** Checks the monitor page charts; the scheduler keeps far more, the chart needs the recent ones. */
export const CHECKS_LIMIT = 200;

/** Monitor query keys; under queryKeys.teamScope, so a team switch resets them. */
export const monitorKeys = {
  all: [...queryKeys.teamScope, "monitors"] as const,
  /** `model` undefined: every monitor of the team; `q`: a search of their names. */
  list: (model?: string, q?: string) =>
    q
      ? ([...queryKeys.teamScope, "monitors", "list", model ?? "*", { q }] as const)
      : ([...queryKeys.teamScope, "monitors", "list", model ?? "*"] as const),
  detail: (id: string) => [...queryKeys.teamScope, "monitors", "detail", id] as const,
  checks: (id: string, limit: number) =>
    [...queryKeys.teamScope, "monitors", "checks", id, limit] as const,
};

export function monitorsUrl(model?: string, q?: string): string {
  const params = new URLSearchParams();
  if (model) params.set("model", model);
  if (q) params.set("q", q);
  const qs = params.toString();
  return `/api/v1/monitors${qs ? `?${qs}` : ""}`;
}

/**
 * The team's monitors, or one Model's (`model` is its id or name); `q` keeps those whose name or
 * Model's name contains it (searched by the server).
 */
export function useMonitors(model?: string, q?: string) {
  return useQuery({
    queryKey: monitorKeys.list(model, q),
    queryFn: () => apiFetch(monitorsUrl(model, q), monitorListSchema).then((r) => r.monitors),
    placeholderData: keepPreviousData,
    refetchInterval: MONITOR_POLL_MS,
  });
}

export function useMonitor(id: string) {
  return useQuery({
    queryKey: monitorKeys.detail(id),
    queryFn: () => apiFetch(`/api/v1/monitors/${enc(id)}`, monitorDetailSchema),
    refetchInterval: MONITOR_POLL_MS,
  });
}

/** Stored checks, newest first. */
export function useMonitorChecks(id: string, limit: number = CHECKS_LIMIT) {
  return useQuery({
    queryKey: monitorKeys.checks(id, limit),
    queryFn: () =>
      apiFetch(`/api/v1/monitors/${enc(id)}/checks?limit=${limit}`, checkListSchema).then(
        (r) => r.checks,
      ),
    refetchInterval: MONITOR_POLL_MS,
  });
}

export function useCreateMonitor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateMonitorBody) =>
      apiFetch("/api/v1/monitors", monitorSchema, { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: monitorKeys.all }),
  });
}

export function useUpdateMonitor(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateMonitorBody) =>
      apiFetch(`/api/v1/monitors/${enc(id)}`, monitorSchema, { method: "PATCH", json: body }),
    onSuccess: (monitor) => {
      // The detail also carries recent checks, which the PATCH answer lacks: merge, then re-read.
      qc.setQueryData<MonitorDetail>(monitorKeys.detail(id), (old) =>
        old ? { ...old, ...monitor } : old,
      );
      return qc.invalidateQueries({ queryKey: monitorKeys.all });
    },
  });
}

export function useDeleteMonitor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch(`/api/v1/monitors/${enc(id)}`, deletedSchema, { method: "DELETE" }),
    // Only the lists: the page that deleted it is still mounted and would re-read a 404.
    onSuccess: () => qc.invalidateQueries({ queryKey: [...monitorKeys.all, "list"] }),
  });
}

/**
 * Runs a check now. A breach may open a retrain (and a job), so the Model's loop and job lists
 * are refreshed along with the monitor.
 */
export function useCheckMonitor(monitor: Pick<Monitor, "id" | "modelId">) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch(`/api/v1/monitors/${enc(monitor.id)}/check`, checkResultSchema, {
        method: "POST",
      }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: monitorKeys.all }),
        qc.invalidateQueries({ queryKey: retrainKeys.list(monitor.modelId) }),
        qc.invalidateQueries({ queryKey: queryKeys.trainingJobs }),
        qc.invalidateQueries({ queryKey: modelKeys.detail(monitor.modelId) }),
      ]),
  });
}
