import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { currentTeamSchema, type UpdateTeamSettingsBody } from "@/lib/schemas/teams";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

const key = [...queryKeys.teamScope, "settings"] as const;

/** The active team with its settings (GET /api/v1/team). */
export function useTeamSettings() {
  return useQuery({
    queryKey: key,
    queryFn: () => apiFetch("/api/v1/team", currentTeamSchema),
  });
}

/** PATCH /api/v1/team (ADMIN and up); the answer replaces the cached team. */
export function useUpdateTeamSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateTeamSettingsBody) =>
      apiFetch("/api/v1/team", currentTeamSchema, { method: "PATCH", json: body }),
    onSuccess: (team) => qc.setQueryData(key, team),
  });
}
