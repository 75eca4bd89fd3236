import { z } from "zod";
import { isoDateSchema } from "./common";
import { roleSchema } from "./roles";

export const teamNameSchema = z.string().trim().min(2, "at least 2 characters").max(60);

export const createTeamBodySchema = z.strictObject({ name: teamNameSchema });
export type CreateTeamBody = z.infer<typeof createTeamBodySchema>;

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: roleSchema,
  createdAt: isoDateSchema,
});
export type Team = z.infer<typeof teamSchema>;

export const meSchema = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  teams: z.array(teamSchema),
  activeTeamId: z.string().nullable(),
});
export type Me = z.infer<typeof meSchema>;

export const switchTeamBodySchema = z.strictObject({ teamId: z.string().min(1) });

export const switchTeamResponseSchema = z.object({ activeTeamId: z.string() });

/**
 * How long a team's raw telemetry events and traces are kept, in days (lib/server/telemetry/
 * retention.ts). Rollups, which monitors and summaries read, are kept ROLLUP_RETENTION_DAYS
 * whatever a team sets, so monitors and long summaries outlive the raw events.
 */
export const TELEMETRY_RETENTION_DAYS = { min: 1, max: 365, default: 30 } as const;
export const ROLLUP_RETENTION_DAYS = 400;

export const telemetryRetentionDaysSchema = z
  .number({ error: "telemetryRetentionDays must be a number of days" })
  .int("telemetryRetentionDays must be a whole number of days")
  .min(
    TELEMETRY_RETENTION_DAYS.min,
    `telemetryRetentionDays must be at least ${TELEMETRY_RETENTION_DAYS.min} day`,
  )
  .max(
    TELEMETRY_RETENTION_DAYS.max,
    `telemetryRetentionDays must be at most ${TELEMETRY_RETENTION_DAYS.max} days`,
  );

/** `PATCH /api/v1/team` (ADMIN and up, signed in): settings to change; absent ones stay. */
export const updateTeamSettingsBodySchema = z.strictObject({
  telemetryRetentionDays: telemetryRetentionDaysSchema.optional(),
});
export type UpdateTeamSettingsBody = z.infer<typeof updateTeamSettingsBodySchema>;

export const teamSettingsSchema = z.object({
  telemetryRetentionDays: z.number().int(),
  /** Deployment-wide, not a team setting: shown beside it so the two are read together. */
  rollupRetentionDays: z.number().int(),
});
export type TeamSettings = z.infer<typeof teamSettingsSchema>;

/** `GET /api/v1/team`: the team a credential acts in, and as what. */
export const currentTeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  settings: teamSettingsSchema,
  credential: z.union([
    z.object({ kind: z.literal("session"), role: roleSchema }),
    z.object({
      kind: z.literal("apiKey"),
      scopes: z.array(z.enum(["read", "write", "telemetry"])),
    }),
  ]),
});
