import { z } from "zod";
import { isoDateSchema } from "./common";
import { roleSchema } from "./roles";

export const teamNameSchema = z.string().trim().min(2, "at least 2 characters").max(60);

export const createTeamBodySchema = z.object({ name: teamNameSchema });
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

export const switchTeamBodySchema = z.object({ teamId: z.string().min(1) });

export const switchTeamResponseSchema = z.object({ activeTeamId: z.string() });

/** `GET /api/v1/team`: the team a credential acts in, and as what. */
export const currentTeamSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  credential: z.union([
    z.object({ kind: z.literal("session"), role: roleSchema }),
    z.object({
      kind: z.literal("apiKey"),
      scopes: z.array(z.enum(["read", "write", "telemetry"])),
    }),
  ]),
});
