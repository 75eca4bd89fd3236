import { z } from "zod";

/**
 * spec.json: what a retune worker hands `trainers/sft.py --spec spec.json` (PEFT and Unsloth
 * backends). The trainer is Python; this schema is the contract, and sft.py validates the same
 * fields. Paths are as the trainer sees them (inside a container they are under /job).
 */
export const trainerSpecSchema = z.object({
  jobId: z.string(),
  attempt: z.number().int().min(1),
  /** Catalogue id, e.g. "retune/tiny-chat" or "meta-llama/Llama-3.1-8B-Instruct". */
  baseModel: z.string(),
  /**
   * Where the base weights are: a local folder, or null to load `baseModel` from the Hugging Face
   * cache/hub. For retune/tiny-chat it is a folder sft.py builds with tiny_base.py when absent.
   */
  baseModelPath: z.string().nullable(),
  method: z.enum(["LORA", "QLORA"]),
  /** Use Unsloth's FastLanguageModel when importable (UNSLOTH backend). */
  useUnsloth: z.boolean(),
  trainFile: z.string(),
  /** A separate eval set; when null, `evalSplit` of the train file is held out (seeded). */
  evalFile: z.string().nullable(),
  evalSplit: z.number().min(0).lt(1),
  /** Checkpoints (checkpoint-N/) and the final adapter land here; shared by all attempts. */
  outputDir: z.string(),
  /** Resume from the newest checkpoint-N in outputDir when there is one. */
  resume: z.boolean(),
  lora: z.object({
    r: z.number().int().positive(),
    alpha: z.number().int().positive(),
    dropout: z.number().min(0).lt(1),
    targetModules: z.array(z.string()).min(1),
  }),
  training: z.object({
    learningRate: z.number().positive(),
    numEpochs: z.number().positive().nullable(),
    maxSteps: z.number().int().positive().nullable(),
    microBatchSize: z.number().int().positive(),
    gradientAccumulationSteps: z.number().int().positive(),
    warmupSteps: z.number().int().min(0).nullable(),
    warmupRatio: z.number().min(0).nullable(),
    sequenceLen: z.number().int().positive(),
    lrScheduler: z.string(),
    seed: z.number().int().min(0),
    loggingSteps: z.number().int().positive(),
    saveSteps: z.number().int().positive(),
    evalSteps: z.number().int().positive(),
  }),
});
export type TrainerSpec = z.infer<typeof trainerSpecSchema>;
