import {
  keepPreviousData,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import type { z } from "zod";
import {
  comparisonSchema,
  modelDetailSchema,
  modelListSchema,
  modelVersionDetailSchema,
  type ApproveBody,
  type CreateModelBody,
  type ModelVersionDetail,
  type UpdateModelBody,
} from "@/lib/schemas/models";
import {
  modelCardSchema,
  type updateModelCardNarrativeBodySchema,
} from "@/lib/schemas/model-cards";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** How often a version is re-read while one of its evals is queued or running. */
export const VERSION_POLL_MS = 2_000;
/** How often a version whose evals finished is re-read until its gate is decided. */
const GATE_POLL_MS = 10_000;

const enc = encodeURIComponent;

/** Registry query keys; under queryKeys.teamScope, so a team switch resets them. */
export const modelKeys = {
  all: queryKeys.models,
  list: [...queryKeys.models, "list"] as const,
  detail: (id: string) => [...queryKeys.models, "detail", id] as const,
  /** Distinct from the plain model-version key the training pages use (a smaller shape). */
  version: (id: string) => [...queryKeys.modelVersions, id, "detail"] as const,
  compare: (id: string, against: string) =>
    [...queryKeys.modelVersions, id, "compare", against] as const,
  card: (id: string) => [...queryKeys.modelVersions, id, "card"] as const,
};

/** The team's Models, or those whose name or description contains `q` (searched by the server). */
export function useModels(q?: string) {
  return useQuery({
    // Under modelKeys.list, so invalidating the list refreshes every search of it too.
    queryKey: q ? [...modelKeys.list, { q }] : modelKeys.list,
    queryFn: () =>
      apiFetch(q ? `/api/v1/models?q=${enc(q)}` : "/api/v1/models", modelListSchema).then(
        (r) => r.models,
      ),
    // A new search keeps the rows shown until its answer arrives (no flash of the loading state).
    placeholderData: keepPreviousData,
  });
}

export function useModel(id: string, { enabled = true } = {}) {
  return useQuery({
    queryKey: modelKeys.detail(id),
    queryFn: () => apiFetch(`/api/v1/models/${enc(id)}`, modelDetailSchema),
    enabled: enabled && id !== "",
  });
}

export function useCreateModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateModelBody) =>
      apiFetch("/api/v1/models", modelDetailSchema, { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: modelKeys.list }),
  });
}

export function useUpdateModel(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateModelBody) =>
      apiFetch(`/api/v1/models/${enc(id)}`, modelDetailSchema, { method: "PATCH", json: body }),
    onSuccess: (model) => {
      qc.setQueryData(modelKeys.detail(id), model);
      return qc.invalidateQueries({ queryKey: modelKeys.list });
    },
  });
}

function hasLiveEval(v: ModelVersionDetail | undefined): boolean {
  return Boolean(v?.evals.some((e) => e.status === "QUEUED" || e.status === "RUNNING"));
}

/** A version with its evals, gate, approval, promotions and servability; polled while evaluating. */
export function useModelVersionDetail(id: string) {
  return useQuery({
    queryKey: modelKeys.version(id),
    queryFn: () => apiFetch(`/api/v1/model-versions/${enc(id)}`, modelVersionDetailSchema),
    refetchInterval: (q) => {
      const v = q.state.data;
      if (hasLiveEval(v)) return VERSION_POLL_MS;
      // The evaluation finished and the gate decision is being written: look again, slowly.
      // (Only a gate that is evaluated at all: a Model without a policy stays PENDING for good.)
      if (
        v?.gate.status === "PENDING" &&
        v.gate.evidence !== null &&
        v.evals.some((e) => e.status === "SUCCEEDED")
      )
        return GATE_POLL_MS;
      return false;
    },
  });
}

/** A stage or approval change alters the version, its model's table, its card and comparisons. */
function afterVersionChange(qc: QueryClient, version: ModelVersionDetail) {
  qc.setQueryData(modelKeys.version(version.id), version);
  return Promise.all([
    qc.invalidateQueries({ queryKey: modelKeys.all }),
    qc.invalidateQueries({ queryKey: queryKeys.modelVersions }),
  ]);
}

export function useApproveVersion(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApproveBody) =>
      apiFetch(`/api/v1/model-versions/${enc(id)}/approve`, modelVersionDetailSchema, {
        method: "POST",
        json: body,
      }),
    onSuccess: (v) => afterVersionChange(qc, v),
  });
}

export type PromoteVariables = {
  id: string;
  stage: ModelVersionDetail["stage"];
  reason?: string;
  override?: boolean;
};

/** Promotes (or archives, or rolls back to) any version: the model page acts on several. */
export function usePromoteVersion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, stage, reason, override }: PromoteVariables) =>
      apiFetch(`/api/v1/model-versions/${enc(id)}/promote`, modelVersionDetailSchema, {
        method: "POST",
        json: { stage, ...(reason ? { reason } : {}), override: Boolean(override) },
      }),
    onSuccess: (v) => afterVersionChange(qc, v),
  });
}

export function compareUrl(id: string, against: string): string {
  return `/api/v1/model-versions/${enc(id)}/compare?against=${enc(against)}`;
}

export function useComparison(id: string, against: string) {
  return useQuery({
    queryKey: modelKeys.compare(id, against),
    queryFn: () => apiFetch(compareUrl(id, against), comparisonSchema),
  });
}

export function useModelCard(id: string) {
  return useQuery({
    queryKey: modelKeys.card(id),
    queryFn: () => apiFetch(`/api/v1/model-versions/${enc(id)}/card`, modelCardSchema),
  });
}

export type NarrativeBody = z.infer<typeof updateModelCardNarrativeBodySchema>;

export function useUpdateModelCard(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NarrativeBody) =>
      apiFetch(`/api/v1/model-versions/${enc(id)}/card`, modelCardSchema, {
        method: "PATCH",
        json: body,
      }),
    onSuccess: (card) => qc.setQueryData(modelKeys.card(id), card),
  });
}

/** The Markdown export (Hugging Face model-card style), served as a download. */
export function cardMarkdownUrl(id: string): string {
  return `/api/v1/model-versions/${enc(id)}/card.md`;
}
