/**
 * trainers/sft.py for real: the tiny local base, a LoRA on generator rows, checkpoints, the log
 * lines the reconciler parses, a resume from the newest checkpoint, a bad spec and SIGTERM.
 * Needs trainers/.venv (scripts/ensure-trainers.sh, run here first: a no-op when up to date).
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrainerLine, type TrainerEvent } from "@/lib/domain/trainer-log";
import { trainerSpecSchema, type TrainerSpec } from "@/lib/schemas/trainer-spec";
import { mulberry32 } from "@/lib/domain/prng";
import { makeRow } from "@/test/fixtures/tool-call-rows";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PYTHON = path.join(ROOT, "trainers/.venv/bin/python");
const SFT = path.join(ROOT, "trainers/sft.py");

// The tiny base is built once per version of its recipe and shared by runs (sft.py builds it
// under an fcntl lock when the folder is missing), so only the first run pays the build.
const recipeHash = createHash("sha256")
  .update(readFileSync(path.join(ROOT, "trainers/tiny_base.py")))
  .update(readFileSync(path.join(ROOT, "trainers/templates/tiny-chat.jinja")))
  .digest("hex")
  .slice(0, 12);
const TINY_BASE = path.join(tmpdir(), `retune-tiny-chat-${recipeHash}`);

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs sft.py; `onLine` sees each stdout line as it arrives and may kill the process. */
function runSft(
  specPath: string,
  opts: { env?: Record<string, string>; onLine?: (line: string, kill: () => void) => void } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SFT, "--spec", specPath], {
      cwd: ROOT,
      env: { ...process.env, PYTHONUNBUFFERED: "1", OMP_NUM_THREADS: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let partial = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      partial += chunk;
      const lines = partial.split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) opts.onLine?.(line, () => child.kill("SIGTERM"));
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function events(stdout: string): TrainerEvent[] {
  return stdout
    .split("\n")
    .map(parseTrainerLine)
    .flatMap((r) => (r?.kind === "event" ? [r.event] : []));
}

function trainingLogs(stdout: string) {
  return stdout
    .split("\n")
    .map(parseTrainerLine)
    .flatMap((r) => (r?.kind === "metrics" && "loss" in r.values ? [r] : []));
}

describe("trainers/sft.py on the tiny base (PEFT, CPU)", () => {
  let dir: string;
  let trainFile: string;

  type SpecOverrides = Partial<Omit<TrainerSpec, "training">> & {
    training?: Partial<TrainerSpec["training"]>;
  };
  const spec = (over: SpecOverrides) => {
    const s = trainerSpecSchema.parse({
      jobId: "sft-int",
      attempt: 1,
      baseModel: "retune/tiny-chat",
      baseModelPath: TINY_BASE,
      method: "LORA",
      useUnsloth: false,
      trainFile,
      evalFile: null,
      evalSplit: 0.1,
      outputDir: path.join(dir, "output"),
      resume: false,
      lora: {
        r: 16,
        alpha: 32,
        dropout: 0,
        targetModules: [
          "q_proj",
          "k_proj",
          "v_proj",
          "o_proj",
          "gate_proj",
          "up_proj",
          "down_proj",
        ],
      },
      ...over,
      training: {
        learningRate: 3e-3,
        numEpochs: null,
        maxSteps: 30,
        microBatchSize: 2,
        gradientAccumulationSteps: 1,
        warmupSteps: 3,
        warmupRatio: null,
        sequenceLen: 256,
        lrScheduler: "cosine",
        seed: 42,
        loggingSteps: 5,
        saveSteps: 10,
        evalSteps: 10,
        ...over.training,
      },
    });
    const file = path.join(dir, `spec-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(s));
    return file;
  };

  beforeAll(() => {
    execFileSync("bash", [path.join(ROOT, "scripts/ensure-trainers.sh")], { stdio: "inherit" });
    dir = mkdtempSync(path.join(tmpdir(), "retune-sft-"));
    trainFile = path.join(dir, "train.jsonl");
    const rand = mulberry32(42);
    const rows = Array.from({ length: 200 }, (_, i) => makeRow(rand, i));
    writeFileSync(trainFile, rows.join("\n") + "\n");
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("trains a LoRA, checkpoints, logs parseable lines, then resumes from the newest checkpoint", async () => {
    const first = await runSft(spec({}));
    expect(first.code, first.stderr.slice(-3000)).toBe(0);
    const out = path.join(dir, "output");

    // The final adapter in the output root.
    const config = JSON.parse(readFileSync(path.join(out, "adapter_config.json"), "utf8"));
    expect(config).toMatchObject({
      peft_type: "LORA",
      r: 16,
      lora_alpha: 32,
      base_model_name_or_path: "retune/tiny-chat",
    });
    expect([...config.target_modules].sort()).toEqual([
      "down_proj",
      "gate_proj",
      "k_proj",
      "o_proj",
      "q_proj",
      "up_proj",
      "v_proj",
    ]);
    // r16 on all seven projections of 4 layers: 131,072 fp32 parameters.
    expect(statSync(path.join(out, "adapter_model.safetensors")).size).toBeGreaterThan(500_000);
    // save_total_limit 2 keeps the newest two.
    expect(
      readdirSync(out)
        .filter((f) => f.startsWith("checkpoint-"))
        .sort(),
    ).toEqual(["checkpoint-20", "checkpoint-30"]);

    // Every Trainer dict line parses; training steps increase and the loss falls.
    const dictLines = first.stdout.split("\n").filter((l) => l.startsWith("{"));
    expect(dictLines.length).toBeGreaterThan(0);
    for (const line of dictLines) expect(parseTrainerLine(line), line).not.toBeNull();
    const logs = trainingLogs(first.stdout);
    expect(logs.map((l) => l.step)).toEqual([5, 10, 15, 20, 25, 30]);
    const losses = logs.map((l) => l.values.loss!);
    // Steps 1-5 average ~1.9 on this data; by step 30 the loss is ~1.15.
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.75);
    const evals = first.stdout
      .split("\n")
      .map(parseTrainerLine)
      .flatMap((r) =>
        r?.kind === "metrics" && r.values.eval_loss !== undefined
          ? [{ step: r.step, loss: r.values.eval_loss }]
          : [],
      );
    expect(evals.map((e) => e.step)).toEqual([10, 20, 30]);
    expect(evals.at(-1)!.loss).toBeLessThan(evals[0]!.loss);

    const ev = events(first.stdout);
    expect(ev[0]).toEqual({
      event: "train_begin",
      max_steps: 30,
      resume_step: 0,
      train_examples: 180,
      eval_examples: 20,
      skipped: 0,
      // The threads torch took: OMP_NUM_THREADS above.
      cpu_threads: 1,
    });
    expect(ev.filter((e) => e.event === "checkpoint")).toEqual([
      { event: "checkpoint", step: 10 },
      { event: "checkpoint", step: 20 },
      { event: "checkpoint", step: 30 },
    ]);
    const done = ev.at(-1);
    expect(done?.event).toBe("done");
    if (done?.event === "done") {
      expect(done.files).toContainEqual({
        name: "adapter_model.safetensors",
        bytes: statSync(path.join(out, "adapter_model.safetensors")).size,
      });
    }

    // A second attempt with more steps resumes from checkpoint-30.
    const second = await runSft(spec({ attempt: 2, resume: true, training: { maxSteps: 40 } }));
    expect(second.code, second.stderr.slice(-3000)).toBe(0);
    expect(events(second.stdout)[0]).toMatchObject({
      event: "train_begin",
      resume_step: 30,
      max_steps: 40,
    });
    expect(trainingLogs(second.stdout).map((l) => l.step)).toEqual([35, 40]);
    expect(existsSync(path.join(out, "checkpoint-40", "adapter_model.safetensors"))).toBe(true);
  }, 900_000);

  it("rejects a bad spec with exit 2, naming the field", async () => {
    const bad = path.join(dir, "bad-spec.json");
    const valid = JSON.parse(readFileSync(spec({}), "utf8"));
    writeFileSync(bad, JSON.stringify({ ...valid, lora: { ...valid.lora, r: 0 } }));
    const run = await runSft(bad);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("spec.lora.r");
    // The last stdout line says why, for the job's error headline (lib/domain/trainer-log.ts).
    expect(events(run.stdout)).toEqual([
      { event: "error", kind: "input", message: "spec.lora.r: must be greater than 0, got 0" },
    ]);

    const missing = path.join(dir, "missing-train.json");
    writeFileSync(missing, JSON.stringify({ ...valid, trainFile: path.join(dir, "nope.jsonl") }));
    const run2 = await runSft(missing);
    expect(run2.code).toBe(2);
    expect(run2.stderr).toContain("trainFile");
  }, 900_000);

  it("refuses QLoRA without CUDA with exit 3 and an error event saying so", async () => {
    // No GPU visible, also on a host that has one.
    const run = await runSft(spec({ method: "QLORA", outputDir: path.join(dir, "qlora") }), {
      env: { CUDA_VISIBLE_DEVICES: "" },
    });
    expect(run.code).toBe(3);
    expect(events(run.stdout).at(-1)).toEqual({
      event: "error",
      kind: "environment",
      message:
        "method QLORA loads the base in 4 bits with bitsandbytes, which needs a CUDA GPU; " +
        "this host has none. Use method LORA to train on CPU.",
    });
  }, 900_000);

  it("stops at once on SIGTERM, leaving complete checkpoints only", async () => {
    const outputDir = path.join(dir, "killed");
    let killedAfter: number | null = null;
    const run = await runSft(spec({ outputDir, training: { maxSteps: 200, saveSteps: 5 } }), {
      // Test-only: slow each step so the kill lands mid-run, not after the end.
      env: { RETUNE_TRAINER_STEP_DELAY_MS: "300" },
      onLine: (line, kill) => {
        const r = parseTrainerLine(line);
        if (killedAfter === null && r?.kind === "event" && r.event.event === "checkpoint") {
          killedAfter = r.event.step;
          kill();
        }
      },
    });
    expect(killedAfter).toBe(5);
    expect(run.signal).toBe("SIGTERM");
    expect(events(run.stdout).some((e) => e.event === "done")).toBe(false);
    expect(existsSync(path.join(outputDir, "checkpoint-5", "trainer_state.json"))).toBe(true);
    expect(existsSync(path.join(outputDir, "adapter_model.safetensors"))).toBe(false);
  }, 900_000);
});
