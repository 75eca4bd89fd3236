import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import {
  evalCasesPageSchema,
  evalRunListSchema,
  evalRunSchema,
  evalSuiteListSchema,
  evalSuiteSchema,
  type CreateEvalRunBody,
  type CreateEvalSuiteBody,
  type EvalRun,
} from "@/lib/schemas/evals";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** How often queued or running eval runs are re-read. */
export const EVAL_POLL_MS = 2_000;
/** Cases per "Load more". */
export const CASES_PAGE = 50;

const enc = encodeURIComponent;

/** `q`: a substring of the run's target or suite name, searched by the server. */
export type EvalRunFilters = { suiteId?: string; modelVersionId?: string; q?: string };

export const evalKeys = {
  suites: [...queryKeys.evalSuites, "list"] as const,
  runs: (filters: EvalRunFilters) => [...queryKeys.evalRuns, "list", filters] as const,
  run: (id: string) => [...queryKeys.evalRuns, "detail", id] as const,
  cases: (id: string, failedOnly: boolean) =>
    [...queryKeys.evalRuns, "cases", id, failedOnly] as const,
};

export function isLiveEvalStatus(status: EvalRun["status"]): boolean {
  return status === "QUEUED" || status === "RUNNING";
}

/** The team's suites, or those whose name contains `q` (searched by the server). */
export function useEvalSuites(q?: string) {
  return useQuery({
    // Under evalKeys.suites, so invalidating the list refreshes every search of it too.
    queryKey: q ? [...evalKeys.suites, { q }] : evalKeys.suites,
    queryFn: () =>
      apiFetch(
        q ? `/api/v1/eval-suites?q=${enc(q)}` : "/api/v1/eval-suites",
        evalSuiteListSchema,
      ).then((r) => r.suites),
    // A new search keeps the rows shown until its answer arrives (no flash of the loading state).
    placeholderData: keepPreviousData,
  });
}

export function useCreateEvalSuite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEvalSuiteBody) =>
      apiFetch("/api/v1/eval-suites", evalSuiteSchema, { method: "POST", json: body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: evalKeys.suites }),
  });
}

export function evalRunsUrl(filters: EvalRunFilters): string {
  const params = new URLSearchParams();
  if (filters.suiteId) params.set("suiteId", filters.suiteId);
  if (filters.modelVersionId) params.set("modelVersionId", filters.modelVersionId);
  if (filters.q) params.set("q", filters.q);
  const qs = params.toString();
  return `/api/v1/eval-runs${qs ? `?${qs}` : ""}`;
}

/** Runs newest first; re-read every 2 s while any is queued or running. */
export function useEvalRuns(filters: EvalRunFilters) {
  return useQuery({
    queryKey: evalKeys.runs(filters),
    queryFn: () => apiFetch(evalRunsUrl(filters), evalRunListSchema).then((r) => r.runs),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.some((r) => isLiveEvalStatus(r.status)) ? EVAL_POLL_MS : false,
  });
}

/** One run; polled every 2 s while queued or running, and the lists refreshed when it ends. */
export function useEvalRun(id: string) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: evalKeys.run(id),
    queryFn: async () => {
      const run = await apiFetch(`/api/v1/eval-runs/${enc(id)}`, evalRunSchema);
      const cached = qc.getQueryData<EvalRun>(evalKeys.run(id));
      if (cached && cached.status !== run.status) {
        void qc.invalidateQueries({ queryKey: [...queryKeys.evalRuns, "list"] });
        void qc.invalidateQueries({ queryKey: [...queryKeys.evalRuns, "cases", id] });
        void qc.invalidateQueries({ queryKey: queryKeys.modelVersions });
      }
      return run;
    },
    refetchInterval: (q) =>
      q.state.data && isLiveEvalStatus(q.state.data.status) ? EVAL_POLL_MS : false,
  });
}

export function casesUrl(id: string, q: { failedOnly: boolean; after: number; limit: number }) {
  const params = new URLSearchParams({ after: String(q.after), limit: String(q.limit) });
  if (q.failedOnly) params.set("failed", "true");
  return `/api/v1/eval-runs/${enc(id)}/cases?${params}`;
}

/** Scored cases in index order, a page at a time (keyset: `after` is the last index seen). */
export function useEvalCases(id: string, failedOnly: boolean) {
  return useInfiniteQuery({
    queryKey: evalKeys.cases(id, failedOnly),
    queryFn: ({ pageParam }) =>
      apiFetch(
        casesUrl(id, { failedOnly, after: pageParam, limit: CASES_PAGE }),
        evalCasesPageSchema,
      ),
    initialPageParam: -1,
    getNextPageParam: (last) => last.nextAfter ?? undefined,
  });
}

export function useCreateEvalRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateEvalRunBody) =>
      apiFetch("/api/v1/eval-runs", evalRunSchema, { method: "POST", json: body }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: [...queryKeys.evalRuns, "list"] }),
        qc.invalidateQueries({ queryKey: queryKeys.modelVersions }),
      ]),
  });
}

export function useCancelEvalRun(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () =>
      apiFetch(`/api/v1/eval-runs/${enc(id)}/cancel`, evalRunSchema, { method: "POST" }),
    onSuccess: (run) => {
      qc.setQueryData(evalKeys.run(id), run);
      return qc.invalidateQueries({ queryKey: [...queryKeys.evalRuns, "list"] });
    },
  });
}
