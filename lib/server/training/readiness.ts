/**
 * Can this deployment run a spec on its executor? This installation's configuration (the trainer's
 * Python, DOCKER_HOST, the Kubernetes settings), then what the live training workers report about
 * their hosts (lib/domain/executor-readiness.ts). Preview shows the blockers; launch and retry
 * refuse with the same text (`refuseUnrunnable`), so "Ready to launch" means the run can start.
 */
import { access } from "node:fs/promises";
import {
  executorReadiness,
  type Readiness,
  type ReadinessSpec,
} from "@/lib/domain/executor-readiness";
import { env } from "@/lib/server/core/env";
import { HttpError } from "@/lib/server/core/errors";
import { listTrainingWorkers } from "@/lib/server/core/heartbeat";
import { bus } from "@/lib/server/core/queues";
import { pythonPath } from "./backends";

type Executor = ReadinessSpec["executor"];

let pythonSeen: { path: string; at: number } | null = null;

/** Checked at most every 10 s while present: launch is a hot path and the venv rarely moves. */
async function pythonExists(): Promise<boolean> {
  const p = pythonPath();
  if (pythonSeen?.path === p && Date.now() - pythonSeen.at < 10_000) return true;
  const ok = await access(p).then(
    () => true,
    () => false,
  );
  pythonSeen = ok ? { path: p, at: Date.now() } : null;
  return ok;
}

/** Why this installation's configuration rules an executor out, or null. */
export async function configBlocker(kind: Executor): Promise<string | null> {
  const e = env();
  if (kind === "LOCAL") {
    if (e.TRAINING_MAX_CONCURRENT_LOCAL === 0)
      return "LOCAL training is disabled (TRAINING_MAX_CONCURRENT_LOCAL=0)";
    const ok = await pythonExists();
    return ok
      ? null
      : `the trainer's Python (${e.RETUNE_PYTHON}) is missing: run scripts/ensure-trainers.sh`;
  }
  if (kind === "DOCKER")
    return e.DOCKER_HOST
      ? null
      : "no Docker Engine is configured: set DOCKER_HOST (a socket path or tcp://host:port)";
  return e.KUBERNETES_NAMESPACE && e.KUBERNETES_JOBS_PVC
    ? null
    : "no Kubernetes cluster is configured: set KUBERNETES_NAMESPACE and KUBERNETES_JOBS_PVC (and KUBECONFIG)";
}

/** The live training workers, or why they could not be read (then nothing is known of them). */
async function trainingWorkers() {
  try {
    const b = bus();
    return { workers: await listTrainingWorkers(b.connection(), b.config.prefix), error: null };
  } catch (e) {
    return { workers: null, error: (e as Error).message };
  }
}

/** Blockers and warnings for running `spec` here. */
export async function checkExecutor(spec: ReadinessSpec): Promise<Readiness> {
  const config = await configBlocker(spec.executor);
  if (config) return { blockers: [{ path: "executor", message: config }], warnings: [] };
  const { workers, error } = await trainingWorkers();
  if (!workers)
    return {
      blockers: [],
      warnings: [`the training workers' heartbeats could not be read (${error}); not checked`],
    };
  return executorReadiness(spec, workers);
}

/**
 * Launch and retry: a 422 naming every blocker (the preview's text), or the warnings when none.
 * An unconfigured executor was refused this way before the workers' capabilities existed.
 */
export async function refuseUnrunnable(spec: ReadinessSpec): Promise<Readiness> {
  const readiness = await checkExecutor(spec);
  if (readiness.blockers.length)
    throw new HttpError(
      422,
      "invalid_spec",
      readiness.blockers.map((b) => b.message).join("; "),
      readiness.blockers,
    );
  return readiness;
}

/**
 * GET /executors: whether an executor can run anything here, and why not — the configuration,
 * then the workers' view of the engine or cluster (a CPU spec, so GPUs do not count).
 */
export async function executorAvailability(kind: Executor): Promise<string | null> {
  const { blockers } = await checkExecutor({
    method: "LORA",
    backend: "PEFT",
    executor: kind,
    compute: { gpuType: "CPU", gpuCount: 1 },
  });
  return blockers[0]?.message ?? null;
}
