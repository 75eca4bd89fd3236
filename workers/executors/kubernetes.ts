import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as zlib from "node:zlib";
import type {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  V1Job,
  V1Pod,
  V1Toleration,
} from "@kubernetes/client-node";
import type * as KubeClientModule from "@kubernetes/client-node";
import { completeLinesFrom, trainerEnv } from "./docker";
import type { Executor, GpuRequest, LaunchSpec, RunRef, RunState } from "./types";

export type KubernetesExecutorOptions = {
  kubeConfig: KubeConfig;
  namespace: string;
  /**
   * The ReadWriteMany PersistentVolumeClaim that holds the job folders (ARTIFACT_DIR/training on
   * the workers); each run mounts `<subPathRoot>/<jobId>` of it at /job.
   */
  jobsPvc: string;
  /** Folder inside the PVC that holds the job folders; default: the PVC's root. */
  subPathRoot?: string;
  nodeSelector?: Record<string, string>;
  /**
   * Node labels that pick the requested GPU type (e.g. `nvidia.com/gpu.product` from GPU feature
   * discovery); the names differ per cluster, so the operator maps them. Merged over nodeSelector.
   */
  gpuNodeSelector?: (gpu: GpuRequest) => Record<string, string>;
  /** Added to the pod. GPU runs also tolerate the usual `nvidia.com/gpu` NoSchedule taint. */
  tolerations?: V1Toleration[];
  /** Garbage-collect finished Jobs and their pods after this long. Default one day. */
  ttlSecondsAfterFinished?: number;
  /** sizeLimit of the memory-backed /dev/shm (counts against the pod's memory). Default 16Gi. */
  shmSizeLimit?: string;
  serviceAccountName?: string;
};

export const KUBE_LABELS = {
  jobId: "retune.job-id",
  attempt: "retune.attempt",
  teamId: "retune.team-id",
  backend: "retune.backend",
} as const;

const CONTAINER = "trainer";
const GPU_RESOURCE = "nvidia.com/gpu";
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

const hash = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);

/**
 * `retune-<short job id>-<attempt>`: a DNS-1123 label of at most 63 characters (Job names longer
 * than that break the `job-name` label on their pods). Deterministic, so a second create of the
 * same attempt is a 409, not a second Job.
 */
export function kubeJobName(jobId: string, attempt: number): string {
  const slug = jobId.toLowerCase().replace(/[^a-z0-9]/g, "");
  // A cuid passes through unchanged; anything that had to be altered or cut gets a hash of the
  // original, so two ids that differ only in case or punctuation never share a Job.
  const short =
    slug === jobId && slug.length <= 32 ? slug : `${slug.slice(0, 20)}${hash(jobId, 8)}`;
  return `retune-${short || hash(jobId, 8)}-${attempt}`;
}

/** A valid label value (≤63, alphanumeric ends, `-_.` inside) that still identifies `value`. */
export function kubeLabelValue(value: string): string {
  if (/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(value)) return value;
  const stem = value
    .replace(/[^-A-Za-z0-9_.]/g, "-")
    .slice(0, 54)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return stem ? `${stem}-${hash(value, 8)}` : hash(value, 8);
}

type KubeClient = typeof KubeClientModule;

/**
 * Why @kubernetes/client-node cannot load on this Node.js, or null. Version 2.x fetches through
 * undici, and undici 8 binds zlib's zstd decompressor as it loads (Node.js >= 22.15; its engines
 * say >= 22.19). On an older Node that import throws — and under tsx (how workers run) and vitest
 * the failure also surfaces as an uncaught exception that ends the process even when the import's
 * promise is caught. So look before importing. undici 7 (Node >= 20.18) checks for zstd first, so
 * a project that pins it (npm `overrides`) passes.
 */
function clientLoadBlocker(): string | null {
  if (typeof (zlib as Record<string, unknown>).createZstdDecompress === "function") return null;
  let undiciVersion: string;
  try {
    const clientPkg = createRequire(import.meta.url).resolve(
      "@kubernetes/client-node/package.json",
    );
    undiciVersion = (createRequire(clientPkg)("undici/package.json") as { version: string })
      .version;
  } catch {
    return null; // cannot tell; let the import try
  }
  if (Number(undiciVersion.split(".")[0]) < 8) return null;
  return (
    `@kubernetes/client-node uses undici ${undiciVersion}, which needs Node.js >= 22.19 ` +
    `(zlib zstd); this is Node.js ${process.version}. Run workers on Node.js 22.19+, or pin ` +
    `undici 7 for @kubernetes/client-node with npm overrides`
  );
}

