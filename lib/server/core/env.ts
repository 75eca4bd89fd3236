import { z } from "zod";
import { parseOutboundAllow } from "./outbound-rules";

/** Every setting retune reads, with its default; README "Configuration" lists the same. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z.string().default("postgresql://postgres@127.0.0.1:5432/retune"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  /** PostgreSQL connections per process (pg Pool `max`). */
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(20),
  /** Key prefix of every BullMQ queue and of worker heartbeats; tests use one per run. */
  BULLMQ_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default("retune"),
  APP_URL: z.url().default("http://localhost:3000"),
  /** Signs session cookies. Required in production; development falls back to a fixed value. */
  BETTER_AUTH_SECRET: z.string().min(32).optional(),
  /**
   * Encrypts team secrets (endpoint API keys, webhook signing secrets) at rest. Unset: derived
   * from BETTER_AUTH_SECRET (or the development secret outside production). Changing it makes
   * stored secrets unreadable: they must be PUT again.
   */
  RETUNE_SECRET_KEY: z.string().min(32).optional(),
  /**
   * Server-side requests (webhook deliveries, inference endpoints of eval runs) never reach
   * loopback, private, link-local (cloud metadata) or other special-purpose addresses, except
   * those listed here: comma-separated CIDRs (10.0.0.0/8), addresses, host names (vllm.internal)
   * or wildcard hosts (*.corp.example). For self-hosted endpoints on an internal network.
   */
  RETUNE_OUTBOUND_ALLOW: z
    .string()
    .default("")
    .transform((raw, ctx) => {
      try {
        return parseOutboundAllow(raw);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
        return z.NEVER;
      }
    }),
  ARTIFACT_DIR: z.string().default("./data/artifacts"),
  /** Largest dataset upload accepted, in bytes (as sent: compressed size for gzip). */
  DATASET_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 ** 3),
  /** Longest JSONL line the validator reads; longer lines are reported, never buffered. */
  DATASET_MAX_LINE_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 1024 ** 2),
  WORKER_QUEUES: z.string().optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(2),
  /** Seconds a worker waits for running jobs on SIGTERM before handing them back. */
  WORKER_SHUTDOWN_GRACE_S: z.coerce.number().positive().default(10),
  RECONCILE_EVERY_MS: z.coerce.number().int().positive().default(15_000),
  RETUNE_SEED_API_KEY: z.string().optional(),
  /** How often the worker polls active training runs (logs, metrics, exit). */
  TRAINING_POLL_MS: z.coerce.number().int().positive().default(1_500),
  /** Runs each executor takes at once; the rest wait QUEUED with a visible position. */
  TRAINING_MAX_CONCURRENT_LOCAL: z.coerce.number().int().min(0).default(1),
  TRAINING_MAX_CONCURRENT_DOCKER: z.coerce.number().int().min(0).default(4),
  TRAINING_MAX_CONCURRENT_KUBERNETES: z.coerce.number().int().min(0).default(32),
  /** A run still going after this long is stopped and failed. */
  TRAINING_TIMEOUT_HOURS: z.coerce.number().positive().default(72),
  /**
   * A run killed from outside (SIGKILL, the OOM killer: status 137) or lost is retried by itself,
   * resuming from its checkpoint, this many times in a row; 0 turns it off. Failures of the
   * trainer's own (a bad spec or data, its error exit codes) are never retried.
   */
  TRAINING_AUTO_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Wait before the first automatic retry; doubled for each one after it. */
  TRAINING_AUTO_RETRY_BACKOFF_S: z.coerce.number().min(0).default(30),
  /**
   * Where built base models live (the tiny local base is built here once, on first use). Default:
   * ARTIFACT_DIR/base-models. Tests point every run at one shared folder so it is built once.
   */
  BASE_MODEL_DIR: z.string().optional(),
  /**
   * CPU threads the LOCAL trainers of a worker host share (local eval generation gets the same
   * per-process cap). Each process gets this divided by TRAINING_MAX_CONCURRENT_LOCAL, at least
   * 1, as OMP_NUM_THREADS / MKL_NUM_THREADS. Unset: every core but one (availableParallelism − 1,
   * at least 1), so the web and worker processes keep a core.
   */
  TRAINER_CPU_THREADS: z.coerce.number().int().positive().optional(),
  /**
   * The niceness (0–19) LOCAL trainers and local eval generation run at, so the web and worker
   * processes win the CPU when both want it. A worker niced more than this passes its own on.
   */
  TRAINER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /**
   * `idle` (default): LOCAL trainers and local eval generation also run under Linux's SCHED_IDLE
   * policy (`chrt --idle 0`, where chrt exists), so they get only CPU nobody else wants. Niceness
   * alone still cost the launch API its p99 target beside a trainer on 2 cores (184 ms vs 68 ms
   * with SCHED_IDLE; npm run bench:dispatch). `normal`: niceness only.
   */
  TRAINER_SCHED: z.enum(["idle", "normal"]).default("idle"),
  /** The trainer's Python (the trainers/ venv); LOCAL runs `<python> trainers/sft.py`. */
  RETUNE_PYTHON: z.string().default("trainers/.venv/bin/python"),
  /** Docker Engine: a unix socket path or tcp://host:port. Unset: the DOCKER executor is off. */
  DOCKER_HOST: z.string().optional(),
  /** Kubernetes: namespace and the PersistentVolumeClaim that holds ARTIFACT_DIR/training. */
  KUBERNETES_NAMESPACE: z.string().optional(),
  KUBERNETES_JOBS_PVC: z.string().optional(),
  TRAINER_IMAGE_PEFT: z.string().default("retune/trainer:latest"),
  TRAINER_IMAGE_UNSLOTH: z.string().default("unsloth/unsloth:latest"),
  TRAINER_IMAGE_AXOLOTL: z.string().default("axolotlai/axolotl:main-latest"),
  /**
   * What an hour of the serving hardware costs, in USD, for the cost_per_1k_usd of evals run by
   * local generation (model versions, base models): a self-hosted model has no token prices, so
   * its cost is the serving time its calls took. Endpoint targets use their token prices instead.
   */
  EVAL_SERVING_USD_PER_HOUR: z.coerce.number().nonnegative().default(0.8),
  /** Rows per generate() batch in local eval generation (latency is measured per batch). */
  EVAL_LOCAL_BATCH_SIZE: z.coerce.number().int().min(1).max(256).default(8),
  /**
   * Where evaluations run trainers/generate.py: LOCAL (this host's trainers/.venv) or DOCKER (the
   * PEFT trainer image on DOCKER_HOST), for workers without a host Python.
   */
  EVAL_GENERATION_EXECUTOR: z.enum(["LOCAL", "DOCKER"]).default("LOCAL"),
});
export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

const DEV_SECRET = "retune-development-secret-not-for-production-use";

export function authSecret(): string {
  const e = env();
  if (e.BETTER_AUTH_SECRET) return e.BETTER_AUTH_SECRET;
  if (e.NODE_ENV === "production" && process.env.RETUNE_ALLOW_DEV_SECRET !== "1") {
    throw new Error("BETTER_AUTH_SECRET must be set (32+ characters) in production");
  }
  return DEV_SECRET;
}
