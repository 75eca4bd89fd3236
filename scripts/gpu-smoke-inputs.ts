/**
 * node --import tsx scripts/gpu-smoke-inputs.ts <work dir> <tiny base dir>
 * The inputs scripts/gpu-smoke.sh runs trainers/sft.py and trainers/generate.py on: the learnable
 * tool-call rows of the test fixtures (test/fixtures/tool-call-rows.ts) as train/eval JSONL,
 * held-out prompts of another seed for generation, and one trainer spec per method, parsed by
 * trainerSpecSchema (the contract sft.py reads) so the smoke never runs a spec the product could
 * not write. The hyperparameters are the tiny-cpu-demo preset's, shortened to a few dozen steps.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { findBaseModel } from "@/lib/domain/base-models";
import { cadenceFor, TINY_BASE_MODEL } from "@/lib/domain/sft-spec";
import { trainerSpecSchema, type TrainerSpec } from "@/lib/schemas/trainer-spec";
import { TRAINING_PRESETS } from "@/lib/schemas/training-jobs";
import { learnableToolJsonlText } from "@/test/fixtures/tool-call-rows";

const TRAIN_ROWS = 64;
const EVAL_ROWS = 8;
const PROMPTS = 4;
// Enough steps for the loss to fall clearly (5 passes over 64 rows at micro-batch 8), few enough
// to take seconds on a GPU and a minute or two on a busy 2-core CPU.
const MAX_STEPS = 40;
const MICRO_BATCH = 8;
const WARMUP_STEPS = 4;

function jsonl(rows: unknown[]): string {
  return rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

function main() {
  const [workDir, baseDir] = process.argv.slice(2);
  if (!workDir || !baseDir) {
    console.error("usage: gpu-smoke-inputs.ts <work dir> <tiny base dir>");
    process.exit(2);
  }
  const dataDir = path.join(workDir, "data");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, "train.jsonl"), learnableToolJsonlText(TRAIN_ROWS, 11));
  writeFileSync(path.join(dataDir, "eval.jsonl"), learnableToolJsonlText(EVAL_ROWS, 12));

  // Generation prompts: rows of another seed cut before the assistant's tool call, as an
  // evaluation case is (generate.py's input format: id, messages, tools).
  const prompts = learnableToolJsonlText(PROMPTS, 2024)
    .trim()
    .split("\n")
    .map((line, i) => {
      const row = JSON.parse(line) as { messages: { role: string }[]; tools: unknown[] };
      const upto = row.messages.findIndex((m) => m.role === "assistant");
      return { id: `prompt-${i}`, messages: row.messages.slice(0, upto), tools: row.tools };
    });
  writeFileSync(path.join(workDir, "prompts.jsonl"), jsonl(prompts));

  const model = findBaseModel(TINY_BASE_MODEL);
  if (!model) throw new Error(`${TINY_BASE_MODEL} is not in the catalogue`);
  const hp = TRAINING_PRESETS["tiny-cpu-demo"].hyperparameters;
  for (const method of ["LORA", "QLORA"] as const) {
    const runDir = path.join(workDir, method.toLowerCase());
    const spec: TrainerSpec = {
      jobId: `gpu-smoke-${method.toLowerCase()}`,
      attempt: 1,
      baseModel: TINY_BASE_MODEL,
      baseModelPath: path.resolve(baseDir),
      method,
      useUnsloth: false,
      trainFile: path.resolve(dataDir, "train.jsonl"),
      evalFile: path.resolve(dataDir, "eval.jsonl"),
      evalSplit: 0,
      outputDir: path.resolve(runDir, "output"),
      resume: false,
      lora: {
        r: hp.loraR,
        alpha: hp.loraAlpha,
        dropout: hp.loraDropout,
        targetModules: [...model.loraTargets],
      },
      training: {
        learningRate: hp.learningRate,
        numEpochs: null,
        maxSteps: MAX_STEPS,
        microBatchSize: MICRO_BATCH,
        gradientAccumulationSteps: hp.gradientAccumulationSteps,
        warmupSteps: WARMUP_STEPS,
        warmupRatio: null,
        sequenceLen: hp.sequenceLen,
        lrScheduler: hp.lrScheduler,
        seed: hp.seed,
        ...cadenceFor(MAX_STEPS),
      },
    };
    mkdirSync(runDir, { recursive: true });
    writeFileSync(
      path.join(runDir, "spec.json"),
      JSON.stringify(trainerSpecSchema.parse(spec), null, 2) + "\n",
    );
  }
}

main();
