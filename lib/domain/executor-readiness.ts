/**
 * Whether this deployment can run a spec on the executor it names, from what the live training
 * workers report about their hosts (lib/schemas/health.ts `workerCapabilitiesSchema`). Pure: the
 * caller reads the heartbeats (lib/server/training/readiness.ts) and adds the checks of its own
 * configuration. A blocker refuses a preview's launch button, a launch and a retry with the same
 * text; a warning says what could not be checked.
 *
 * Any training worker may take a job (they share the queue), so a spec is blocked only when no
 * reporting worker can run it; when only some can, a warning says so. Workers that have not
 * reported yet (probing at start, an older version) count as unknown, never as able or unable.
 */
import type { WorkerCapabilities } from "@/lib/schemas/health";
import type { GpuType } from "./training-estimate";

export type ReadinessSpec = {
  method: "LORA" | "QLORA";
  backend: "AXOLOTL" | "UNSLOTH" | "PEFT";
  executor: "LOCAL" | "DOCKER" | "KUBERNETES";
  compute: { gpuType: GpuType; gpuCount: number };
};

export type TrainingWorker = { hostname: string; capabilities: WorkerCapabilities | null };

/** `path` is the spec field to change, as in the API's field errors. */
export type ReadinessIssue = { path: string; message: string };
export type Readiness = { blockers: ReadinessIssue[]; warnings: string[] };

export const NO_TRAINING_WORKER =
  "no training worker is running; the job will wait in the queue, and these checks run when one starts";
export const NO_CAPABILITIES_YET =
  "the training workers have not reported what their hosts can run yet (they probe at start); GPUs, Docker and Kubernetes were not checked";

/** Why the spec needs a CUDA GPU, in the words of what needs it. */
function gpuNeed(spec: ReadinessSpec): string {
  if (spec.method === "QLORA") return "QLoRA (4-bit loading with bitsandbytes) needs a CUDA GPU";
  if (spec.backend === "UNSLOTH") return "Unsloth needs an NVIDIA GPU";
  return `gpuType ${spec.compute.gpuType} needs a CUDA GPU`;
}

/** Why a worker with these capabilities cannot run the spec, or null when it can. */
export function capabilityProblem(
  spec: ReadinessSpec,
  c: WorkerCapabilities,
): ReadinessIssue | null {
  const gpu = spec.compute.gpuType !== "CPU";
  if (spec.executor === "LOCAL") {
    if (!gpu) return null;
    const have = c.cuda.gpus.length;
    if (have >= spec.compute.gpuCount) return null;
    return {
      path: "compute.gpuType",
      message:
        have === 0
          ? `${gpuNeed(spec)}, and the LOCAL executor's host has none (${c.cuda.reason ?? "no GPU found"}); use DOCKER or KUBERNETES with GPU nodes, or train on CPU (gpuType CPU, method LORA, backend PEFT)`
          : `${spec.compute.gpuCount} GPUs were asked for; the LOCAL executor's host has ${have}`,
    };
  }
  if (spec.executor === "DOCKER") {
    if (!c.docker.configured)
      return {
        path: "executor",
        message: "the training worker has no Docker Engine configured (DOCKER_HOST is not set)",
      };
    if (!c.docker.reachable)
      return { path: "executor", message: c.docker.reason ?? "the Docker Engine does not answer" };
    if (gpu && !c.docker.nvidiaRuntime)
      return {
        path: "compute.gpuType",
        message: `${gpuNeed(spec)}: ${c.docker.reason ?? "the Docker Engine has no nvidia runtime"}`,
      };
    return null;
  }
  if (!c.kubernetes.configured)
    return {
      path: "executor",
      message:
        "the training worker has no Kubernetes cluster configured (KUBERNETES_NAMESPACE and KUBERNETES_JOBS_PVC)",
    };
  if (!c.kubernetes.reachable)
    return {
      path: "executor",
      message: c.kubernetes.reason ?? "the Kubernetes API does not answer",
    };
  return null;
}

/**
 * The trainer image the spec's backend runs in, when a worker's engine reported it absent. Not a
 * blocker: the executor pulls a missing image first, like `docker run`. But a pull fails where
 * no registry is reachable, and a locally built image (retune/trainer:cpu-…) exists nowhere else,
 * so the launch says so before the run fails on it.
 */
export function missingImage(spec: ReadinessSpec, c: WorkerCapabilities): string | null {
  if (spec.executor !== "DOCKER" || !c.docker.reachable) return null;
  const entry = c.docker.images.find((i) => i.backend === spec.backend);
  return entry && !entry.present ? entry.image : null;
}

function imageWarnings(spec: ReadinessSpec, able: TrainingWorker[]): string[] {
  const byImage = new Map<string, string[]>();
  for (const w of able) {
    const image = w.capabilities ? missingImage(spec, w.capabilities) : null;
    if (image) byImage.set(image, [...(byImage.get(image) ?? []), w.hostname]);
  }
  return [...byImage].map(
    ([image, hosts]) =>
      `the ${spec.backend} trainer image ${image} is not on the Docker host of ${[...new Set(hosts)].join(", ")}; the run pulls it first, which fails without a registry that has it (build it with scripts/build-trainer-image.sh, or docker load it)`,
  );
}

export function executorReadiness(spec: ReadinessSpec, workers: TrainingWorker[]): Readiness {
  if (workers.length === 0) return { blockers: [], warnings: [NO_TRAINING_WORKER] };
  const reporting = workers.flatMap((w) =>
    w.capabilities
      ? [{ hostname: w.hostname, problem: capabilityProblem(spec, w.capabilities) }]
      : [],
  );
  if (reporting.length === 0) return { blockers: [], warnings: [NO_CAPABILITIES_YET] };
  const unable = reporting.filter((r) => r.problem !== null);
  const distinct = (issues: ReadinessIssue[]) => [
    ...new Map(issues.map((i) => [i.message, i])).values(),
  ];
  const problems = distinct(unable.map((r) => r.problem!));
  if (unable.length === reporting.length) return { blockers: problems, warnings: [] };
  const images = imageWarnings(
    spec,
    workers.filter((w) => w.capabilities && !capabilityProblem(spec, w.capabilities)),
  );
  if (unable.length === 0) return { blockers: [], warnings: images };
  const hosts = [...new Set(unable.map((r) => r.hostname))].join(", ");
  return {
    blockers: [],
    warnings: [
      `${unable.length} of ${reporting.length} training workers cannot run this on ${spec.executor} (${hosts}: ${problems.map((p) => p.message).join("; ")}); a run that one of them starts fails`,
      ...images,
    ],
  };
}
