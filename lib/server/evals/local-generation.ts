/**
 * Local batch generation for evaluations: trainers/generate.py on this host (CPU or a local GPU),
 * or in the trainer image on the Docker Engine (EVAL_GENERATION_EXECUTOR=DOCKER,
 * ./container-generation.ts), a base model optionally with a LoRA adapter. Cases go in as JSONL, outputs come back as JSONL in
 * input order; progress is read from the script's `[retune] {"event":"progress",…}` lines.
 */
import { spawn } from "node:child_process";
import { constants } from "node:fs";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { TINY_BASE_MODEL } from "@/lib/domain/sft-spec";
import {
  type CaseOutput,
  caseOutputSchema,
  outputLogprobsSchema,
} from "@/lib/schemas/eval-metrics";
import { pythonPath, trainersDir } from "@/lib/server/training/backends";
import { tinyBaseDir } from "@/lib/server/training/paths";
import { cappedEnv, nicedArgv, trainerCpuLimits } from "@/lib/server/training/trainer-process";
import { env } from "@/lib/server/core/env";
import { runInContainer } from "./container-generation";
import { exitError, LocalGenerationError, scriptOutput } from "./generation-output";

export { LocalGenerationError };

export type LocalGenerationInput = {
  /** Catalogue id; retune/tiny-chat is built locally into BASE_MODEL_DIR on first use. */
  baseModel: string;
  /** LoRA adapter folder (adapter_config.json, adapter_model.safetensors), or null for the base. */
  adapterDir: string | null;
  cases: readonly { messages: readonly unknown[]; tools: readonly unknown[] }[];
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Where cases.jsonl / outputs.jsonl go; default a temporary folder removed afterwards. */
  workDir?: string;
  batchSize?: number;
  maxNewTokens?: number;
};

const KILL_GRACE_MS = 5_000;

/**
 * Runs generate.py over `cases` and returns one CaseOutput per case, in order. `toolCalls` keeps
 * the script's semantics: null when the model attempted a call that does not parse, [] when it
 * answered in text. Aborting `signal` stops the process (SIGTERM, then SIGKILL) and rejects.
 */
export async function generateLocally(input: LocalGenerationInput): Promise<CaseOutput[]> {
  input.signal?.throwIfAborted();
  const own = input.workDir === undefined;
  const dir = input.workDir ?? (await mkdtemp(path.join(tmpdir(), "retune-generate-")));
  await mkdir(dir, { recursive: true });
  try {
    const inputPath = path.join(dir, "cases.jsonl");
    const outputPath = path.join(dir, "outputs.jsonl");
    await writeFile(
      inputPath,
      input.cases
        .map((c, i) =>
          JSON.stringify(
            c.tools.length
              ? { id: String(i), messages: c.messages, tools: c.tools }
              : { id: String(i), messages: c.messages },
          ),
        )
        .join("\n") + (input.cases.length ? "\n" : ""),
    );
    await rm(outputPath, { force: true });
    const tiny = input.baseModel === TINY_BASE_MODEL;
    const inContainer = env().EVAL_GENERATION_EXECUTOR === "DOCKER";
    // In a container the same files are mounted at fixed paths (container-generation.ts).
    const at = inContainer
      ? { trainers: "/trainers", base: "/base", adapter: "/adapter", work: "/gen" }
      : { trainers: trainersDir(), base: tinyBaseDir(), adapter: input.adapterDir, work: dir };
    const args = [
      path.join(at.trainers, "generate.py"),
      "--base",
      input.baseModel,
      ...(tiny ? ["--base-path", at.base] : []),
      ...(input.adapterDir ? ["--adapter", at.adapter!] : []),
      "--input",
      path.posix.join(at.work, "cases.jsonl"),
      "--output",
      path.posix.join(at.work, "outputs.jsonl"),
      "--batch-size",
      String(input.batchSize ?? 8),
      "--max-new-tokens",
      String(input.maxNewTokens ?? 128),
    ];
    const opts = { onProgress: input.onProgress, signal: input.signal };
    if (inContainer) {
      await runInContainer(args, {
        ...opts,
        mounts: {
          [dir]: "/gen",
          [trainersDir()]: "/trainers:ro",
          ...(tiny ? { [tinyBaseDir()]: "/base:ro" } : {}),
          ...(input.adapterDir ? { [input.adapterDir]: "/adapter:ro" } : {}),
        },
      });
    } else {
      await runScript(args, opts);
    }
    return readOutputs(outputPath, input.cases.length);
  } finally {
    if (own) await rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

async function runScript(
  args: string[],
  opts: {
    onProgress?: (done: number, total: number) => void;
    signal?: AbortSignal;
  },
): Promise<void> {
  // Like a LOCAL trainer: niced and thread-capped by this host's limits, so evaluations do not
  // slow the API and the worker beside them (lib/server/training/trainer-process.ts).
  const limits = trainerCpuLimits();
  // Under `nice`, a missing Python is nice's exit 127, not a spawn error: look for it first.
  await access(pythonPath(), constants.X_OK).catch(() => {
    throw new LocalGenerationError(
      `the generation Python (${pythonPath()}) is missing: run scripts/ensure-trainers.sh`,
    );
  });
  const [file, ...argv] = nicedArgv([pythonPath(), ...args], limits);
  const child = spawn(file!, argv, {
    stdio: ["ignore", "pipe", "pipe"],
    env: cappedEnv(
      {
        ...process.env,
        PYTHONUNBUFFERED: "1",
        HF_HUB_DISABLE_TELEMETRY: "1",
        TOKENIZERS_PARALLELISM: "false",
      },
      limits,
    ),
  });
  const out = scriptOutput(opts.onProgress);
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", out.stdout);
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", out.stderr);

  let killTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    child.kill("SIGTERM");
    killTimer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
    killTimer.unref();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    const { code, signal } = await new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
    }>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve({ code, signal }));
    }).catch((e: NodeJS.ErrnoException) => {
      throw new LocalGenerationError(
        e.code === "ENOENT"
          ? `${file} is missing on this host (needed to start ${pythonPath()})`
          : `generate.py could not start: ${e.message}`,
      );
    });
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("generation aborted");
    if (code === 0) return;
    throw exitError(
      code !== null ? `exited with code ${code}` : `was killed by ${signal}`,
      code,
      out.lastStderr(),
    );
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    if (killTimer) clearTimeout(killTimer);
  }
}

