import { describe, expect, it } from "vitest";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { applyTrainingTemplate } from "@/lib/domain/training-template";
import { putRetrainPolicyBodySchema } from "@/lib/schemas/retrain";
import {
  describeTemplate,
  policyBodyWith,
  templateFormState,
  templateFromForm,
} from "./retrain-template-form";

const BASE = createTrainingJobBodySchema.parse({
  model: "support agent",
  datasetVersionId: "dv-1",
  baseModel: "retune/tiny-chat",
  method: "LORA",
  backend: "PEFT",
  executor: "LOCAL",
  hyperparameters: {
    loraR: 8,
    loraAlpha: 16,
    learningRate: 0.001,
    maxSteps: 40,
    microBatchSize: 4,
    gradientAccumulationSteps: 1,
    sequenceLen: 256,
  },
  compute: { gpuType: "CPU", gpuCount: 1 },
});

describe("templateFormState", () => {
  it("shows what the next re-tune runs: the job with the template applied", () => {
    const { state, applies } = templateFormState(BASE, { hyperparameters: { maxSteps: 300 } });
    expect(applies).toBe(true);
    expect(state.hp.maxSteps).toBe("300");
    expect(state.hp.learningRate).toBe("0.001");
    expect(state.model).toBe("support agent");
  });

  it("falls back to the job when the stored template no longer fits it", () => {
    const { state, applies } = templateFormState(BASE, { method: "QLORA" });
    expect(applies).toBe(false);
    expect(state.method).toBe("LORA");
  });
});

describe("templateFromForm", () => {
  it("is no template when nothing was changed", () => {
    expect(templateFromForm(templateFormState(BASE, null).state, BASE)).toEqual({
      ok: true,
      template: null,
    });
  });

  it("keeps only the fields changed, and applying it gives the edited spec", () => {
    const { state } = templateFormState(BASE, null);
    const edited = {
      ...state,
      hp: { ...state.hp, maxSteps: "300", learningRate: "0.0005", warmupRatio: "0.1" },
    };
    const result = templateFromForm(edited, BASE);
    expect(result).toEqual({
      ok: true,
      template: { hyperparameters: { maxSteps: 300, learningRate: 0.0005, warmupRatio: 0.1 } },
    });
    if (!result.ok) return;
    const spec = createTrainingJobBodySchema.parse(applyTrainingTemplate(BASE, result.template));
    expect(spec.hyperparameters).toMatchObject({
      maxSteps: 300,
      learningRate: 0.0005,
      warmupRatio: 0.1,
    });
  });

  it("names the field a bad value is in, by the API's path", () => {
    const { state } = templateFormState(BASE, null);
    const result = templateFromForm({ ...state, hp: { ...state.hp, loraR: "1.5" } }, BASE);
    expect(result).toEqual({
      ok: false,
      errors: expect.objectContaining({ "hyperparameters.loraR": "enter a whole number" }),
    });
  });
});

describe("policyBodyWith", () => {
  it("keeps every stored setting and sets only the template", () => {
    const policy = {
      id: "p",
      modelId: "m",
      enabled: true,
      schedule: "0 6 * * 1",
      timezone: "Europe/Berlin",
      datasetRecipe: putRetrainPolicyBodySchema.parse({}).datasetRecipe,
      trainingTemplate: { hyperparameters: { maxSteps: 10 } },
      autoPromote: true,
      minNewTraces: 5,
      gpuBudgetUsd: 40,
      budgetPeriodDays: 30,
      nextRunAt: null,
      lastRunAt: null,
      spentUsd: 0,
      updatedAt: "2026-03-01T10:00:00.000Z",
    };
    const body = policyBodyWith(policy, { method: "LORA" });
    // The API's own schema accepts it (strict: no read-only field slipped in).
    expect(putRetrainPolicyBodySchema.parse(body)).toEqual({
      schedule: "0 6 * * 1",
      timezone: "Europe/Berlin",
      datasetRecipe: policy.datasetRecipe,
      trainingTemplate: { method: "LORA" },
      autoPromote: true,
      enabled: true,
      minNewTraces: 5,
      gpuBudgetUsd: 40,
      budgetPeriodDays: 30,
    });
    expect(policyBodyWith(policy, null).trainingTemplate).toBeNull();
  });
});

describe("describeTemplate", () => {
  it("says each change in the launch form's words; a removed key says so", () => {
    expect(
      describeTemplate({
        backend: "UNSLOTH",
        hyperparameters: { learningRate: 0.0002, warmupRatio: null, targetModules: ["q_proj"] },
        compute: { gpuType: "A10G" },
      }),
    ).toEqual([
      { label: "Backend", value: "UNSLOTH" },
      { label: "Learning rate", value: "0.0002" },
      { label: "Warmup ratio", value: "removed" },
      { label: "Target modules", value: "q_proj" },
      { label: "GPU type", value: "A10G" },
    ]);
    expect(describeTemplate(null)).toEqual([]);
  });
});
