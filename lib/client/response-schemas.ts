import { z } from "zod";
import { roleSchema } from "@/lib/schemas/roles";

/*
 * Response shapes of a few /api/v1 mutations that lib/schemas does not (yet) export. They mirror
 * lib/server/team-cookie.ts, invitations.ts and members.ts; move them to lib/schemas when it
 * grows these names.
 */
export const switchTeamResponseSchema = z.object({ activeTeamId: z.string() });
export const acceptInvitationResponseSchema = z.object({ teamId: z.string(), role: roleSchema });
export const removedMemberResponseSchema = z.object({ removed: z.string() });
