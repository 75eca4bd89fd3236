/**
 * The AXOLOTL backend: an Axolotl config built as a typed object from a validated job spec (and
 * serialized with a YAML library in lib/server/training/backends.ts, never string templates), run as `axolotl train` in the
 * axolotlai/axolotl image. Only allow-listed keys exist: no plugins, no remote code, no paths
 * from the user (base_model comes from the catalogue, every path is the job folder's).
 */
import { findBaseModel } from "./base-models";
import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";

/** Inside the container the job folder is mounted here. */
export const JOB_DIR = "/job";

type Dataset = {
  path: string;
  ds_type: "json";
  type: "chat_template";
  field_messages: "messages";
  field_tools: "tools";
  roles_to_train: ["assistant"];
  train_on_eos: "turn";
};

export type AxolotlConfig = {
  base_model: string;
  trust_remote_code: false;
  adapter: "lora" | "qlora";
  load_in_4bit?: true;
  lora_r: number;
  lora_alpha: number;
  lora_dropout: number;
  lora_target_modules: string[];
  datasets: Dataset[];
  test_datasets?: Dataset[];
  val_set_size: number;
  chat_template: "tokenizer_default";
  sequence_len: number;
  sample_packing: boolean;
  micro_batch_size: number;
  gradient_accumulation_steps: number;
  num_epochs?: number;
  max_steps?: number;
  learning_rate: number;
  lr_scheduler: string;
  warmup_steps?: number;
  warmup_ratio?: number;
  optimizer: string;
  bf16: "auto";
  tf32: boolean;
  gradient_checkpointing: true;
  attn_implementation?: "flash_attention_2";
  flash_attention?: true;
  logging_steps: number;
  saves_per_epoch?: number;
  save_steps?: number;
  save_safetensors: true;
  output_dir: string;
  seed: number;
};

const dataset = (file: string): Dataset => ({
  path: `${JOB_DIR}/data/${file}`,
  ds_type: "json",
  type: "chat_template",
  field_messages: "messages",
  field_tools: "tools",
  roles_to_train: ["assistant"],
  train_on_eos: "turn",
});

export type AxolotlOptions = {
  /** Images before v0.17 only know `flash_attention: true` (docs/architecture.md, "Environment"). */
  legacyAttentionFlag?: boolean;
  /** Fraction held out when no separate eval dataset is given. */
  evalFraction: number;
  /** The job folder holds data/eval.jsonl already (retune wrote the dataset's own split). */
  evalFile?: boolean;
};

export function buildAxolotlConfig(
  spec: CreateTrainingJobBody,
  opts: AxolotlOptions,
): AxolotlConfig {
  const model = findBaseModel(spec.baseModel);
  if (!model?.arch) throw new Error(`${spec.baseModel} is not a trainable catalogue model`);
  const hp = spec.hyperparameters;
  const qlora = spec.method === "QLORA";
  const steps = hp.maxSteps !== undefined;
  return {
    base_model: model.id,
    trust_remote_code: false,
    adapter: qlora ? "qlora" : "lora",
    ...(qlora ? { load_in_4bit: true as const } : {}),
    lora_r: hp.loraR,
    lora_alpha: hp.loraAlpha,
    lora_dropout: hp.loraDropout,
    lora_target_modules: [...(hp.targetModules ?? model.loraTargets)],
    datasets: [dataset("train.jsonl")],
    ...(spec.evalDatasetVersionId || opts.evalFile
      ? { test_datasets: [dataset("eval.jsonl")], val_set_size: 0 }
      : { val_set_size: opts.evalFraction }),
    chat_template: "tokenizer_default",
    sequence_len: hp.sequenceLen,
    sample_packing: true,
    micro_batch_size: hp.microBatchSize,
    gradient_accumulation_steps: hp.gradientAccumulationSteps,
    ...(steps ? { max_steps: hp.maxSteps! } : { num_epochs: hp.numEpochs ?? 1 }),
    learning_rate: hp.learningRate,
    lr_scheduler: hp.lrScheduler,
    ...(hp.warmupSteps !== undefined ? { warmup_steps: hp.warmupSteps } : {}),
    ...(hp.warmupRatio !== undefined ? { warmup_ratio: hp.warmupRatio } : {}),
    optimizer: qlora ? "paged_adamw_8bit" : "adamw_torch_fused",
    bf16: "auto",
    tf32: false,
    gradient_checkpointing: true,
    ...(opts.legacyAttentionFlag
      ? { flash_attention: true as const }
      : { attn_implementation: "flash_attention_2" as const }),
    logging_steps: 1,
    ...(hp.saveSteps !== undefined
      ? { save_steps: hp.saveSteps }
      : steps
        ? { save_steps: Math.max(1, Math.floor(hp.maxSteps! / 4)) }
        : { saves_per_epoch: 1 }),
    save_safetensors: true,
    output_dir: `${JOB_DIR}/output`,
    seed: hp.seed,
  } as AxolotlConfig;
}

