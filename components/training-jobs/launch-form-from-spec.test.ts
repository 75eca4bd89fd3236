import { describe, expect, it } from "vitest";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { formStateFromSpec } from "./launch-form-from-spec";
import { checkForm } from "./launch-form-state";

const SPEC = createTrainingJobBodySchema.parse({
  model: "support-agent/tool-caller",
  datasetVersionId: "dv-1",
  evalDatasetVersionId: "dv-eval",
  baseModel: "retune/tiny-chat",
  method: "LORA",
  backend: "PEFT",
  executor: "LOCAL",
  hyperparameters: {
    loraR: 16,
    loraAlpha: 32,
    loraDropout: 0.05,
    targetModules: ["q_proj", "v_proj"],
    learningRate: 0.0002,
    maxSteps: 60,
    microBatchSize: 4,
    gradientAccumulationSteps: 2,
    warmupRatio: 0.05,
    sequenceLen: 256,
    seed: 7,
    saveSteps: 20,
  },
  compute: { gpuType: "CPU", gpuCount: 1 },
});
const NAMES = { model: "support-agent/tool-caller", datasetId: "ds-1", evalDatasetId: "ds-eval" };

describe("formStateFromSpec", () => {
  it("fills every field the launch form has from the spec, with no preset marked", () => {
    const s = formStateFromSpec(SPEC, NAMES);
    expect(s).toMatchObject({
      preset: null,
      model: "support-agent/tool-caller",
      datasetId: "ds-1",
      datasetVersionId: "dv-1",
      evalDatasetId: "ds-eval",
      evalDatasetVersionId: "dv-eval",
      baseModel: "retune/tiny-chat",
      method: "LORA",
      backend: "PEFT",
      executor: "LOCAL",
      gpuType: "CPU",
      gpuCount: "1",
      lrScheduler: "cosine",
      targetModules: "q_proj, v_proj",
    });
    expect(s.hp).toMatchObject({
      loraR: "16",
      learningRate: "0.0002",
      maxSteps: "60",
      numEpochs: "",
      warmupSteps: "",
      warmupRatio: "0.05",
      seed: "7",
      saveSteps: "20",
    });
  });

  it("turns back into the same spec (clone, change nothing, launch: the same job)", () => {
    const check = checkForm(formStateFromSpec(SPEC, NAMES));
    expect(check.errors).toEqual({});
    expect(check.body).toEqual(SPEC);
  });

  it("leaves the eval set empty when the spec has none", () => {
    const { evalDatasetVersionId: _omit, ...withoutEval } = SPEC;
    const s = formStateFromSpec(withoutEval, NAMES);
    expect(s.evalDatasetId).toBe("");
    expect(s.evalDatasetVersionId).toBe("");
    expect(checkForm(s).body).toEqual(withoutEval);
  });
});
