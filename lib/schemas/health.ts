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

/**
 * What a worker's host can run, probed by the worker (workers/capabilities.ts) at start and about
 * once a minute, and carried in its heartbeat. Launch and preview read the training workers' to
 * tell whether the chosen executor can run a spec here (lib/domain/executor-readiness.ts). A probe
 * that fails or times out reports "not available" with its reason.
 */
export const workerCapabilitiesSchema = z.object({
  checkedAt: isoDateSchema,
  /** CUDA GPUs of this host (nvidia-smi); empty when there are none, with the reason. */
  cuda: z.object({
    gpus: z.array(z.object({ name: z.string(), memoryMb: z.number().nullable() })),
    reason: z.string().nullable(),
  }),
  /**
   * The Docker Engine of DOCKER_HOST: does it answer, does it have the nvidia runtime, and which
   * of the trainer images this deployment names (TRAINER_IMAGE_*) it holds.
   */
  docker: z.object({
    configured: z.boolean(),
    reachable: z.boolean(),
    nvidiaRuntime: z.boolean(),
    reason: z.string().nullable(),
    /**
     * One entry per backend's image, when the engine answers. `present: false` means a run
     * pulls it first, which fails where no registry is reachable (a locally built image).
     * Empty from workers older than this field, and when the engine is off or down.
     */
    images: z
      .array(
        z.object({
          backend: z.enum(["PEFT", "UNSLOTH", "AXOLOTL"]),
          image: z.string(),
          present: z.boolean(),
        }),
      )
      .default([]),
  }),
  /** The Kubernetes API of KUBECONFIG / the in-cluster account, in KUBERNETES_NAMESPACE. */
  kubernetes: z.object({
    configured: z.boolean(),
    reachable: z.boolean(),
    reason: z.string().nullable(),
  }),
});
export type WorkerCapabilities = z.infer<typeof workerCapabilitiesSchema>;

export const workerInfoSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number(),
  queues: z.array(z.string()),
  startedAt: isoDateSchema,
  lastSeenAt: isoDateSchema,
  /** null until the first probe has finished, and on workers that do not train. */
  capabilities: workerCapabilitiesSchema.nullable().default(null),
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

/**
 * What an anonymous caller (a load balancer) gets from GET /health: the overall status and
 * whether each store answers. Latencies, errors, queues and workers (hostnames, PIDs) are for
 * signed-in people and API keys.
 */
export const publicHealthSchema = z.object({
  status: healthSchema.shape.status,
  db: z.object({ ok: z.boolean() }),
  redis: z.object({ ok: z.boolean() }),
  checkedAt: isoDateSchema,
});
export type PublicHealth = z.infer<typeof publicHealthSchema>;
