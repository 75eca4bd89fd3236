/**
 * The PEFT / UNSLOTH backends: the spec.json `trainers/sft.py` reads, built from a validated job
 * spec. Cadences (logging, eval, checkpoints) scale with the run's length so a 40-step demo and a
 * 40,000-step run both draw a readable curve and keep a recent checkpoint to resume from.
 */
import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";
import type { TrainerSpec } from "@/lib/schemas/trainer-spec";
import { findBaseModel } from "./base-models";

export const TINY_BASE_MODEL = "retune/tiny-chat";

export type Cadence = { loggingSteps: number; evalSteps: number; saveSteps: number };

/** ~100 logged points, ~10 evaluations and ~8 checkpoints over the run (`saveSteps` overrides). */
export function cadenceFor(totalSteps: number): Cadence {
  const every = (n: number) => Math.max(1, Math.round(totalSteps / n));
  return { loggingSteps: every(100), evalSteps: every(10), saveSteps: every(8) };
}

export type SftPaths = {
  /** The job folder as the trainer sees it (an absolute host path, or /job in a container). */
  jobDir: string;
  baseModelPath: string | null;
};

export function buildTrainerSpec(
  spec: CreateTrainingJobBody,
  ctx: {
    jobId: string;
    attempt: number;
    resume: boolean;
    totalSteps: number;
    hasEvalRows: boolean;
    paths: SftPaths;
  },
): TrainerSpec {
  const model = findBaseModel(spec.baseModel);
  if (!model?.arch) throw new Error(`${spec.baseModel} is not a trainable catalogue model`);
  const hp = spec.hyperparameters;
  const dir = ctx.paths.jobDir;
  return {
    jobId: ctx.jobId,
    attempt: ctx.attempt,
    baseModel: model.id,
    baseModelPath: ctx.paths.baseModelPath,
    method: spec.method,
    useUnsloth: spec.backend === "UNSLOTH",
    trainFile: `${dir}/data/train.jsonl`,
    // The job's data folder already holds the dataset's own split; the trainer splits nothing.
    evalFile: ctx.hasEvalRows ? `${dir}/data/eval.jsonl` : null,
    evalSplit: 0,
    outputDir: `${dir}/output`,
    resume: ctx.resume,
    lora: {
      r: hp.loraR,
      alpha: hp.loraAlpha,
      dropout: hp.loraDropout,
      targetModules: [...(hp.targetModules ?? model.loraTargets)],
    },
    training: {
      learningRate: hp.learningRate,
      numEpochs: hp.maxSteps !== undefined ? null : (hp.numEpochs ?? 1),
      maxSteps: hp.maxSteps ?? null,
      microBatchSize: hp.microBatchSize,
      gradientAccumulationSteps: hp.gradientAccumulationSteps,
      warmupSteps: hp.warmupSteps ?? null,
      warmupRatio: hp.warmupRatio ?? null,
      sequenceLen: hp.sequenceLen,
      lrScheduler: hp.lrScheduler,
      seed: hp.seed,
      ...cadenceFor(ctx.totalSteps),
      ...(hp.saveSteps !== undefined ? { saveSteps: hp.saveSteps } : {}),
    },
  };
}
