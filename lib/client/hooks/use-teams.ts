import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { teamSchema, type CreateTeamBody } from "@/lib/schemas/teams";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";
import { switchTeamResponseSchema } from "@/lib/schemas/teams";

async function switchTeam(teamId: string) {
  return apiFetch("/api/v1/me/team", switchTeamResponseSchema, {
    method: "PUT",
    json: { teamId },
  });
}

/**
 * After the active team changes, every cached team query belonged to the previous team: reset
 * them (active ones refetch and show their loading state, never the old team's rows) and
 * refetch /me in the background (it keeps the team list on screen meanwhile).
 */
export function afterTeamChange(qc: QueryClient): Promise<unknown> {
  return Promise.all([
    qc.resetQueries({ queryKey: queryKeys.teamScope }),
    qc.invalidateQueries({ queryKey: queryKeys.me }),
  ]);
}

/** Sets the team-switcher cookie. */
export function useSwitchTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: switchTeam,
    onSuccess: () => afterTeamChange(qc),
  });
}

/** Creates a team (the creator becomes its OWNER) and switches to it. */
export function useCreateTeam() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateTeamBody) => {
      const team = await apiFetch("/api/v1/teams", teamSchema, { method: "POST", json: body });
      await switchTeam(team.id);
      return team;
    },
    onSuccess: () => afterTeamChange(qc),
  });
}
