import { useQuery } from "@tanstack/react-query";
import { can, type Action } from "@/lib/domain/permissions";
import { meSchema, type Me, type Team } from "@/lib/schemas/teams";
import { apiFetch } from "../api";
import { queryKeys } from "../query-keys";

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: () => apiFetch("/api/v1/me", meSchema),
  });
}

export type ActiveTeam = {
  me: Me;
  team: Team;
  /** What the signed-in person's role in the active team allows; the server checks it again. */
  can: (action: Action) => boolean;
};

/** The team this browser session acts in, or null while /me loads or if the user has none. */
export function useActiveTeam(): ActiveTeam | null {
  const { data: me } = useMe();
  const team = me?.teams.find((t) => t.id === me.activeTeamId);
  if (!me || !team) return null;
  return { me, team, can: (action) => can({ kind: "user", role: team.role }, action) };
}
