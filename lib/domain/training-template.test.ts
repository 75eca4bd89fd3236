import { describe, expect, it } from "vitest";
import {
  applyTrainingTemplate,
  templateSourceVersion,
  trainingTemplateOf,
} from "./training-template";

const BASE = {
  model: "support agent",
  datasetVersionId: "dv-1",
  baseModel: "retune/tiny-chat",
  method: "LORA",
  backend: "PEFT",
  executor: "LOCAL",
  hyperparameters: { loraR: 8, learningRate: 0.001, maxSteps: 40, warmupRatio: 0.05 },
  compute: { gpuType: "CPU", gpuCount: 1 },
};

describe("applyTrainingTemplate", () => {
  it("is the base as it was without a template", () => {
    expect(applyTrainingTemplate(BASE, null)).toEqual(BASE);
    expect(applyTrainingTemplate(BASE, {})).toEqual(BASE);
  });

  it("replaces plain fields and merges object fields key by key", () => {
    const spec = applyTrainingTemplate(BASE, {
      backend: "UNSLOTH",
      hyperparameters: { learningRate: 0.0002 },
      compute: { gpuType: "A10G" },
    });
    expect(spec).toEqual({
      ...BASE,
      backend: "UNSLOTH",
      hyperparameters: { ...BASE.hyperparameters, learningRate: 0.0002 },
      compute: { gpuType: "A10G", gpuCount: 1 },
    });
    // The base is not changed.
    expect(BASE.hyperparameters.learningRate).toBe(0.001);
  });

  it("removes a field or a key set to null", () => {
    const spec = applyTrainingTemplate(
      { ...BASE, evalDatasetVersionId: "dv-2" },
      { evalDatasetVersionId: null, hyperparameters: { warmupRatio: null, warmupSteps: 5 } },
    );
    expect(spec).not.toHaveProperty("evalDatasetVersionId");
    expect(spec.hyperparameters).toEqual({
      loraR: 8,
      learningRate: 0.001,
      maxSteps: 40,
      warmupSteps: 5,
    });
  });
});

describe("trainingTemplateOf", () => {
  it("is null when nothing a template may change changed", () => {
    expect(trainingTemplateOf(BASE, structuredClone(BASE))).toBeNull();
    // The model and data are the re-tune's own: never part of a template.
    expect(trainingTemplateOf(BASE, { ...BASE, model: "x", datasetVersionId: "dv-9" })).toBeNull();
  });

  it("keeps only what changed, with null for what was removed, and round-trips", () => {
    const edited = {
      ...BASE,
      method: "QLORA",
      hyperparameters: { loraR: 16, learningRate: 0.001, maxSteps: 40, warmupSteps: 3 },
      compute: { gpuType: "A100_80GB", gpuCount: 1 },
    };
    const template = trainingTemplateOf(BASE, edited);
    expect(template).toEqual({
      method: "QLORA",
      hyperparameters: { loraR: 16, warmupRatio: null, warmupSteps: 3 },
      compute: { gpuType: "A100_80GB" },
    });
    expect(applyTrainingTemplate(BASE, template)).toEqual(edited);
  });

  it("compares lists whole", () => {
    const edited = {
      ...BASE,
      hyperparameters: { ...BASE.hyperparameters, targetModules: ["q_proj", "v_proj"] },
    };
    expect(trainingTemplateOf(BASE, edited)).toEqual({
      hyperparameters: { targetModules: ["q_proj", "v_proj"] },
    });
  });
});

describe("templateSourceVersion", () => {
  const v = (version: number, stage: string, trainingJobId: string | null) => ({
    version,
    stage,
    trainingJobId,
  });

  it("is production's version when it was trained, else the newest trained one", () => {
    expect(
      templateSourceVersion([
        v(3, "CANDIDATE", "j3"),
        v(2, "PRODUCTION", "j2"),
        v(1, "ARCHIVED", "j1"),
      ]),
    ).toEqual(v(2, "PRODUCTION", "j2"));
    expect(templateSourceVersion([v(1, "ARCHIVED", "j1"), v(3, "CANDIDATE", "j3")])).toEqual(
      v(3, "CANDIDATE", "j3"),
    );
    // A production version registered without a job is not one a re-tune can copy.
    expect(templateSourceVersion([v(2, "PRODUCTION", null), v(1, "CANDIDATE", "j1")])).toEqual(
      v(1, "CANDIDATE", "j1"),
    );
    expect(templateSourceVersion([v(1, "PRODUCTION", null)])).toBeNull();
  });
});
