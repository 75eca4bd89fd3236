"use client";

import type { GpuType } from "@/lib/domain/training-estimate";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import {
  BACKEND_OPTIONS,
  baseModelOptions,
  executorOptions,
  GPU_OPTIONS,
  METHOD_OPTIONS,
} from "./launch-form-options";
import type { LaunchFormState, PresetId } from "./launch-form-state";
import { unavailableHint } from "./launch-form-status";
import { PresetChips } from "./preset-chips";

type Executor = { kind: string; available: boolean; reason: string | null };

/**
 * "Recipe": a preset, then the base model, method, backend, executor and GPU. The executor's
 * hint says why the chosen one cannot run here, or which ones this deployment lacks.
 */
export function LaunchRecipeFields({
  state,
  errorFor,
  onChange,
  onTouch,
  onPickPreset,
  baseModels,
  executors,
}: {
  state: LaunchFormState;
  errorFor: (path: string) => string | undefined;
  onChange: (next: Partial<LaunchFormState>) => void;
  onTouch: (path: string) => void;
  onPickPreset: (id: PresetId) => void;
  baseModels: { data: readonly { id: string; name: string; paramsB: number }[] | undefined };
  executors: { data: readonly Executor[] | undefined; isError: boolean };
}) {
  const chosenExecutor = executors.data?.find((x) => x.kind === state.executor);
  return (
    <Card>
      <CardHeader
        title="Recipe"
        description="A preset fills the base model, method and hyperparameters; change anything after."
      />
      <CardBody>
        <PresetChips state={state} onPick={onPickPreset} />
        <div className="form-grid">
          <Field label="Base model" required error={errorFor("baseModel")}>
            <Select
              name="baseModel"
              options={baseModelOptions(baseModels.data, state.baseModel)}
              value={state.baseModel}
              onChange={(e) => onChange({ baseModel: e.currentTarget.value, targetModules: "" })}
            />
          </Field>
          <Field
            label="Method"
            hint="QLoRA loads the base in 4-bit (CUDA only)."
            error={errorFor("method")}
          >
            <Select
              name="method"
              options={METHOD_OPTIONS}
              value={state.method}
              onChange={(e) =>
                onChange({ method: e.currentTarget.value as LaunchFormState["method"] })
              }
            />
          </Field>
          <Field
            label="Backend"
            hint="PEFT runs anywhere, CPU included; Axolotl and Unsloth in their images."
            error={errorFor("backend")}
          >
            <Select
              name="backend"
              options={BACKEND_OPTIONS}
              value={state.backend}
              onChange={(e) =>
                onChange({ backend: e.currentTarget.value as LaunchFormState["backend"] })
              }
            />
          </Field>
          <Field
            label="Executor"
            hint={
              chosenExecutor && !chosenExecutor.available
                ? chosenExecutor.reason
                : executors.isError
                  ? "Could not read which executors are available."
                  : unavailableHint(executors.data)
            }
            error={errorFor("executor")}
          >
            <Select
              name="executor"
              options={executorOptions(executors.data)}
              value={state.executor}
              onChange={(e) =>
                onChange({ executor: e.currentTarget.value as LaunchFormState["executor"] })
              }
            />
          </Field>
          <Field label="GPU type" error={errorFor("compute.gpuType")}>
            <Select
              name="gpuType"
              options={GPU_OPTIONS}
              value={state.gpuType}
              onChange={(e) => onChange({ gpuType: e.currentTarget.value as GpuType })}
            />
          </Field>
          <Field
            label="GPU count"
            hint="More than one needs Docker or Kubernetes."
            error={errorFor("compute.gpuCount")}
          >
            <Input
              name="gpuCount"
              inputMode="numeric"
              className="mono"
              value={state.gpuCount}
              disabled={state.gpuType === "CPU"}
              onChange={(e) => onChange({ gpuCount: e.currentTarget.value })}
              onBlur={() => onTouch("compute.gpuCount")}
            />
          </Field>
        </div>
      </CardBody>
    </Card>
  );
}