/** Loads @kubernetes/client-node on first use, so that importing this module never needs it. */
async function loadClient(): Promise<KubeClient> {
  const blocker = clientLoadBlocker();
  if (blocker) throw new Error(`the KUBERNETES executor cannot run: ${blocker}`);
  return import("@kubernetes/client-node");
}

/** This process's KubeConfig: KUBECONFIG or ~/.kube/config, else the in-cluster service account. */
export async function loadKubeConfig(): Promise<KubeConfig> {
  const client = await loadClient();
  const kubeConfig = new client.KubeConfig();
  kubeConfig.loadFromDefault();
  return kubeConfig;
}

/**
 * Whether the Kubernetes API answers for `namespace` with this process's credentials: one list of
 * at most one Job there (what the executor needs to do anyway), so a missing namespace or a
 * service account that may not manage Jobs reads as unavailable too. Throws with the reason.
 */
export async function pingKubernetes(opts: {
  namespace: string;
  kubeConfig?: KubeConfig;
  timeoutMs?: number;
}): Promise<void> {
  const client = await loadClient();
  const kubeConfig = opts.kubeConfig ?? (await loadKubeConfig());
  const batch = kubeConfig.makeApiClient(client.BatchV1Api);
  const timeoutMs = opts.timeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      batch.listNamespacedJob({ namespace: opts.namespace, limit: 1 }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    const code = codeOf(err);
    throw new Error(
      code
        ? `listing Jobs in namespace ${opts.namespace} answered ${code}: ${statusMessage(err)}`
        : statusMessage(err),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The API server's Status message of a failed call, else the error's own message. */
function statusMessage(err: unknown): string {
  const body = typeof err === "object" && err !== null ? (err as { body?: unknown }).body : null;
  let parsed: unknown = body;
  if (typeof body === "string") {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = null;
    }
  }
  const message =
    parsed && typeof parsed === "object" ? (parsed as { message?: unknown }).message : undefined;
  if (typeof message === "string" && message) return message;
  return err instanceof Error ? err.message : String(err);
}

/** HTTP status of a failed API call (the client's ApiException carries it as `code`). */
function codeOf(err: unknown): number | undefined {
  const code =
    typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === "number" ? code : undefined;
}

function labelsFor(spec: LaunchSpec): Record<string, string> {
  return {
    [KUBE_LABELS.jobId]: kubeLabelValue(spec.jobId),
    [KUBE_LABELS.attempt]: String(spec.attempt),
    [KUBE_LABELS.teamId]: kubeLabelValue(spec.teamId),
    [KUBE_LABELS.backend]: spec.backend,
  };
}

/** The pod that carries the run's output: the newest, should the controller have made another. */
function newestPod(pods: V1Pod[]): V1Pod | undefined {
  const created = (p: V1Pod) => p.metadata?.creationTimestamp?.valueOf() ?? 0;
  return [...pods].sort((a, b) => created(b) - created(a))[0];
}

/**
 * Runs each attempt as a batch/v1 Job (docs/architecture.md, "Training"), how retune grows past one machine. The Job
 * never retries (`backoffLimit: 0`: a retry is a new attempt, which retune owns), enforces the
 * wall-clock limit itself (`activeDeadlineSeconds`), and is garbage-collected with its pods
 * `ttlSecondsAfterFinished` after it ends. The job folder comes from a shared PVC, so the run
 * reads its config and writes checkpoints where the workers read them.
 *
 * Not settable in a pod spec: the memlock/stack ulimits the Docker executor sets; GPU nodes need
 * them in their container runtime's defaults.
 */
export function createKubernetesExecutor(opts: KubernetesExecutorOptions): Executor {
  const { namespace } = opts;
  let apis: Promise<{ batch: BatchV1Api; core: CoreV1Api }> | null = null;
  const clients = () =>
    (apis ??= loadClient().then((client) => ({
      batch: opts.kubeConfig.makeApiClient(client.BatchV1Api),
      core: opts.kubeConfig.makeApiClient(client.CoreV1Api),
    })));

  function jobBody(spec: LaunchSpec, name: string): V1Job {
    const labels = labelsFor(spec);
    const gpu = spec.gpu;
    const tolerations = [...(opts.tolerations ?? [])];
    if (gpu && !tolerations.some((t) => t.key === GPU_RESOURCE)) {
      // GPU node pools are commonly tainted; not every cluster adds this toleration by admission.
      tolerations.push({ key: GPU_RESOURCE, operator: "Exists", effect: "NoSchedule" });
    }
    const nodeSelector = {
      ...opts.nodeSelector,
      ...(gpu && opts.gpuNodeSelector ? opts.gpuNodeSelector(gpu) : {}),
    };
    const subPath = [opts.subPathRoot, spec.jobId].filter(Boolean).join("/");
    // GPUs are requested through limits only; requests, if given, must equal them.
    const gpuQuantity = gpu ? { [GPU_RESOURCE]: String(gpu.count) } : undefined;
    return {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name,
        namespace,
        labels,
        // Labels are constrained (63 chars, charset); the annotations keep the exact values.
        annotations: {
          [KUBE_LABELS.jobId]: spec.jobId,
          [KUBE_LABELS.teamId]: spec.teamId,
        },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: spec.timeoutSeconds,
        ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished ?? DEFAULT_TTL_SECONDS,
        template: {
          metadata: { labels },
          spec: {
            // Never: a failed pod stays for its logs and exit code instead of restarting in place.
            restartPolicy: "Never",
            ...(opts.serviceAccountName ? { serviceAccountName: opts.serviceAccountName } : {}),
            ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
            ...(tolerations.length ? { tolerations } : {}),
            containers: [
              {
                name: CONTAINER,
                image: spec.image,
                // `args` is Docker's Cmd: the image's ENTRYPOINT still runs and execs the argv,
                // as under the Docker executor. (Axolotl's sources its CUDA 13 env file first;
                // `command` would replace it and skip that.)
                args: spec.command,
                workingDir: "/job",
                env: Object.entries(trainerEnv(spec)).map(([k, value]) => ({ name: k, value })),
                ...(gpuQuantity
                  ? { resources: { limits: gpuQuantity, requests: gpuQuantity } }
                  : {}),
                volumeMounts: [
                  { name: "job", mountPath: "/job", subPath },
                  { name: "dshm", mountPath: "/dev/shm" },
                ],
              },
            ],
            volumes: [
              { name: "job", persistentVolumeClaim: { claimName: opts.jobsPvc } },
              // The runtime's default /dev/shm is 64 MB; DataLoader workers and NCCL need more.
              {
                name: "dshm",
                emptyDir: { medium: "Memory", sizeLimit: opts.shmSizeLimit ?? "16Gi" },
              },
            ],
          },
        },
      },
    };
  }

  async function readJob(name: string): Promise<V1Job | null> {
    const { batch } = await clients();
    try {
      return await batch.readNamespacedJob({ name, namespace });
    } catch (err) {
      if (codeOf(err) === 404) return null;
      throw err;
    }
  }

  async function podsOf(jobName: string): Promise<V1Pod[]> {
    // `job-name` is set on Job pods by every Kubernetes version (1.27+ also sets
    // `batch.kubernetes.io/job-name`).
    const { core } = await clients();
    const list = await core.listNamespacedPod({ namespace, labelSelector: `job-name=${jobName}` });
    return list.items;
  }

  function nameOf(ref: RunRef): string {
    return ref.externalId ?? kubeJobName(ref.jobId, ref.attempt);
  }

  /** Why the trainer container ended, from its pod: exit code and reason (OOMKilled, Error). */
  async function terminatedTrainer(jobName: string) {
    const pod = newestPod(await podsOf(jobName));
    const status = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER);
    return status?.state?.terminated ?? status?.lastState?.terminated ?? null;
  }

  return {
    kind: "KUBERNETES",

    async start(spec) {
      const { batch } = await clients();
      const name = kubeJobName(spec.jobId, spec.attempt);
      try {
        const created = await batch.createNamespacedJob({ namespace, body: jobBody(spec, name) });
        return { externalId: created.metadata?.name ?? name };
      } catch (err) {
        if (codeOf(err) !== 409) throw err;
      }
      // AlreadyExists: an earlier start (this worker before a restart, or another one) made it.
      const existing = await readJob(name);
      if (!existing) {
        // Deleted between our create and read (cancelled, or TTL); the caller retries.
        throw new Error(`Kubernetes Job ${namespace}/${name} existed and then vanished; retry`);
      }
      const owner = existing.metadata?.labels?.[KUBE_LABELS.jobId];
      if (owner !== kubeLabelValue(spec.jobId)) {
        throw new Error(
          `Kubernetes Job ${namespace}/${name} exists but belongs to job ${owner ?? "(none)"}`,
        );
      }
      return { externalId: name };
    },

    async status(ref): Promise<RunState> {
      const name = nameOf(ref);
      const job = await readJob(name);
      if (!job) {
        return {
          phase: "LOST",
          message: `Kubernetes Job ${namespace}/${name} not found (deleted, or removed by its TTL)`,
        };
      }
      const s = job.status ?? {};
      const condition = (type: string) =>
        s.conditions?.find((c) => c.type === type && c.status === "True");
      if (condition("Complete")) return { phase: "SUCCEEDED", exitCode: 0 };
      const failed = condition("Failed");
      if (failed) {
        if (failed.reason === "DeadlineExceeded") {
          return {
            phase: "FAILED",
            exitCode: null,
            message:
              `timed out: the run exceeded its ${job.spec?.activeDeadlineSeconds ?? "?"} s limit ` +
              `(activeDeadlineSeconds) and Kubernetes stopped it`,
          };
        }
        const terminated = await terminatedTrainer(name).catch(() => null);
        const detail = [
          terminated?.reason === "OOMKilled" ? "OOMKilled: the container ran out of memory" : null,
          terminated?.message ?? null,
          failed.message ?? null,
        ].filter(Boolean);
        return {
          phase: "FAILED",
          exitCode: terminated?.exitCode ?? null,
          message:
            (terminated ? `trainer exited with code ${terminated.exitCode}` : "the Job failed") +
            ` (${[failed.reason ?? "Failed", ...detail].join("; ")})`,
        };
      }
      // `ready` (GA in 1.29) tells a running trainer from a pod still waiting for a GPU node or
      // pulling its image; older API servers omit it, and then active is the best we know.
      if ((s.active ?? 0) > 0) {
        return s.ready === undefined || s.ready > 0 ? { phase: "RUNNING" } : { phase: "PENDING" };
      }
      // Since 1.31 the controller marks FailureTarget / SuccessCriteriaMet first and adds the
      // terminal condition once the pod has terminated: the run is finishing, not pending.
      const finishing =
        condition("FailureTarget") ||
        condition("SuccessCriteriaMet") ||
        (s.terminating ?? 0) > 0 ||
        (s.succeeded ?? 0) > 0 ||
        (s.failed ?? 0) > 0;
      return { phase: finishing ? "RUNNING" : "PENDING" };
    },

    async readLogs(ref, fromOffset) {
      const pod = newestPod(await podsOf(nameOf(ref)));
      const podName = pod?.metadata?.name;
      if (!podName) return { text: "", nextOffset: fromOffset };
      const { core } = await clients();
      let log: string;
      try {
        log = await core.readNamespacedPodLog({ name: podName, namespace, container: CONTAINER });
      } catch (err) {
        // 400: the container has not started yet (ContainerCreating); 404: the pod just went.
        if (codeOf(err) === 400 || codeOf(err) === 404) return { text: "", nextOffset: fromOffset };
        throw err;
      }
      return completeLinesFrom(Buffer.from(log ?? "", "utf8"), fromOffset);
    },

    async cancel(ref) {
      const { batch } = await clients();
      try {
        // Jobs deleted through the API orphan their pods unless told otherwise (a batch/v1
        // compatibility default); Background deletes the Job now and lets the garbage collector
        // stop and remove its pods.
        await batch.deleteNamespacedJob({
          name: nameOf(ref),
          namespace,
          propagationPolicy: "Background",
        });
      } catch (err) {
        if (codeOf(err) !== 404) throw err;
      }
    },
  };
}
