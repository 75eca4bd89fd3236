import { z } from "zod";
import { isoDateSchema } from "./common";

export const auditEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
