"use client";

import { LR_SCHEDULERS } from "@/lib/schemas/training-jobs";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { HyperparameterKey, LaunchFormState } from "./launch-form-state";

type Spec = { key: HyperparameterKey; label: string; hint?: string; step?: string };

const LORA: Spec[] = [
  { key: "loraR", label: "LoRA rank (r)", hint: "Adapter width; 8–64 is usual." },
  { key: "loraAlpha", label: "LoRA alpha", hint: "Scale; often 2 × r." },
  { key: "loraDropout", label: "LoRA dropout", hint: "0–0.1.", step: "0.01" },
];

const OPTIMIZER: Spec[] = [
  { key: "learningRate", label: "Learning rate", hint: "e.g. 2e-4.", step: "any" },
  { key: "numEpochs", label: "Epochs", hint: "Or set max steps.", step: "any" },
  { key: "maxSteps", label: "Max steps", hint: "Overrides epochs when set." },
  { key: "microBatchSize", label: "Micro batch size", hint: "Examples per GPU per step." },
  {
    key: "gradientAccumulationSteps",
    label: "Gradient accumulation",
    hint: "Micro batches per optimizer step.",
  },
  { key: "warmupSteps", label: "Warmup steps", hint: "Or a warmup ratio, not both." },
  { key: "warmupRatio", label: "Warmup ratio", hint: "0–0.5 of the steps.", step: "0.01" },
  { key: "sequenceLen", label: "Sequence length", hint: "Longer examples are cut." },
  { key: "seed", label: "Seed" },
  {
    key: "saveSteps",
    label: "Checkpoint every (steps)",
    hint: "Blank: about 8 over the run. A retry resumes from the newest.",
  },
];

const SCHEDULER_OPTIONS = LR_SCHEDULERS.map((s) => ({ value: s, label: s }));

/** LoRA and optimizer settings; each error comes keyed by its API path. */
export function HyperparameterFields({
  state,
  errorFor,
  onChange,
  onTouch,
  disabled,
}: {
  state: LaunchFormState;
  errorFor: (path: string) => string | undefined;
  onChange: (next: Partial<LaunchFormState>) => void;
  onTouch: (path: string) => void;
  disabled?: boolean;
}) {
  const field = (s: Spec) => {
    const path = `hyperparameters.${s.key}`;
    return (
      <Field key={s.key} label={s.label} hint={s.hint} error={errorFor(path)}>
        <Input
          name={s.key}
          inputMode="decimal"
          className="mono"
          value={state.hp[s.key]}
          disabled={disabled}
          onChange={(e) => onChange({ hp: { ...state.hp, [s.key]: e.currentTarget.value } })}
          onBlur={() => onTouch(path)}
        />
      </Field>
    );
  };
  return (
    <>
      <fieldset className="fieldset">
        <legend className="fieldset-legend">LoRA</legend>
        <div className="form-grid form-grid-tight">
          {LORA.map(field)}
          <Field
            label="Target modules"
            hint="Comma-separated; blank: every linear layer."
            error={errorFor("hyperparameters.targetModules")}
          >
            <Input
              name="targetModules"
              className="mono"
              placeholder="all linear layers"
              value={state.targetModules}
              disabled={disabled}
              onChange={(e) => onChange({ targetModules: e.currentTarget.value })}
              onBlur={() => onTouch("hyperparameters.targetModules")}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend className="fieldset-legend">Optimization</legend>
        <div className="form-grid form-grid-tight">
          {OPTIMIZER.map(field)}
          <Field label="LR scheduler" error={errorFor("hyperparameters.lrScheduler")}>
            <Select
              name="lrScheduler"
              options={SCHEDULER_OPTIONS}
              value={state.lrScheduler}
              disabled={disabled}
              onChange={(e) =>
                onChange({
                  lrScheduler: e.currentTarget.value as LaunchFormState["lrScheduler"],
                })
              }
            />
          </Field>
        </div>
      </fieldset>
    </>
  );
}
