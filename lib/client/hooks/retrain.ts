import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { deletedSchema } from "@/lib/schemas/common";
import {
  retrainListSchema,
  retrainPolicySchema,
  retrainRequestSchema,
  type PutRetrainPolicyBody,
  type RetrainRequest,
} from "@/lib/schemas/retrain";
import { ApiClientError, apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { modelKeys } from "./models";

const enc = encodeURIComponent;

/** How often the retraining loop is re-read while a request is still moving through it. */
export const LOOP_POLL_MS = 3_000;

/** Retraining query keys; under queryKeys.teamScope, so a team switch resets them. */
export const retrainKeys = {
  policy: (modelId: string) => [...queryKeys.teamScope, "retrain-policy", modelId] as const,
  list: (modelId: string) => [...queryKeys.teamScope, "retrains", modelId] as const,
};

/**
 * Whether a retrain request will still change on its own: it is building its dataset, or its job
 * was launched and the loop has not ended (promotion done or skipped, or any step failed).
 */
export function isLoopLive(r: RetrainRequest): boolean {
  if (r.status === "BUILDING") return true;
  if (r.status !== "LAUNCHED") return false;
  if (r.steps.some((s) => s.state === "failed")) return false;
  const promotion = r.steps.find((s) => s.step === "promotion");
  // "waiting": a person promotes or approves; nothing changes on its own, so stop polling.
  return (
    promotion === undefined ||
    (promotion.state !== "done" && promotion.state !== "skipped" && promotion.state !== "waiting")
  );
}

/** Ids of requests whose promotion step is done: a newly promoted version changes the Model. */
export function promotedIds(list: readonly RetrainRequest[]): Set<string> {
  return new Set(
    list
      .filter((r) => r.steps.some((s) => s.step === "promotion" && s.state === "done"))
      .map((r) => r.id),
  );
}

/**
 * The Model's retrain policy, or null when it has none. `exists` is the Model detail's
 * `hasRetrainPolicy`: a Model without a policy is not asked for one, so its page makes no
 * request that answers 404 (absence is not an error); a 404 from a policy deleted meanwhile
 * still reads as none.
 */
export function useRetrainPolicy(modelId: string, exists: boolean) {
  return useQuery({
    queryKey: retrainKeys.policy(modelId),
    queryFn: async () => {
      if (!exists) return null;
      try {
        return await apiFetch(`/api/v1/models/${enc(modelId)}/retrain-policy`, retrainPolicySchema);
      } catch (e) {
        if (e instanceof ApiClientError && e.status === 404) return null;
        throw e;
      }
    },
  });
}

export function usePutRetrainPolicy(modelId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PutRetrainPolicyBody) =>
      apiFetch(`/api/v1/models/${enc(modelId)}/retrain-policy`, retrainPolicySchema, {
        method: "PUT",
        json: body,
      }),
    onSuccess: async (policy) => {
      qc.setQueryData(retrainKeys.policy(modelId), policy);
      // The Model detail's hasRetrainPolicy changes with it.
      await qc.invalidateQueries({ queryKey: modelKeys.all });
    },
  });
}

export function useDeleteRetrainPolicy(modelId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch(`/api/v1/models/${enc(modelId)}/retrain-policy`, deletedSchema, {
        method: "DELETE",
      }),
    onSuccess: async () => {
      qc.setQueryData(retrainKeys.policy(modelId), null);
      await qc.invalidateQueries({ queryKey: modelKeys.all });
    },
  });
}

/**
 * The Model's retrain requests, newest first, each with its loop steps. Polled every 3 s while
 * one is live; when a request reaches promotion, the Model (its production version) is re-read.
 */
export function useRetrains(modelId: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: retrainKeys.list(modelId),
    queryFn: async () => {
      const { retrains } = await apiFetch(
        `/api/v1/models/${enc(modelId)}/retrains`,
        retrainListSchema,
      );
      const before = qc.getQueryData<RetrainRequest[]>(retrainKeys.list(modelId));
      if (before) {
        const had = promotedIds(before);
        if ([...promotedIds(retrains)].some((id) => !had.has(id))) {
          void qc.invalidateQueries({ queryKey: modelKeys.all });
          void qc.invalidateQueries({ queryKey: queryKeys.modelVersions });
        }
      }
      return retrains;
    },
    refetchInterval: (q) => (q.state.data?.some(isLoopLive) ? LOOP_POLL_MS : false),
  });
}

/** "Run now": applies the retrain policy at once, as its schedule would. */
export function useRunRetrainNow(modelId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch(`/api/v1/models/${enc(modelId)}/retrains`, retrainRequestSchema, {
        method: "POST",
      }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: retrainKeys.list(modelId) }),
        qc.invalidateQueries({ queryKey: retrainKeys.policy(modelId) }),
        qc.invalidateQueries({ queryKey: queryKeys.trainingJobs }),
      ]),
  });
}
