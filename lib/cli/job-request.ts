/**
 * The body of POST /training-jobs from a spec file and flags. The CLI adds nothing of its own:
 * fields the request leaves out come from the preset on the server (lib/domain/training-spec.ts),
 * and the server validates the whole request, naming each wrong field. Only what the API requires
 * is checked here — and `baseModel`, filled from the preset when a preset is named without one.
 */
import type { Hyperparameters, TrainingJobRequest } from "@/lib/schemas/training-jobs";
import { usageError } from "./errors";
import { intArg, numberArg } from "./options";

type HyperparameterField = keyof Hyperparameters;

/** One flag per hyperparameter the launch form offers: flag, request field, parser, help. */
export const HYPERPARAMETER_FLAGS: [
  string,
  HyperparameterField,
  (raw: string) => number,
  string,
][] = [
  ["--max-steps <n>", "maxSteps", intArg(1), "optimizer steps (instead of --epochs)"],
  ["--epochs <n>", "numEpochs", numberArg, "passes over the training rows"],
  ["--learning-rate <x>", "learningRate", numberArg, "e.g. 2e-4"],
  ["--lora-r <n>", "loraR", intArg(1), "LoRA rank"],
  ["--lora-alpha <n>", "loraAlpha", intArg(1), "LoRA alpha"],
  ["--lora-dropout <x>", "loraDropout", numberArg, "LoRA dropout, 0 to <1"],
  ["--micro-batch-size <n>", "microBatchSize", intArg(1), "examples per device per step"],
  ["--grad-accum <n>", "gradientAccumulationSteps", intArg(1), "gradient accumulation steps"],
  ["--sequence-len <n>", "sequenceLen", intArg(16), "maximum tokens per example"],
  ["--warmup-steps <n>", "warmupSteps", intArg(0), "learning-rate warmup steps"],
  [
    "--warmup-ratio <x>",
    "warmupRatio",
    numberArg,
    "warmup as a share of the run (instead of steps)",
  ],
  [
    "--save-steps <n>",
    "saveSteps",
    intArg(1),
    "a checkpoint every n steps (what a retry resumes from)",
  ],
  ["--seed <n>", "seed", intArg(0), "random seed"],
];

/** Commander's camelCase key of a flag: "--max-steps <n>" → "maxSteps". */
export function optionKey(flag: string): string {
  return flag
    .replace(/^--/, "")
    .replace(/ .*$/, "")
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export type JobFlags = {
  model?: string;
  datasetVersion?: string;
  evalDatasetVersion?: string;
  baseModel?: string;
  preset?: string;
  method?: string;
  backend?: string;
  executor?: string;
  gpuType?: string;
  gpuCount?: number;
} & Record<string, unknown>;

/** A spec file's text as an object: JSON for `.json`, else YAML (of which JSON is a subset). */
export function parseSpecText(
  text: string,
  fileName: string,
  parseYaml: (text: string) => unknown,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = /\.json$/i.test(fileName) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw usageError(
      `${fileName} is not valid ${/\.json$/i.test(fileName) ? "JSON" : "YAML"}: ${(e as Error).message}`,
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw usageError(`${fileName} must hold one object: the body of POST /api/v1/training-jobs`);
  return value as Record<string, unknown>;
}

const asObject = (v: unknown): Record<string, unknown> =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The spec file's request with the flags on top (a flag wins over the file's field). `presetBase`
 * gives a preset's base model, for a request that names a preset and no base model.
 */
export function buildJobRequest(
  spec: Record<string, unknown>,
  flags: JobFlags,
  presetBase: (preset: string) => string | undefined,
): TrainingJobRequest {
  const top: Record<string, unknown> = { ...spec };
  const set = (field: string, value: unknown) => {
    if (value !== undefined) top[field] = value;
  };
  set("model", flags.model);
  set("datasetVersionId", flags.datasetVersion);
  set("evalDatasetVersionId", flags.evalDatasetVersion);
  set("baseModel", flags.baseModel);
  set("preset", flags.preset);
  set("method", flags.method);
  set("backend", flags.backend);
  set("executor", flags.executor);

  const hyperparameters = { ...asObject(spec.hyperparameters) };
  for (const [flag, field] of HYPERPARAMETER_FLAGS) {
    const value = flags[optionKey(flag)];
    if (value !== undefined) hyperparameters[field] = value;
  }
  if (Object.keys(hyperparameters).length) top.hyperparameters = hyperparameters;

  const compute = { ...asObject(spec.compute) };
  if (flags.gpuType !== undefined) compute.gpuType = flags.gpuType;
  if (flags.gpuCount !== undefined) compute.gpuCount = flags.gpuCount;
  if (Object.keys(compute).length) top.compute = compute;

  if (top.baseModel === undefined && typeof top.preset === "string") {
    const base = presetBase(top.preset);
    if (base) top.baseModel = base;
  }
  const missing = [
    top.model === undefined && "--model",
    top.datasetVersionId === undefined && "--dataset-version",
    top.baseModel === undefined && "--base-model (or a --preset)",
  ].filter(Boolean);
  if (missing.length)
    throw usageError(`jobs create needs ${missing.join(", ")} (as flags or in the --spec file)`);
  return top as TrainingJobRequest;
}
