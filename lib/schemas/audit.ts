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

/** GET /audit-events: newest first. A `limit` that is not a whole number reads as the default. */
export const auditEventsQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .catch(200)
    .default(200)
    .describe("At most this many events: 1–1,000 (outside: the nearest), default 200."),
});
