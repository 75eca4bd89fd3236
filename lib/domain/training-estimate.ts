/**
 * What a LoRA/QLoRA run will need before a GPU is rented: VRAM (and whether it fits), tokens per
 * epoch, hours and cost. Every term is documented here because people will argue with it.
 *
 * VRAM (bytes), for one GPU, micro-batch b, sequence length s, hidden h, layers L, vocab V:
 *   base weights   non-embedding params × (2 B bf16 | 0.5 B NF4 + 0.127 bit double-quant scales)
 *                  + embedding and LM head kept in bf16 (bitsandbytes never quantizes them)
 *   adapters       LoRA params × 16 B (fp32 weight 4 + gradient 4 + AdamW m and v 8)
 *   activations    gradient checkpointing keeps each layer's input: L × 2·s·b·h, plus one layer's
 *                  recompute working set ≈ 34·s·b·h (Korthikanti et al. 2022, flash attention)
 *   logits         s·b·V × 6 B (bf16 logits + fp32 copy for the loss); backends with a chunked /
 *                  fused cross-entropy (Unsloth, Axolotl's CCE) keep ~1/16 of it
 *   runtime        1 GB CUDA context, then 10 % allocator fragmentation on top of everything
 * Reference points (tests): Unsloth's published minimum for Llama 3.1 8B (6 GB QLoRA, 22 GB
 * 16-bit LoRA) and torchtune's measured 8B runs (QLoRA 7.4 GiB, LoRA 16.2 GiB at b=2, s=2048).
 *
 * Time: tokens per epoch = training tokens of the dataset (total × (1 − eval fraction)); steps =
 * ceil(rows / (micro-batch × accumulation × GPUs)) × epochs, or maxSteps; hours = tokens processed /
 * throughput, with throughput from a per-GPU table for an 8B LoRA run scaled by 8 / params (the
 * compute per token is ~6N FLOPs with recomputation) and × 0.8 for QLoRA's dequantization.
 *
 * Epochs: passes over the training rows = steps / steps per epoch, whether the run is set by
 * numEpochs or by maxSteps (a maxSteps run over a small dataset is many epochs). Past
 * MAX_SANE_EPOCHS the estimate carries a `many_epochs` warning (a warning, never a blocker).
 */
import type { Architecture, BaseModel } from "./base-models";
import type { TrainingWarning } from "./training-signals";

/**
 * Passes over the training rows past which a LoRA run is warned about. Supervised fine-tuning
 * recipes use 1–5 epochs (Axolotl's and Unsloth's examples; QLoRA trained 1–3) and LIMA, the
 * deliberate outlier, 15 on 1,000 curated rows; by then eval loss is rising and the adapter is
 * memorizing its rows. 20 leaves room for such deliberate runs and still catches the usual
 * accident: a maxSteps meant for a large dataset run over a small one (375 steps of 16 on 26
 * rows is 188 epochs).
 */
export const MAX_SANE_EPOCHS = 20;

export const GPU_TYPES = [
  "H100-80GB",
  "A100-80GB",
  "A100-40GB",
  "L40S-48GB",
  "A10G-24GB",
  "RTX4090-24GB",
  "T4-16GB",
  "CPU",
] as const;
export type GpuType = (typeof GPU_TYPES)[number];

export const GPUS: Record<
  GpuType,
  { memoryGb: number; tokPerSec8bLora: number; usdPerHour: number }
> = {
  // Throughput for Llama-3.1-8B bf16 LoRA with gradient checkpointing on an HF/PEFT stack: A100
  // and H100 at ~30-40 % MFU of 312 / 989 dense TFLOPS; RTX 4090 as measured by torchtune.
  "H100-80GB": { memoryGb: 80, tokPerSec8bLora: 7000, usdPerHour: 3.0 },
  "A100-80GB": { memoryGb: 80, tokPerSec8bLora: 2400, usdPerHour: 1.8 },
  "A100-40GB": { memoryGb: 40, tokPerSec8bLora: 2300, usdPerHour: 1.3 },
  "L40S-48GB": { memoryGb: 48, tokPerSec8bLora: 2600, usdPerHour: 1.0 },
  "A10G-24GB": { memoryGb: 24, tokPerSec8bLora: 900, usdPerHour: 0.75 },
  "RTX4090-24GB": { memoryGb: 24, tokPerSec8bLora: 3083, usdPerHour: 0.5 },
  "T4-16GB": { memoryGb: 16, tokPerSec8bLora: 300, usdPerHour: 0.35 },
  CPU: { memoryGb: Infinity, tokPerSec8bLora: 0, usdPerHour: 0 },
};

export type EstimateInput = {
  model: BaseModel;
  method: "LORA" | "QLORA";
  loraR: number;
  targetModules?: readonly string[];
  sequenceLen: number;
  microBatchSize: number;
  gradientAccumulationSteps: number;
  numEpochs?: number;
  maxSteps?: number;
  /** Fused / chunked cross-entropy (Unsloth; Axolotl with its CCE plugin). */
  chunkedLoss: boolean;
  gpuType: GpuType;
  gpuCount: number;
  /**
   * `trainRows`: the dataset report's train-side count (stats.split.train); without it, rows ×
   * (1 − evalFraction).
   */
  dataset: { rows: number; tokens: number; evalFraction: number; trainRows?: number };
  /** Overrides of GPUS[gpu].usdPerHour, e.g. from the team's settings. */
  usdPerHour?: number;
};

