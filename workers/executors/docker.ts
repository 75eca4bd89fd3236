import type Dockerode from "dockerode";
import type { Executor, LaunchSpec, LogChunk, RunRef, RunState } from "./types";

/**
 * How the job folder reaches the container at /job.
 * - `bind` (default): `LaunchSpec.jobDir` is a path on the Docker host (the worker runs on the
 *   host, or sees ARTIFACT_DIR at the same path).
 * - `volume`: the worker itself runs in a container, so its jobDir is not a host path; the
 *   artifacts live in the named volume `name` and the job folder is
 *   `<subPathRoot>/<jobId>` inside it (volume subpaths need Engine API 1.45+, Docker 26+).
 */
export type DockerJobMount =
  { kind: "bind" } | { kind: "volume"; name: string; subPathRoot?: string };

export type DockerExecutorOptions = {
  docker: Dockerode;
  jobMount?: DockerJobMount;
  /** Size of /dev/shm in bytes (PyTorch DataLoader workers and NCCL use it). Default 16 GiB. */
  shmSizeBytes?: number;
  /** Pull the image when the host does not have it. Default true, like `docker run`. */
  pullImages?: boolean;
};

export const DOCKER_LABELS = {
  jobId: "retune.job-id",
  attempt: "retune.attempt",
  teamId: "retune.team-id",
  backend: "retune.backend",
} as const;

const DEFAULT_SHM_BYTES = 16 * 1024 ** 3;

// The limits NVIDIA's NGC containers ask for, and that Axolotl and Unsloth use: a 64 MiB stack
// (some kernels overflow 8 MiB) and, for GPU runs only, unlimited locked memory (multi-GPU NCCL
// stalls otherwise). An engine whose daemon may not raise RLIMIT_MEMLOCK (rootless, or a
// restricted host: "error setting rlimit type 8: operation not permitted", seen on Debian's
// docker.io here) refuses the whole container, so CPU runs, which never pin memory, do not ask.
const STACK_ULIMIT = { Name: "stack", Soft: 67108864, Hard: 67108864 };
const GPU_ULIMITS = [{ Name: "memlock", Soft: -1, Hard: -1 }, STACK_ULIMIT];

/** Docker container name for one attempt; deterministic, so a racing second create gets a 409. */
export function dockerContainerName(jobId: string, attempt: number): string {
  // Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]*; ids are cuids, but never trust that.
  return `retune-${jobId.replace(/[^a-zA-Z0-9_.-]/g, "-")}-${attempt}`;
}

/** Env the trainer container gets: the spec's, plus what every orchestrated run must have. */
export function trainerEnv(spec: Pick<LaunchSpec, "backend" | "env">): Record<string, string> {
  // Axolotl's telemetry blocks start-up for 10 s and phones home unless this is set.
  return spec.backend === "AXOLOTL" ? { ...spec.env, AXOLOTL_DO_NOT_TRACK: "1" } : { ...spec.env };
}

type DockerError = Error & { statusCode?: number; json?: unknown };

function statusCodeOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null && "statusCode" in err
    ? (err as DockerError).statusCode
    : undefined;
}

