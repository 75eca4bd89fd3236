import { z } from "zod";
import { isoDateSchema } from "./common";

export const auditEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  /** Who: a person by name, "API key <name>", or "retune" (lib/domain/actor-label.ts). */
  actor: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** What the target is called today ("support tool caller v3"); null when it is gone. */
  targetLabel: z.string().nullable().default(null),
  /** The object the target's page lives under (a dataset version's dataset, a retrain's Model). */
  targetParentId: z.string().nullable().default(null),
  metadata: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
