import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { homeSchema } from "@/lib/schemas/home";
import { type ApproveBody, modelVersionDetailSchema } from "@/lib/schemas/models";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

/** Jobs move and monitors breach while the page is open: read again every so often. */
export const HOME_POLL_MS = 15_000;

export const homeKey = [...queryKeys.teamScope, "home"] as const;

/** What needs attention in the active team (GET /api/v1/home). */
export function useHome() {
  return useQuery({
    queryKey: homeKey,
    queryFn: () => apiFetch("/api/v1/home", homeSchema),
    refetchInterval: HOME_POLL_MS,
    refetchIntervalInBackground: false,
  });
}

/**
 * Approve or reject a version from the home list. The version, its Model and the home change:
 * all three are read again.
 */
export function useDecideFromHome(versionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ApproveBody) =>
      apiFetch(
        `/api/v1/model-versions/${encodeURIComponent(versionId)}/approve`,
        modelVersionDetailSchema,
        { method: "POST", json: body },
      ),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: homeKey }),
        qc.invalidateQueries({ queryKey: queryKeys.models }),
        qc.invalidateQueries({ queryKey: queryKeys.modelVersions }),
      ]),
  });
}
