import { updateTeamSettingsBodySchema } from "@/lib/schemas/teams";
import { readJson, teamRoute } from "@/lib/server/core/http";
import { updateTeamSettings } from "@/lib/server/teams/settings";
import { currentTeam } from "@/lib/server/teams/team-cookie";

/** The team this credential acts in (for an API key: the key's team), with its settings. */
export const GET = teamRoute("team.read", async (p) => currentTeam(p));

/** Team settings (ADMIN and up, signed in): `{ telemetryRetentionDays }`. */
export const PATCH = teamRoute("team.update", async (p, req) => {
  await updateTeamSettings(p, await readJson(req, updateTeamSettingsBodySchema));
  return currentTeam(p);
});
