/**
 * trainers/generate.py in the PEFT trainer image on the configured Docker Engine
 * (EVAL_GENERATION_EXECUTOR=DOCKER): evaluations for a deployment whose workers have no host
 * Python, in the same image its DOCKER training runs use (issue #15). The job's files are bind
 * mounts (cases and outputs read-write, scripts, base and adapter read-only); progress and the
 * last stderr line come from the container's attached output, as from a host process; the
 * container is removed when the run ends, and killed when the evaluation is cancelled.
 */
import { PassThrough } from "node:stream";
import { dockerClient } from "@/lib/server/core/docker-client";
import { env } from "@/lib/server/core/env";
import { exitError, LocalGenerationError, scriptOutput } from "./generation-output";

/** Label of generation containers, so an operator (and the tests) can tell them from runs. */
export const GENERATION_LABEL = "retune.purpose";

export async function runInContainer(
  argv: string[],
  opts: {
    /** host path → container path (":ro" for read-only) */
    mounts: Record<string, string>;
    onProgress?: (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<void> {
  const e = env();
  if (!e.DOCKER_HOST)
    throw new LocalGenerationError(
      "EVAL_GENERATION_EXECUTOR is DOCKER but no Docker Engine is configured: set DOCKER_HOST",
    );
  const docker = dockerClient(e.DOCKER_HOST);
  const out = scriptOutput(opts.onProgress);
  let container;
  try {
    container = await docker.createContainer({
      Image: e.TRAINER_IMAGE_PEFT,
      Cmd: ["python", ...argv],
      Env: [
        "PYTHONUNBUFFERED=1",
        "HF_HUB_DISABLE_TELEMETRY=1",
        "TOKENIZERS_PARALLELISM=false",
        // One BLAS thread, as a CPU training container gets (lib/server/training/backends.ts).
        "OMP_NUM_THREADS=1",
      ],
      Labels: { [GENERATION_LABEL]: "eval-generation" },
      WorkingDir: "/gen",
      Tty: false,
      HostConfig: {
        Binds: Object.entries(opts.mounts).map(([host, at]) => `${host}:${at}`),
        AutoRemove: false,
      },
    });
  } catch (err) {
    throw new LocalGenerationError(
      `could not create the generation container from ${e.TRAINER_IMAGE_PEFT}: ${(err as Error).message}`,
    );
  }
  const onAbort = () => void container.kill().catch(() => {});
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.setEncoding("utf8").on("data", out.stdout);
    stderr.setEncoding("utf8").on("data", out.stderr);
    docker.modem.demuxStream(stream, stdout, stderr);
    const ended = new Promise<void>((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    // The attached output can trail the exit by a moment; its last lines carry the reason.
    await Promise.race([ended, new Promise((r) => setTimeout(r, 2_000).unref())]);
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("generation aborted");
    if (StatusCode !== 0) {
      throw exitError(
        `exited with code ${StatusCode} in its container`,
        StatusCode,
        out.lastStderr(),
      );
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await container.remove({ force: true }).catch(() => {});
  }
}
