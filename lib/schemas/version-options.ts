import { z } from "zod";
import { isoDateSchema } from "./common";
import { inputFormatSchema, provenanceSchema, versionStatusSchema } from "./datasets";
import { stageSchema } from "./model-cards";

/**
 * What the console's pickers list instead of asking for a pasted id: the team's model versions
 * (GET /api/v1/model-versions) and dataset versions (GET /api/v1/dataset-versions), newest
 * first, each with what a person recognises it by — the name, the version number, its stage or
 * status, and when it was made.
 */

/** Most options one request returns: a picker shows a page and narrows by typing. */
export const VERSION_OPTIONS_MAX = 50;

const optionsQueryFields = {
  /** Part of the Model's or dataset's name, case-insensitive; "name v3" also finds v3 of "name". */
  q: z.string().trim().max(200).optional(),
  /** One version by id: how a picker shows the label of a value it was given. */
  id: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(VERSION_OPTIONS_MAX).default(20),
};

export const modelVersionOptionsQuerySchema = z.object({
  ...optionsQueryFields,
  stage: stageSchema.optional(),
});
/** What a caller passes: every field optional (`limit` defaults). */
export type ModelVersionOptionsQuery = Partial<z.infer<typeof modelVersionOptionsQuerySchema>>;

export const modelVersionOptionSchema = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  version: z.number().int(),
  stage: stageSchema,
  aliases: z.array(z.string()),
  baseModel: z.string(),
  createdAt: isoDateSchema,
});
export type ModelVersionOption = z.infer<typeof modelVersionOptionSchema>;

export const modelVersionOptionsSchema = z.object({
  versions: z.array(modelVersionOptionSchema),
});

export const datasetVersionOptionsQuerySchema = z.object({
  ...optionsQueryFields,
  status: versionStatusSchema.optional(),
});
export type DatasetVersionOptionsQuery = Partial<z.infer<typeof datasetVersionOptionsQuerySchema>>;

export const datasetVersionOptionSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  datasetName: z.string(),
  version: z.number().int(),
  status: versionStatusSchema,
  format: inputFormatSchema.nullable(),
  provenance: provenanceSchema.nullable(),
  /** Valid rows once validated; null while validating. */
  validRows: z.number().int().nullable(),
  createdAt: isoDateSchema,
});
export type DatasetVersionOption = z.infer<typeof datasetVersionOptionSchema>;

export const datasetVersionOptionsSchema = z.object({
  versions: z.array(datasetVersionOptionSchema),
});
