import { z } from "zod";
import { findBaseModel } from "@/lib/domain/base-models";
import { datasetNameSchema } from "./datasets";
import { scorerSchema, scoringProfileSchema, type Scorer } from "./eval-metrics";
import { createEvalSuiteBodySchema, evalSuiteSchema } from "./evals";

/**
 * `POST /api/v1/eval-suites/import-bfcl` (issue #16): BFCL test files, as the Berkeley Function
 * Calling Leaderboard publishes them, become one dataset version and an eval suite over it.
 */

/**
 * The whole request, read into memory (the files travel as JSON strings): at most 24 MiB, and
 * never more than DATASET_MAX_UPLOAD_BYTES. 24 MiB holds every BFCL v4 single-turn category
 * several times over (the largest, live_multiple, is about 4 MB with its answers). The rows it
 * becomes (questions, answers and a reference turn each) must stay under the 32 MiB from which
 * the dataset validator goes multi-threaded (datasets/validation.ts, PARALLEL_FROM_BYTES): the
 * import validates inside the Next.js server while the request waits, and the threaded
 * analyser bundles its worker from the source tree, which a built server does not have.
 */
export const BFCL_IMPORT_MAX_BYTES = 24 * 1024 * 1024;

/** Scorers an imported suite runs unless the request names others. */
export const BFCL_IMPORT_SCORERS: readonly Scorer[] = [
  "tool_call",
  "json_validity",
  "schema_validity",
  "latency",
];

/** One BFCL test category: its question file and, except for irrelevance-style ones, answers. */
export const bfclFilePairSchema = z.strictObject({
  /** BFCL's category name (`simple`, `parallel_multiple`, `live_simple`, …); becomes a slice. */
  category: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits and _ . - only"),
  /** `BFCL_v4_<category>.json`: one question per line (JSON lines despite the extension). */
  questions: z.string().min(1, "the question file is empty"),
  /**
   * `possible_answer/BFCL_v4_<category>.json`, one line per question id. Absent for categories
   * BFCL scores without answers (relevance: any call; irrelevance: no call).
   */
  answers: z.string().nullable().optional(),
});
export type BfclFilePair = z.infer<typeof bfclFilePairSchema>;

export const importBfclBodySchema = z
  .strictObject({
    /** The suite's name (the same rules as `POST /eval-suites`). */
    name: createEvalSuiteBodySchema.shape.name,
    /**
     * The dataset that holds the converted rows, as one new version: created, or given that
     * version when the team has a dataset of this name. Default: `bfcl/<suite name>`.
     */
    datasetName: datasetNameSchema.optional(),
    /** The base model whose tokenizer counts the rows and whose context they must fit. */
    baseModel: z
      .string()
      .refine((id) => findBaseModel(id) !== undefined, "not in the base-model catalogue")
      .optional(),
    scoringProfile: scoringProfileSchema.default("bfcl"),
    scorers: z
      .array(scorerSchema)
      .min(1)
      .default([...BFCL_IMPORT_SCORERS]),
    files: z.array(bfclFilePairSchema).min(1).max(32),
  })
  .superRefine((body, ctx) => {
    const seen = new Map<string, number>();
    body.files.forEach((f, i) => {
      const first = seen.get(f.category);
      if (first !== undefined)
        ctx.addIssue({
          code: "custom",
          path: ["files", i, "category"],
          message: `category "${f.category}" is already given by files[${first}]; send each category once`,
        });
      else seen.set(f.category, i);
    });
  });
export type ImportBfclBody = z.infer<typeof importBfclBodySchema>;

/** The dataset name an import uses when the request names none (a suite name may hold `()`). */
export function defaultBfclDatasetName(suiteName: string): string {
  return `bfcl/${suiteName.replace(/[^\w .:/-]/g, "-")}`.slice(0, 100);
}

export const importBfclResultSchema = z.object({
  suite: evalSuiteSchema,
  dataset: z.object({ id: z.string(), name: z.string() }),
  datasetVersionId: z.string(),
  /** Cases (rows) per category, in the order the files were sent. */
  categories: z.array(z.object({ category: z.string(), cases: z.number().int() })),
  cases: z.number().int(),
});
export type ImportBfclResult = z.infer<typeof importBfclResultSchema>;
