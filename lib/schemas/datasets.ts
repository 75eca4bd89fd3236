import { z } from "zod";
import { isoDateSchema } from "./common";

/** How a file's rows are read. ShareGPT rows are converted to chat on the way in. */
export const INPUT_FORMATS = ["chat", "tool_calling", "sharegpt", "completion"] as const;
export const inputFormatSchema = z.enum(INPUT_FORMATS);
export type InputFormat = z.infer<typeof inputFormatSchema>;

export const PROVENANCES = ["production_traces", "human_labelled", "synthetic", "mixed"] as const;
export const provenanceSchema = z.enum(PROVENANCES);
export type Provenance = z.infer<typeof provenanceSchema>;

export const datasetNameSchema = z
  .string()
  .trim()
  .min(1, "required")
  .max(100)
  .regex(/^[\w .:/-]+$/, "letters, digits, spaces and _ . : / - only");

export const createDatasetBodySchema = z.strictObject({
  name: datasetNameSchema,
  description: z.string().trim().max(2_000).optional(),
});
export type CreateDatasetBody = z.infer<typeof createDatasetBodySchema>;

/** Query string of `POST /api/v1/datasets/{id}/versions` (the body is the file itself). */
export const uploadQuerySchema = z.object({
  format: z.enum(["auto", ...INPUT_FORMATS]).default("auto"),
  provenance: provenanceSchema.optional(),
  evalFraction: z.coerce.number().min(0).max(0.5).default(0.1),
  baseModel: z.string().max(200).optional(),
});
export type UploadQuery = z.infer<typeof uploadQuerySchema>;

export const FINDING_CODES = [
  "invalid_utf8",
  "line_too_long",
  "invalid_json",
  "not_an_object",
  "unknown_format",
  "invalid_shape",
  "role_order",
  "no_assistant_turn",
  "assistant_empty",
  "empty_content",
  "undeclared_tool",
  "arguments_invalid_json",
  "arguments_not_object",
  "arguments_schema",
  "invalid_tool_schema",
  "orphan_tool_message",
  "duplicate_example",
  "exceeds_context",
  "pii_email",
  "pii_phone",
  "pii_card",
  "synthetic_majority",
  /** The stored gzip stream ends early (half a file, or no trailer): nothing after it is read. */
  "truncated_gzip",
] as const;
export const findingCodeSchema = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof findingCodeSchema>;

export const findingSchema = z.object({
  /** 1-based line of the file; null for findings about the whole dataset. */
  line: z.number().int().positive().nullable(),
  severity: z.enum(["error", "warning"]),
  code: findingCodeSchema,
  message: z.string(),
  field: z.string().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

export const reportSchema = z.object({
  findings: z.array(findingSchema),
  countsByCode: z.partialRecord(findingCodeSchema, z.number().int()),
  errorLines: z.number().int(),
  warningLines: z.number().int(),
  /** Findings kept per code; the rest are only counted. */
  keptPerCode: z.number().int(),
});
export type Report = z.infer<typeof reportSchema>;

const distributionSchema = z.object({
  total: z.number(),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  max: z.number(),
});

export const statsSchema = z.object({
  rows: z.number().int(),
  validRows: z.number().int(),
  blankLines: z.number().int(),
  sourceFormat: inputFormatSchema.nullable(),
  tokens: distributionSchema.extend({
    /** true when counted with the base model family's own tokenizer; false: an estimate. */
    exact: z.boolean(),
    tokenizer: z.string(),
  }),
  assistantTokenShare: z.number(),
  turns: z.object({ mean: z.number(), max: z.number() }),
  toolCallShare: z.number(),
  toolCounts: z.record(z.string(), z.number().int()),
  provenance: z.record(z.string(), z.number()),
  lengthHistogram: z.array(z.object({ upTo: z.number(), count: z.number().int() })),
  split: z.object({ train: z.number().int(), eval: z.number().int(), evalFraction: z.number() }),
});
export type DatasetStats = z.infer<typeof statsSchema>;

export const versionStatusSchema = z.enum(["VALIDATING", "READY", "INVALID"]);

export const datasetVersionSchema = z.object({
  id: z.string(),
  datasetId: z.string(),
  version: z.number().int(),
  status: versionStatusSchema,
  contentHash: z.string(),
  sizeBytes: z.number(),
  processedBytes: z.number(),
  format: inputFormatSchema.nullable(),
  provenance: provenanceSchema.nullable(),
  evalFraction: z.number(),
  baseModel: z.string().nullable(),
  parentVersionId: z.string().nullable(),
  stats: statsSchema.nullable(),
  report: reportSchema.nullable(),
  /** Why validation could not finish (it failed for good; INVALID without a report). */
  error: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type DatasetVersion = z.infer<typeof datasetVersionSchema>;

export const datasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: isoDateSchema,
  latestVersion: datasetVersionSchema.omit({ stats: true, report: true }).nullable(),
  versionCount: z.number().int(),
});
export type Dataset = z.infer<typeof datasetSchema>;

/** `GET /api/v1/dataset-versions/{id}/download`. */
export const downloadQuerySchema = z.object({
  valid: z
    .string()
    .optional()
    .describe("`true`: only the valid rows, normalised (once validation has finished)."),
});

export const rowsQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  q: z.string().max(200).optional(),
  /** Jump straight to a line (a finding's). */
  line: z.coerce.number().int().positive().optional(),
});

export const previewRowSchema = z.object({
  line: z.number().int(),
  raw: z.string(),
  /** Parsed value when the line is JSON; the UI renders messages, tool calls and arguments. */
  value: z.unknown().nullable(),
  split: z.enum(["train", "eval"]).nullable(),
  findings: z.array(findingSchema),
});
export type PreviewRow = z.infer<typeof previewRowSchema>;

export const rowsPageSchema = z.object({
  rows: z.array(previewRowSchema),
  /** Offset (in non-blank lines) of the next page; null after a jump to a line or at the end. */
  nextOffset: z.number().int().nullable(),
  /** File line where the next page starts (works after a jump too); null at the end. */
  nextLine: z.number().int().nullable().optional(),
  scannedLines: z.number().int(),
});

/** `GET /api/v1/datasets/{id}`: the dataset and its versions, newest first (report omitted). */
export const datasetDetailSchema = datasetSchema.extend({
  versions: z.array(datasetVersionSchema),
});
export type DatasetDetail = z.infer<typeof datasetDetailSchema>;

/** `GET /api/v1/datasets/{id}/versions`: newest first (report omitted: read it per version). */
export const datasetVersionListSchema = z.object({ versions: z.array(datasetVersionSchema) });
export type DatasetVersionList = z.infer<typeof datasetVersionListSchema>;

/**
 * `POST /api/v1/datasets/{id}/versions` → 202. `deduplicated`: these bytes were already a version.
 * `POST /api/v1/dataset-versions/{id}/clean` answers the same: it uploads the valid rows.
 */
export const uploadAcceptedSchema = z.object({
  id: z.string(),
  status: versionStatusSchema,
  version: z.number().int(),
  deduplicated: z.boolean(),
});
export type UploadAccepted = z.infer<typeof uploadAcceptedSchema>;
