import { z } from "zod";
import { isoDateSchema } from "./common";

const probeSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nullable(),
  error: z.string().optional(),
});

export const queueDepthSchema = z.object({
  name: z.string(),
  waiting: z.number(),
  active: z.number(),
  delayed: z.number(),
  failed: z.number(),
  completed: z.number(),
});
export type QueueDepth = z.infer<typeof queueDepthSchema>;

export const workerInfoSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number(),
  queues: z.array(z.string()),
  startedAt: isoDateSchema,
  lastSeenAt: isoDateSchema,
});
export type WorkerInfo = z.infer<typeof workerInfoSchema>;

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  db: probeSchema,
  redis: probeSchema,
  queues: z.array(queueDepthSchema),
  workers: z.array(workerInfoSchema),
  checkedAt: isoDateSchema,
});
export type Health = z.infer<typeof healthSchema>;