export type Estimate = {
  vramGb: number;
  breakdownGb: {
    weights: number;
    adapters: number;
    activations: number;
    logits: number;
    runtime: number;
  };
  fits: boolean;
  gpuMemoryGb: number;
  loraParams: number;
  tokensPerEpoch: number;
  steps: number;
  /** Passes over the training rows: steps / steps per epoch. */
  epochs: number;
  hours: number;
  costUsd: number;
  /** What the numbers warn about (many_epochs); never a reason to refuse the launch. */
  warnings: TrainingWarning[];
};

const GB = 1e9;

/** Parameters of one block's linear layers, by projection name. */
function projections(a: Architecture): Record<string, [number, number]> {
  const q = a.heads * a.headDim;
  const kv = a.kvHeads * a.headDim;
  return {
    q_proj: [a.hidden, q],
    k_proj: [a.hidden, kv],
    v_proj: [a.hidden, kv],
    o_proj: [q, a.hidden],
    qkv_proj: [a.hidden, q + 2 * kv],
    gate_proj: [a.hidden, a.intermediate],
    up_proj: [a.hidden, a.intermediate],
    gate_up_proj: [a.hidden, 2 * a.intermediate],
    down_proj: [a.intermediate, a.hidden],
  };
}

export function nonEmbeddingParams(a: Architecture): number {
  const p = projections(a);
  const per = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"].reduce(
    (n, k) => n + p[k]![0] * p[k]![1],
    0,
  );
  return a.layers * per;
}

export function loraParams(a: Architecture, r: number, targets: readonly string[]): number {
  const p = projections(a);
  return a.layers * targets.reduce((n, t) => n + (p[t] ? r * (p[t]![0] + p[t]![1]) : 0), 0);
}

export function estimateTraining(x: EstimateInput): Estimate {
  const a = x.model.arch;
  if (!a) throw new Error(`${x.model.id} cannot be fine-tuned here`);
  const s = x.sequenceLen;
  const b = x.microBatchSize;
  const targets = x.targetModules?.length ? x.targetModules : x.model.loraTargets;

  const embeddings = a.vocab * a.hidden * (a.tiedEmbeddings ? 1 : 2);
  const bytesPerWeight = x.method === "QLORA" ? 0.5 + 0.127 / 8 : 2;
  const weights = nonEmbeddingParams(a) * bytesPerWeight + embeddings * 2;
  const lora = loraParams(a, x.loraR, targets);
  const adapters = lora * 16;
  const activations = a.layers * 2 * s * b * a.hidden + 34 * s * b * a.hidden;
  const logits = s * b * a.vocab * 6 * (x.chunkedLoss ? 1 / 16 : 1);
  const context = 1 * GB;
  const total = (weights + adapters + activations + logits + context) * 1.1;

  const gpu = GPUS[x.gpuType];
  const trainTokens = Math.round(x.dataset.tokens * (1 - x.dataset.evalFraction));
  const trainRows = Math.max(
    1,
    x.dataset.trainRows ?? Math.round(x.dataset.rows * (1 - x.dataset.evalFraction)),
  );
  const perStep = b * x.gradientAccumulationSteps * x.gpuCount;
  const stepsPerEpoch = Math.ceil(trainRows / perStep);
  const epochs = x.numEpochs ?? 1;
  const steps = x.maxSteps ?? Math.ceil(stepsPerEpoch * epochs);
  const tokensProcessed = x.maxSteps
    ? (trainTokens / stepsPerEpoch) * x.maxSteps
    : trainTokens * epochs;
  const paramsB = (nonEmbeddingParams(a) + embeddings) / 1e9;
  const throughput =
    gpu.tokPerSec8bLora *
    (8 / Math.max(paramsB, 0.5)) *
    (x.method === "QLORA" ? 0.8 : 1) *
    x.gpuCount *
    (x.gpuCount > 1 ? 0.9 : 1);
  const hours = throughput > 0 ? tokensProcessed / throughput / 3600 : 0;
  const costUsd = hours * (x.usdPerHour ?? gpu.usdPerHour) * x.gpuCount;
  const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  const passes = steps / stepsPerEpoch;
  const warnings: TrainingWarning[] = [];
  if (passes > MAX_SANE_EPOCHS) {
    const setting = x.maxSteps ? `maxSteps ${x.maxSteps}` : `numEpochs ${epochs}`;
    warnings.push({
      code: "many_epochs",
      message: `${setting} is ${round(passes, 1)} passes over ${trainRows} training rows (${stepsPerEpoch} step${stepsPerEpoch === 1 ? "" : "s"} of up to ${perStep} rows per epoch): past ${MAX_SANE_EPOCHS} epochs a LoRA memorizes its training rows and eval loss rises. Train for fewer steps or on more data`,
    });
  }

  return {
    vramGb: round(total / GB, 1),
    breakdownGb: {
      weights: round(weights / GB),
      adapters: round(adapters / GB),
      activations: round(activations / GB),
      logits: round(logits / GB),
      runtime: round((context + (total / 1.1) * 0.1) / GB),
    },
    fits: total / GB <= gpu.memoryGb,
    gpuMemoryGb: gpu.memoryGb,
    loraParams: lora,
    tokensPerEpoch: trainTokens,
    steps,
    epochs: round(passes, 2),
    hours: round(hours, 3),
    costUsd: round(costUsd, 2),
    warnings,
  };
}
