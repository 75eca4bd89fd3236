import { z } from "zod";
import { isoDateSchema } from "./common";
import { roleSchema } from "./roles";

export const createInvitationBodySchema = z.strictObject({
  email: z.email().trim().toLowerCase(),
  role: roleSchema,
});
export type CreateInvitationBody = z.infer<typeof createInvitationBodySchema>;

export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: roleSchema,
  status: z.enum(["PENDING", "ACCEPTED", "REVOKED"]),
  expired: z.boolean(),
  createdAt: isoDateSchema,
  expiresAt: isoDateSchema,
});
export type Invitation = z.infer<typeof invitationSchema>;

/** Returned once, at creation: the link holds the only copy of the token. */
export const createdInvitationSchema = invitationSchema.extend({ url: z.string() });
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

export const acceptInvitationBodySchema = z.strictObject({ token: z.string().min(16).max(200) });

export const acceptInvitationResponseSchema = z.object({ teamId: z.string(), role: roleSchema });
