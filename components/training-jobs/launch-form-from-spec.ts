import type { CreateTrainingJobBody } from "@/lib/schemas/training-jobs";
import { EMPTY_HP, type HyperparameterKey, type LaunchFormState } from "./launch-form-state";

/** The datasets a spec's versions belong to (the form picks a dataset, then its version). */
export type SpecDatasets = { model: string; datasetId: string; evalDatasetId: string };

/**
 * A stored spec as the launch form edits it: "Clone and edit" opens the form with a job's spec,
 * and the retrain template editor with what the next re-tune would run. No preset is marked:
 * the values are the spec's own. checkForm turns it back into the same spec.
 */
export function formStateFromSpec(
  spec: CreateTrainingJobBody,
  names: SpecDatasets,
): LaunchFormState {
  const hp = { ...EMPTY_HP };
  for (const key of Object.keys(hp) as HyperparameterKey[]) {
    const v = spec.hyperparameters[key];
    if (typeof v === "number") hp[key] = String(v);
  }
  return {
    preset: null,
    model: names.model,
    datasetId: names.datasetId,
    datasetVersionId: spec.datasetVersionId,
    evalDatasetId: spec.evalDatasetVersionId ? names.evalDatasetId : "",
    evalDatasetVersionId: spec.evalDatasetVersionId ?? "",
    baseModel: spec.baseModel,
    method: spec.method,
    backend: spec.backend,
    executor: spec.executor,
    gpuType: spec.compute.gpuType,
    gpuCount: String(spec.compute.gpuCount),
    lrScheduler: spec.hyperparameters.lrScheduler,
    targetModules: (spec.hyperparameters.targetModules ?? []).join(", "),
    hp,
  };
}