/** The container command (argv, never a shell string) and the environment Axolotl needs. */
export function axolotlCommand() {
  return {
    argv: ["axolotl", "train", `${JOB_DIR}/config.yml`],
    env: { AXOLOTL_DO_NOT_TRACK: "1" },
  };
}

/**
 * Axolotl's own load-time validation rules (validation.py / config.py / peft.py @067b021) for
 * the keys retune writes, as a check on everything this backend emits. Returns the violations.
 */
export function axolotlViolations(c: Record<string, unknown>): string[] {
  const out: string[] = [];
  const has = (k: string) => c[k] !== undefined && c[k] !== null;
  if (!has("base_model")) out.push("base_model is required");
  if (!has("learning_rate")) out.push("learning_rate is required");
  if (!has("datasets")) out.push("datasets or pretraining_dataset is required");
  if ((c.load_in_4bit || c.load_in_8bit) && !has("adapter"))
    out.push("load_in_4bit/load_in_8bit are not supported without setting an adapter");
  if (c.adapter === "qlora") {
    if (c.load_in_4bit !== true) out.push("Require cfg.load_in_4bit to be True for qlora");
    if (c.load_in_8bit) out.push("Can't load qlora in 8bit");
    if (has("gptq")) out.push("Can't load qlora if gptq");
  }
  if (c.merge_lora && (c.load_in_4bit || c.load_in_8bit))
    out.push("Can't merge qlora if loaded in 8bit or 4bit");
  const batchKeys = ["micro_batch_size", "gradient_accumulation_steps", "batch_size"].filter(has);
  if (batchKeys.length < 2)
    out.push(
      "at least two of micro_batch_size, gradient_accumulation_steps, batch_size must be set",
    );
  if (has("gradient_accumulation_steps") && has("batch_size"))
    out.push("gradient_accumulation_steps and batch_size are mutually exclusive");
  if (has("warmup_steps") && has("warmup_ratio"))
    out.push("warmup_steps and warmup_ratio are mutually exclusive");
  if (has("save_steps") && has("saves_per_epoch"))
    out.push("save_steps and saves_per_epoch are mutually exclusive");
  if (has("eval_steps") && has("evals_per_epoch"))
    out.push("eval_steps and evals_per_epoch are mutually exclusive");
  if (Number(c.val_set_size ?? 0) > 0 && has("test_datasets"))
    out.push("val_set_size and test_datasets are mutually exclusive");
  const legacy = [
    "flash_attention",
    "sdp_attention",
    "xformers_attention",
    "flex_attention",
    "sage_attention",
    "eager_attention",
  ].filter(has);
  if (has("attn_implementation") && legacy.length)
    out.push(`attn_implementation cannot be combined with ${legacy.join(", ")}`);
  if (c.save_safetensors === false) out.push("save_safetensors: false is not supported");
  for (const d of (c.datasets as { type?: string }[] | undefined) ?? []) {
    if (String(d.type ?? "").startsWith("sharegpt"))
      out.push("type: sharegpt is deprecated; use type: chat_template");
  }
  for (const k of ["plugins", "trust_remote_code"])
    if (c[k]) out.push(`${k} is not allowed in retune-generated configs`);
  return out;
}
