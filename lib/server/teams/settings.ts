/**
 * Team settings (GET and PATCH /api/v1/team). Today: how long raw telemetry and traces are
 * kept (lib/server/telemetry/retention.ts applies it on the worker's maintenance tick).
 */
import {
  ROLLUP_RETENTION_DAYS,
  type TeamSettings,
  type UpdateTeamSettingsBody,
} from "@/lib/schemas/teams";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";

export const settingsOf = (team: { telemetryRetentionDays: number }): TeamSettings => ({
  telemetryRetentionDays: team.telemetryRetentionDays,
  rollupRetentionDays: ROLLUP_RETENTION_DAYS,
});

/** Changes the settings the body names (ADMIN and up, signed in), audited with old and new. */
export async function updateTeamSettings(
  p: Principal,
  body: UpdateTeamSettingsBody,
): Promise<TeamSettings> {
  authorize(p, "team.update");
  return db().$transaction(async (tx) => {
    const before = await tx.team.findUnique({
      where: { id: p.teamId },
      select: { telemetryRetentionDays: true },
    });
    if (!before) throw notFound("team", p.teamId);
    if (body.telemetryRetentionDays === undefined) return settingsOf(before);
    const after = await tx.team.update({
      where: { id: p.teamId },
      data: { telemetryRetentionDays: body.telemetryRetentionDays },
      select: { telemetryRetentionDays: true },
    });
    if (after.telemetryRetentionDays !== before.telemetryRetentionDays) {
      await recordAudit(
        {
          ...actorOf(p),
          action: "team.settings.update",
          targetType: "team",
          targetId: p.teamId,
          metadata: {
            telemetryRetentionDaysBefore: before.telemetryRetentionDays,
            telemetryRetentionDays: after.telemetryRetentionDays,
          },
        },
        tx,
      );
    }
    return settingsOf(after);
  });
}
