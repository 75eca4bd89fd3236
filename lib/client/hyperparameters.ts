import type { Hyperparameters } from "@/lib/schemas/training-jobs";

/** Hyperparameters in a fixed order, with names people use; unset ones are left out. */
export const HP_ROWS: { key: keyof Hyperparameters; label: string }[] = [
  { key: "loraR", label: "LoRA r" },
  { key: "loraAlpha", label: "LoRA alpha" },
  { key: "loraDropout", label: "LoRA dropout" },
  { key: "targetModules", label: "Target modules" },
  { key: "learningRate", label: "Learning rate" },
  { key: "lrScheduler", label: "LR scheduler" },
  { key: "numEpochs", label: "Epochs" },
  { key: "maxSteps", label: "Max steps" },
  { key: "microBatchSize", label: "Micro batch" },
  { key: "gradientAccumulationSteps", label: "Grad. accumulation" },
  { key: "warmupSteps", label: "Warmup steps" },
  { key: "warmupRatio", label: "Warmup ratio" },
  { key: "sequenceLen", label: "Sequence length" },
  { key: "seed", label: "Seed" },
  { key: "saveSteps", label: "Checkpoint every (steps)" },
];