function engineMessage(err: unknown): string {
  const json = (err as DockerError).json;
  if (typeof json === "object" && json !== null && "message" in json) {
    return String((json as { message: unknown }).message);
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Joins the payloads of a multiplexed log stream (TTY off): frames of an 8-byte header
 * (stream type 0/1/2, three zero bytes, big-endian payload length) and the payload. stdout and
 * stderr are kept in the order the engine wrote them, which is the order a reader expects.
 */
function demultiplex(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const type = raw[at];
    if (type !== 0 && type !== 1 && type !== 2) {
      // Not multiplexed (a TTY container someone else made): the bytes are the output.
      return at === 0 ? raw : Buffer.concat([...parts, raw.subarray(at)]);
    }
    const length = raw.readUInt32BE(at + 4);
    const end = at + 8 + length;
    if (end > raw.length) break; // truncated last frame; the next read gets it whole
    if (type !== 0) parts.push(raw.subarray(at + 8, end));
    at = end;
  }
  return Buffer.concat(parts);
}

/** Complete lines from byte `fromOffset` of `output`; a partial last line waits for its newline. */
export function completeLinesFrom(output: Buffer, fromOffset: number): LogChunk {
  if (fromOffset >= output.length) return { text: "", nextOffset: fromOffset };
  const rest = output.subarray(fromOffset);
  const lastNewline = rest.lastIndexOf(0x0a);
  if (lastNewline < 0) return { text: "", nextOffset: fromOffset };
  return {
    text: rest.subarray(0, lastNewline + 1).toString("utf8"),
    nextOffset: fromOffset + lastNewline + 1,
  };
}

/**
 * Runs each attempt as one Docker container on one Engine (docs/architecture.md, "Training"). The container keeps
 * the labels `retune.job-id` / `retune.attempt`, which is how a repeated `start` (after a worker
 * restart or a lost Redis) finds it instead of starting a second one; it is never auto-removed,
 * because its exit code and logs are the result. `cancel` removes it, and doubles as the clean-up
 * once a finished run's logs have been read.
 */
export function createDockerExecutor(opts: DockerExecutorOptions): Executor {
  const { docker } = opts;
  const jobMount = opts.jobMount ?? { kind: "bind" };
  const shmSizeBytes = opts.shmSizeBytes ?? DEFAULT_SHM_BYTES;
  const pullImages = opts.pullImages ?? true;

  async function findByLabels(jobId: string, attempt: number) {
    const found = await docker.listContainers({
      all: true,
      filters: {
        label: [`${DOCKER_LABELS.jobId}=${jobId}`, `${DOCKER_LABELS.attempt}=${attempt}`],
      },
    });
    return found[0] ?? null;
  }

  /** The container id to act on, or null when there is none (any more). */
  async function resolveId(ref: RunRef): Promise<string | null> {
    if (ref.externalId) return ref.externalId;
    return (await findByLabels(ref.jobId, ref.attempt))?.Id ?? null;
  }

  /** Starts a container that exists but never ran (its creator died between create and start). */
  async function ensureStarted(id: string): Promise<void> {
    const info = await docker.getContainer(id).inspect();
    if (info.State.Status !== "created") return; // running or finished: never restart a run
    try {
      await docker.getContainer(id).start();
    } catch (err) {
      if (statusCodeOf(err) !== 304) throw err; // 304: another worker started it just now
    }
  }

  function createBody(spec: LaunchSpec): Dockerode.ContainerCreateOptions {
    const env = trainerEnv(spec);
    const hostConfig: Dockerode.HostConfig = {
      ShmSize: shmSizeBytes,
      // Private IPC so ShmSize applies and one run's shared memory cannot crowd another's
      // (`--ipc=host` would share the host's /dev/shm and ignore ShmSize).
      IpcMode: "private",
      Ulimits: spec.gpu ? GPU_ULIMITS : [STACK_ULIMIT],
      // The exit code and logs are the result; the container must outlive the process.
      AutoRemove: false,
      RestartPolicy: { Name: "no" },
    };
    if (jobMount.kind === "bind") {
      hostConfig.Binds = [`${spec.jobDir}:/job`];
    } else {
      const subpath = [jobMount.subPathRoot, spec.jobId].filter(Boolean).join("/");
      hostConfig.Mounts = [
        {
          Type: "volume",
          Source: jobMount.name,
          Target: "/job",
          // @types/dockerode marks NoCopy/Labels/DriverConfig required; the Engine does not.
          VolumeOptions: { Subpath: subpath } as NonNullable<
            Dockerode.MountSettings["VolumeOptions"]
          >,
        },
      ];
    }
    if (spec.gpu) {
      // Count, never DeviceIDs: the two are mutually exclusive, and which GPUs is the host's call.
      hostConfig.DeviceRequests = [
        { Driver: "nvidia", Count: spec.gpu.count, Capabilities: [["gpu"]] },
      ];
    }
    return {
      Image: spec.image,
      Cmd: spec.command,
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Labels: {
        [DOCKER_LABELS.jobId]: spec.jobId,
        [DOCKER_LABELS.attempt]: String(spec.attempt),
        [DOCKER_LABELS.teamId]: spec.teamId,
        [DOCKER_LABELS.backend]: spec.backend,
      },
      WorkingDir: "/job",
      // Multiplexed logs (stdout/stderr framed), which readLogs parses.
      Tty: false,
      OpenStdin: false,
      HostConfig: hostConfig,
    };
  }

  async function create(name: string, body: Dockerode.ContainerCreateOptions) {
    // docker-modem serialises the whole options object into the query string as well as the body
    // unless given `_query`/`_body`; that would put every Env value (tokens included) in the URL
    // the daemon logs. Only `name` belongs in the query.
    const request = { _query: { name }, _body: body } as Dockerode.ContainerCreateOptions;
    return docker.createContainer(request);
  }

  async function pull(image: string): Promise<void> {
    const stream = await docker.pull(image);
    const events = await new Promise<Array<{ error?: string; errorDetail?: { message?: string } }>>(
      (resolve, reject) =>
        docker.modem.followProgress(stream, (err, output) => (err ? reject(err) : resolve(output))),
    );
    // A failed pull still answers 200; the failure is an `error` event in the stream.
    const failure = events.find((e) => e.error ?? e.errorDetail);
    if (failure) {
      throw new Error(
        `pulling ${image} failed: ${failure.errorDetail?.message ?? failure.error ?? "unknown"}`,
      );
    }
  }

  return {
    kind: "DOCKER",

    async start(spec) {
      const existing = await findByLabels(spec.jobId, spec.attempt);
      if (existing) {
        await ensureStarted(existing.Id);
        return { externalId: existing.Id };
      }
      const name = dockerContainerName(spec.jobId, spec.attempt);
      const body = createBody(spec);
      let container: Dockerode.Container;
      try {
        try {
          container = await create(name, body);
        } catch (err) {
          if (statusCodeOf(err) !== 404 || !/no such image/i.test(engineMessage(err))) throw err;
          if (!pullImages) {
            throw new Error(
              `image ${spec.image} is not on the Docker host and pulling is off (pullImages: false)`,
            );
          }
          await pull(spec.image);
          container = await create(name, body);
        }
      } catch (err) {
        if (statusCodeOf(err) !== 409) throw err;
        // Another worker created this attempt between our lookup and our create.
        const raced = await docker.getContainer(name).inspect();
        await ensureStarted(raced.Id);
        return { externalId: raced.Id };
      }
      try {
        await container.start();
      } catch (err) {
        if (statusCodeOf(err) !== 304) throw err;
      }
      return { externalId: container.id };
    },

    async status(ref): Promise<RunState> {
      const id = await resolveId(ref);
      if (!id) return { phase: "LOST", message: "the run's Docker container does not exist" };
      let info: Dockerode.ContainerInspectInfo;
      try {
        info = await docker.getContainer(id).inspect();
      } catch (err) {
        if (statusCodeOf(err) === 404) {
          return { phase: "LOST", message: `Docker container ${id.slice(0, 12)} is gone` };
        }
        throw err;
      }
      const state = info.State;
      switch (state.Status) {
        case "created":
          // A start that failed (no nvidia runtime, bad mount) leaves the container "created"
          // with State.Error; without this it would look pending forever.
          return state.Error
            ? {
                phase: "FAILED",
                exitCode: null,
                message: `container failed to start: ${state.Error}`,
              }
            : { phase: "PENDING" };
        case "running":
        case "restarting":
        case "paused":
          return { phase: "RUNNING" };
        case "exited":
        case "dead": {
          if (state.Status === "exited" && state.ExitCode === 0) {
            return { phase: "SUCCEEDED", exitCode: 0 };
          }
          const reasons = [
            state.OOMKilled ? "OOMKilled: the container ran out of memory" : null,
            state.Error || null,
          ].filter(Boolean);
          return {
            phase: "FAILED",
            exitCode: state.ExitCode,
            message:
              `trainer ${state.Status === "dead" ? "container died" : "exited"} with code ` +
              `${state.ExitCode}${reasons.length ? ` (${reasons.join("; ")})` : ""}`,
          };
        }
        default:
          // "removing": cancel is under way.
          return { phase: "LOST", message: `Docker container is ${state.Status}` };
      }
    },

    async readLogs(ref, fromOffset) {
      const id = await resolveId(ref);
      if (!id) return { text: "", nextOffset: fromOffset };
      let raw: Buffer;
      try {
        raw = await docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false });
      } catch (err) {
        if (statusCodeOf(err) === 404) return { text: "", nextOffset: fromOffset };
        throw err;
      }
      // docker-modem answers a non-stream request with parsed JSON when the bytes happen to be
      // JSON; a multiplexed stream never is (its first byte is 0x01/0x02), an empty one is "".
      return completeLinesFrom(
        demultiplex(Buffer.isBuffer(raw) ? raw : Buffer.from("")),
        fromOffset,
      );
    },

    async cancel(ref) {
      const id = await resolveId(ref);
      if (!id) return;
      const container = docker.getContainer(id);
      try {
        await container.kill();
      } catch (err) {
        // 404: gone already; 409: not running (finished, or never started).
        if (statusCodeOf(err) !== 404 && statusCodeOf(err) !== 409) throw err;
      }
      try {
        await container.remove({ force: true });
      } catch (err) {
        // 409: a removal is already in progress.
        if (statusCodeOf(err) !== 404 && statusCodeOf(err) !== 409) throw err;
      }
    },
  };
}
