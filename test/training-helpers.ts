/** Shared pieces of the training integration tests: a READY dataset, a tiny job, a worker process. */
import { type ChildProcess, spawn } from "node:child_process";
import { toolJsonlText } from "@/test/fixtures/tool-call-rows";
import { validateDatasetVersion } from "@/lib/server/datasets/validation";
import { createDataset, uploadVersion } from "@/lib/server/datasets/datasets";
import type { Principal } from "@/lib/server/core/principal";
import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";

export function toolJsonl(rows: number, seed = 7): string {
  return toolJsonlText(rows, seed);
}

export async function readyVersion(
  p: Principal,
  rows = 120,
  extra: { provenance?: "synthetic" | "production_traces"; text?: string } = {},
): Promise<string> {
  const d = await createDataset(p, { name: `train-${Math.random().toString(36).slice(2)}` });
  const { text = toolJsonl(rows), ...query } = extra;
  const res = await uploadVersion(p, d.id, {
    body: new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(Buffer.from(text));
        c.close();
      },
    }),
    contentType: "application/x-ndjson",
    query: { format: "auto", evalFraction: 0.1, ...query } as never,
  });
  const status = await validateDatasetVersion(res.id);
  if (status.status !== "READY") {
    const { db } = await import("@/lib/server/core/db");
    const v = await db().datasetVersion.findUniqueOrThrow({ where: { id: res.id } });
    throw new Error(
      `fixture dataset is ${status.status}: ${JSON.stringify(v.report).slice(0, 1500)}`,
    );
  }
  return res.id;
}

export function tinyJob(
  datasetVersionId: string,
  hp: Partial<CreateTrainingJobBody["hyperparameters"]> = {},
  model = "tool caller",
): CreateTrainingJobBody {
  return createTrainingJobBodySchema.parse({
    model,
    datasetVersionId,
    baseModel: "retune/tiny-chat",
    method: "LORA",
    backend: "PEFT",
    executor: "LOCAL",
    hyperparameters: {
      loraR: 8,
      loraAlpha: 16,
      learningRate: 3e-3,
      maxSteps: 40,
      microBatchSize: 2,
      gradientAccumulationSteps: 1,
      warmupSteps: 2,
      sequenceLen: 256,
      ...hp,
    },
  });
}

/** `npm run worker` as a real process (so kill -9 means what it says), on the test's queues. */
export function startWorker(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "workers/index.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      WORKER_QUEUES: "outbox,training",
      TRAINING_POLL_MS: "300",
      WORKER_SHUTDOWN_GRACE_S: "1",
      ...env,
    },
  });
  let out = "";
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  (child as ChildProcess & { output: () => string }).output = () => out;
  return child;
}

export function workerOutput(child: ChildProcess): string {
  return (child as ChildProcess & { output?: () => string }).output?.() ?? "";
}

/**
 * A worker test's teardown: the worker stopped with SIGTERM (it hands its jobs back) and awaited,
 * then every process still running from `artifactDir` killed (trainers are detached from the
 * worker on purpose, so they outlive it).
 */
export async function stopWorkerAndTrainers(
  worker: ChildProcess | null,
  artifactDir: string,
): Promise<void> {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    const exited = new Promise((r) => worker.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  for (const pid of await processesWith(artifactDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/** Pids of live processes whose command line contains `needle` (from /proc, no ps parsing). */
export async function processesWith(
  needle: string,
  opts: { excludeShells?: boolean } = {},
): Promise<number[]> {
  const { readdir, readFile } = await import("node:fs/promises");
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (stat.includes(") Z ")) continue; // zombies are gone, only not yet reaped
    if (opts.excludeShells && cmd.startsWith("/bin/sh\0")) continue;
    if (cmd.replaceAll("\0", " ").includes(needle)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Builds retune/tiny-chat into BASE_MODEL_DIR unless it is there (tiny_base.py is idempotent and
 * locked). Tests call it up front so their timeouts measure training, not the one-time build.
 */
export async function ensureTinyBase(): Promise<void> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { tinyBaseDir } = await import("@/lib/server/training/paths");
  const { pythonPath } = await import("@/lib/server/training/backends");
  await promisify(execFile)(pythonPath(), ["trainers/tiny_base.py", "--out", tinyBaseDir()], {
    timeout: 600_000,
    env: { ...process.env, OMP_NUM_THREADS: "1" },
  });
}
