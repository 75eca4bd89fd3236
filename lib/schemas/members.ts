import { z } from "zod";
import { isoDateSchema } from "./common";
import { roleSchema } from "./roles";

export const memberSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: isoDateSchema,
});
export type Member = z.infer<typeof memberSchema>;

export const updateMemberBodySchema = z.strictObject({ role: roleSchema });

export const removedMemberResponseSchema = z.object({ removed: z.string() });
