/**
 * What this worker's host can run, for its heartbeat (lib/schemas/health.ts
 * `workerCapabilitiesSchema`): CUDA GPUs (nvidia-smi), whether the configured Docker Engine
 * answers and has the nvidia runtime, whether the configured Kubernetes API answers. Launch and
 * preview read these to refuse a spec this deployment cannot run, instead of letting the trainer
 * fail on it later. Every probe is bounded by a timeout and never throws: a failure is "not
 * available" with its reason.
 */
import { execFile } from "node:child_process";
import type Dockerode from "dockerode";
import type { WorkerCapabilities } from "@/lib/schemas/health";
import { env } from "@/lib/server/core/env";
import { dockerClient } from "./executors/configured";
import { pingKubernetes } from "./executors/kubernetes";

/** How often a training worker probes again (a GPU, an engine or a cluster can come and go). */
export const CAPABILITIES_EVERY_MS = 60_000;
const PROBE_TIMEOUT_MS = 5_000;

const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));

export type CudaProbe = WorkerCapabilities["cuda"];

/**
 * `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader,nounits` output: one
 * `name, MiB` line per GPU.
 */
export function parseNvidiaSmi(stdout: string): CudaProbe["gpus"] {
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const cut = line.lastIndexOf(",");
      const name = (cut >= 0 ? line.slice(0, cut) : line).trim();
      const memory = cut >= 0 ? Number(line.slice(cut + 1).trim()) : NaN;
      return { name, memoryMb: Number.isFinite(memory) ? memory : null };
    });
}

/**
 * The GPUs a process started from this worker sees: CUDA_VISIBLE_DEVICES (passed through to
 * LOCAL trainers) narrows nvidia-smi's list; empty or -1 hides them all. Indices pick GPUs;
 * UUIDs or MIG names are counted, since their order cannot be matched here.
 */
export function visibleGpus(
  gpus: CudaProbe["gpus"],
  cudaVisibleDevices: string | undefined,
): CudaProbe["gpus"] {
  if (cudaVisibleDevices === undefined) return gpus;
  const ids = cudaVisibleDevices
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // CUDA stops at the first invalid entry: "-1" (or anything after it) hides the rest.
  const stop = ids.findIndex((s) => /^-\d+$/.test(s));
  const valid = stop >= 0 ? ids.slice(0, stop) : ids;
  if (valid.every((s) => /^\d+$/.test(s))) {
    return valid.map(Number).flatMap((i) => (gpus[i] ? [gpus[i]] : []));
  }
  return gpus.slice(0, valid.length);
}

