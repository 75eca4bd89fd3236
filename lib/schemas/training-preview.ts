import { z } from "zod";
import { createTrainingJobBodySchema, estimateSchema, PRESET_IDS } from "./training-jobs";
import { preflightSchema } from "./training-preflight";

/**
 * POST /training-jobs/preview: what a launch of the same body would store and run, with the
 * launch form's live checks (config, command, estimate, pre-flight and blockers).
 */
export const trainingPreviewSchema = z.object({
  /** The complete spec a launch of this request stores and runs. */
  spec: createTrainingJobBodySchema,
  /** The preset the request's missing fields came from. */
  preset: z.enum(PRESET_IDS),
  /** What the preset adapted to the base model and the dataset, and why. */
  notes: z.array(z.string()).default([]),
  axolotlConfig: z.string().nullable(),
  trainerSpec: z.record(z.string(), z.unknown()).nullable(),
  command: z.array(z.string()),
  image: z.string().nullable(),
  estimate: estimateSchema,
  preflight: preflightSchema,
  /** Why a launch of this spec would be refused; empty when it can launch. */
  blockers: z.array(z.string()),
  /** What could not be checked (no training worker alive yet), or may fail on some workers. */
  warnings: z.array(z.string()).default([]),
});
export type TrainingPreview = z.infer<typeof trainingPreviewSchema>;