async function readOutputs(outputPath: string, total: number): Promise<CaseOutput[]> {
  const text = await readFile(outputPath, "utf8").catch(() => {
    throw new LocalGenerationError(`generate.py exited 0 but wrote no ${outputPath}`);
  });
  const byId = new Map<string, CaseOutput>();
  for (const [i, line] of text.split("\n").entries()) {
    if (!line.trim()) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new LocalGenerationError(
        `generate.py output line ${i + 1} is not JSON: ${(e as Error).message}`,
      );
    }
    const r = (row ?? {}) as Record<string, unknown>;
    const id = String(r.id);
    // Read on its own: a summary this release cannot read is an unknown confidence, never a
    // reason to drop the row's tool calls with it.
    const logprobs = outputLogprobsSchema.safeParse(r.logprobs);
    const parsed = caseOutputSchema.safeParse({
      text: r.text ?? "",
      toolCalls: r.toolCalls === undefined ? null : r.toolCalls,
      latencyMs: r.latencyMs ?? null,
      promptTokens: r.promptTokens ?? null,
      completionTokens: r.completionTokens ?? null,
      ...(logprobs.success ? { logprobs: logprobs.data } : {}),
      ...(typeof r.error === "string" ? { error: r.error } : {}),
    });
    byId.set(
      id,
      parsed.success
        ? parsed.data
        : {
            // A call whose arguments are not an object (e.g. a JSON array) cannot be scored as a
            // call: treat it like any other unparseable attempt.
            text: typeof r.text === "string" ? r.text : "",
            toolCalls: null,
            latencyMs: typeof r.latencyMs === "number" ? r.latencyMs : null,
            promptTokens: typeof r.promptTokens === "number" ? r.promptTokens : null,
            completionTokens: typeof r.completionTokens === "number" ? r.completionTokens : null,
            ...(logprobs.success ? { logprobs: logprobs.data } : {}),
            ...(typeof r.error === "string" ? { error: r.error } : {}),
          },
    );
  }
  const outputs: CaseOutput[] = [];
  for (let i = 0; i < total; i++) {
    const o = byId.get(String(i));
    if (!o) throw new LocalGenerationError(`generate.py wrote no output for case ${i}`);
    outputs.push(o);
  }
  return outputs;
}