export async function probeCuda(
  opts: { binary?: string; timeoutMs?: number; cudaVisibleDevices?: string } = {},
): Promise<CudaProbe> {
  const binary = opts.binary ?? "nvidia-smi";
  const result = await new Promise<{ stdout: string; error: string | null }>((resolve) => {
    execFile(
      binary,
      ["--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
      { timeout: opts.timeoutMs ?? PROBE_TIMEOUT_MS, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (!err) return resolve({ stdout, error: null });
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return resolve({ stdout: "", error: `${binary} is not installed` });
        if ((err as { killed?: boolean }).killed)
          return resolve({ stdout: "", error: `${binary} gave no answer in time` });
        const said = (stderr || stdout).trim().split("\n")[0];
        resolve({ stdout: "", error: `${binary} failed: ${said || errorMessage(err)}` });
      },
    );
  });
  if (result.error) return { gpus: [], reason: result.error };
  const all = parseNvidiaSmi(result.stdout);
  const visible = visibleGpus(
    all,
    "cudaVisibleDevices" in opts ? opts.cudaVisibleDevices : process.env.CUDA_VISIBLE_DEVICES,
  );
  if (visible.length) return { gpus: visible, reason: null };
  return {
    gpus: [],
    reason: all.length
      ? `CUDA_VISIBLE_DEVICES hides this host's ${all.length} GPU(s)`
      : `${binary} lists no GPU`,
  };
}

export type DockerProbe = WorkerCapabilities["docker"];

/** dockerode passes `abortSignal` through to its request; its type definitions omit the option. */
type Abortable = { abortSignal: AbortSignal };
const ping = (d: Dockerode, o: Abortable) =>
  (d.ping as (this: Dockerode, o: Abortable) => Promise<unknown>).call(d, o);
const info = (d: Dockerode, o: Abortable) =>
  (d.info as (this: Dockerode, o: Abortable) => Promise<unknown>).call(d, o);

const inspectImage = (d: Dockerode, name: string, o: Abortable) =>
  (d.getImage(name).inspect as (o: Abortable) => Promise<unknown>).call(d.getImage(name), o);

export type TrainerImage = Omit<DockerProbe["images"][number], "present">;

/**
 * Which of `images` the engine holds (GET /images/{name}/json). Anything but an answer counts
 * as absent: a run would have to pull it, and the status page says so.
 */
async function probeImages(
  docker: Dockerode,
  images: TrainerImage[],
  timeoutMs: number,
): Promise<DockerProbe["images"]> {
  return Promise.all(
    images.map(async (i) => {
      try {
        await inspectImage(docker, i.image, { abortSignal: AbortSignal.timeout(timeoutMs) });
        return { ...i, present: true };
      } catch {
        return { ...i, present: false };
      }
    }),
  );
}

/**
 * Whether the Engine answers a ping, whether `docker info` lists an `nvidia` runtime, and which
 * of the trainer `images` it holds.
 */
export async function probeDocker(
  docker: Dockerode | null,
  opts: { timeoutMs?: number; host?: string; images?: TrainerImage[] } = {},
): Promise<DockerProbe> {
  if (!docker)
    return {
      configured: false,
      reachable: false,
      nvidiaRuntime: false,
      reason: "DOCKER_HOST is not set",
      images: [],
    };
  const timeoutMs = opts.timeoutMs ?? PROBE_TIMEOUT_MS;
  const where = opts.host ? ` at ${opts.host}` : "";
  try {
    await ping(docker, { abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const timedOut = (e as Error).name === "AbortError" || (e as Error).name === "TimeoutError";
    return {
      configured: true,
      reachable: false,
      nvidiaRuntime: false,
      reason: `the Docker Engine${where} does not answer: ${timedOut ? `no answer in ${timeoutMs} ms` : errorMessage(e)}`,
      images: [],
    };
  }
  const images = await probeImages(docker, opts.images ?? [], timeoutMs);
  try {
    const answer = (await info(docker, { abortSignal: AbortSignal.timeout(timeoutMs) })) as {
      Runtimes?: Record<string, unknown>;
    };
    const runtimes = Object.keys(answer.Runtimes ?? {});
    const nvidia = runtimes.includes("nvidia");
    return {
      configured: true,
      reachable: true,
      nvidiaRuntime: nvidia,
      reason: nvidia
        ? null
        : `the Docker Engine${where} has no nvidia runtime (runtimes: ${runtimes.join(", ") || "none"}); install the NVIDIA Container Toolkit for GPU runs`,
      images,
    };
  } catch (e) {
    return {
      configured: true,
      reachable: true,
      nvidiaRuntime: false,
      reason: `docker info failed: ${errorMessage(e)}`,
      images,
    };
  }
}

export type KubernetesProbe = WorkerCapabilities["kubernetes"];

export async function probeKubernetes(
  namespace: string | undefined,
  jobsPvc: string | undefined,
  ping: (namespace: string) => Promise<void> = (ns) => pingKubernetes({ namespace: ns }),
): Promise<KubernetesProbe> {
  if (!namespace || !jobsPvc)
    return {
      configured: false,
      reachable: false,
      reason: "KUBERNETES_NAMESPACE and KUBERNETES_JOBS_PVC are not set",
    };
  try {
    await ping(namespace);
    return { configured: true, reachable: true, reason: null };
  } catch (e) {
    return {
      configured: true,
      reachable: false,
      reason: `the Kubernetes API does not answer: ${errorMessage(e)}`,
    };
  }
}

let docker: { host: string; client: Dockerode } | null = null;

/** All three probes, at once, as this worker's environment configures them. */
export async function probeCapabilities(): Promise<WorkerCapabilities> {
  const e = env();
  if (e.DOCKER_HOST && docker?.host !== e.DOCKER_HOST)
    docker = { host: e.DOCKER_HOST, client: dockerClient(e.DOCKER_HOST) };
  const [cuda, dockerProbe, kubernetes] = await Promise.all([
    probeCuda(),
    probeDocker(e.DOCKER_HOST ? docker!.client : null, {
      host: e.DOCKER_HOST,
      images: [
        { backend: "PEFT", image: e.TRAINER_IMAGE_PEFT },
        { backend: "UNSLOTH", image: e.TRAINER_IMAGE_UNSLOTH },
        { backend: "AXOLOTL", image: e.TRAINER_IMAGE_AXOLOTL },
      ],
    }),
    probeKubernetes(e.KUBERNETES_NAMESPACE, e.KUBERNETES_JOBS_PVC),
  ]);
  return { checkedAt: new Date().toISOString(), cuda, docker: dockerProbe, kubernetes };
}

/**
 * Probes now and then every `everyMs`, handing each result to `onResult`; one probe at a time,
 * never awaited by the caller (the heartbeat does not wait for a slow engine or cluster).
 */
export function startCapabilityProbes(
  onResult: (c: WorkerCapabilities) => void,
  opts: { everyMs?: number; probe?: () => Promise<WorkerCapabilities> } = {},
): { stop(): void; first: Promise<void> } {
  const probe = opts.probe ?? probeCapabilities;
  let running = false;
  let stopped = false;
  const run = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const c = await probe();
      if (!stopped) onResult(c);
    } catch {
      // probeCapabilities never throws; an injected probe that does just skips this round.
    } finally {
      running = false;
    }
  };
  const first = run();
  const timer = setInterval(() => void run(), opts.everyMs ?? CAPABILITIES_EVERY_MS);
  timer.unref();
  return {
    first,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
