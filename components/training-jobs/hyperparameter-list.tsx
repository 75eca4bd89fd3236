import type { Hyperparameters } from "@/lib/schemas/training-jobs";
import { formatMetric } from "./format";

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
];

export function hpValue(hp: Hyperparameters, key: keyof Hyperparameters): string {
  const v = hp[key];
  if (v === undefined || v === null) return "—";
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number")
    return key === "learningRate" ? Number(v.toPrecision(3)).toExponential() : formatMetric(v);
  return String(v);
}

export function HyperparameterList({ hp }: { hp: Hyperparameters }) {
  return (
    <dl className="hp-list" aria-label="Hyperparameters">
      {HP_ROWS.filter((r) => hp[r.key] !== undefined).map((r) => (
        <div key={r.key}>
          <dt>{r.label}</dt>
          <dd className="mono">{hpValue(hp, r.key)}</dd>
        </div>
      ))}
    </dl>
  );
}
