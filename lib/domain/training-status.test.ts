import { describe, expect, it } from "vitest";
import {
  canCancel,
  canRetry,
  canTransitionJob,
  etaSeconds,
  JOB_TRANSITIONS,
  TRAINING_STATUSES,
} from "./training-status";
import { buildTrainerSpec, cadenceFor } from "./sft-spec";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";

describe("training status transitions", () => {
  it("covers every status and never leaves SUCCEEDED", () => {
    expect(Object.keys(JOB_TRANSITIONS).sort()).toEqual([...TRAINING_STATUSES].sort());
    for (const s of TRAINING_STATUSES) expect(canTransitionJob("SUCCEEDED", s)).toBe(false);
  });
  it("cancels only what has not finished, retries only what failed or was cancelled", () => {
    expect(TRAINING_STATUSES.filter(canCancel)).toEqual(["QUEUED", "STARTING", "RUNNING"]);
    expect(TRAINING_STATUSES.filter(canRetry)).toEqual(["FAILED", "CANCELLED"]);
    expect(canTransitionJob("RUNNING", "QUEUED")).toBe(false);
  });
  it("extrapolates the ETA from the pace so far", () => {
    expect(etaSeconds({ elapsedSeconds: 10, stepsDone: 20, totalSteps: 100 })).toBe(40);
    expect(etaSeconds({ elapsedSeconds: 10, stepsDone: 0, totalSteps: 100 })).toBeNull();
    expect(etaSeconds({ elapsedSeconds: 10, stepsDone: 5, totalSteps: null })).toBeNull();
    expect(etaSeconds({ elapsedSeconds: 10, stepsDone: 120, totalSteps: 100 })).toBe(0);
  });
});

describe("the trainer spec", () => {
  const spec = createTrainingJobBodySchema.parse({
    model: "m",
    datasetVersionId: "dv",
    baseModel: "retune/tiny-chat",
    method: "LORA",
    hyperparameters: {
      loraR: 8,
      loraAlpha: 16,
      learningRate: 0.003,
      maxSteps: 375,
      microBatchSize: 16,
      gradientAccumulationSteps: 1,
      warmupSteps: 10,
      sequenceLen: 256,
    },
  });

  it("checkpoints every hyperparameters.saveSteps when the spec sets it", () => {
    const ctx = {
      jobId: "j1",
      attempt: 1,
      resume: false,
      totalSteps: 375,
      hasEvalRows: false,
      paths: { jobDir: "/job", baseModelPath: null },
    };
    const every25 = createTrainingJobBodySchema.parse({
      ...spec,
      hyperparameters: { ...spec.hyperparameters, saveSteps: 25 },
    });
    expect(buildTrainerSpec(every25, ctx).training.saveSteps).toBe(25);
    expect(buildTrainerSpec(spec, ctx).training.saveSteps).toBe(cadenceFor(375).saveSteps);
  });

  it("scales logging, eval and checkpoint cadence with the run", () => {
    expect(cadenceFor(375)).toEqual({ loggingSteps: 4, evalSteps: 38, saveSteps: 47 });
    expect(cadenceFor(10)).toEqual({ loggingSteps: 1, evalSteps: 1, saveSteps: 1 });
  });

  it("points the trainer at the job folder's split and the catalogue's LoRA targets", () => {
    const t = buildTrainerSpec(spec, {
      jobId: "j1",
      attempt: 2,
      resume: true,
      totalSteps: 375,
      hasEvalRows: false,
      paths: { jobDir: "/job", baseModelPath: "/job/base-model" },
    });
    expect(t.trainFile).toBe("/job/data/train.jsonl");
    expect(t.evalFile).toBeNull();
    expect(t.evalSplit).toBe(0);
    expect(t.resume).toBe(true);
    expect(t.lora.targetModules).toContain("down_proj");
    expect(t.training.maxSteps).toBe(375);
    expect(t.training.numEpochs).toBeNull();
    expect(t.training.warmupRatio).toBeNull();
  });
});
