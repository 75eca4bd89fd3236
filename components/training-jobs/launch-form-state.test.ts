import { describe, expect, it } from "vitest";
import { TRAINING_PRESETS } from "@/lib/schemas/training-jobs";
import {
  applyPreset,
  checkForm,
  initialFormState,
  type LaunchFormState,
} from "./launch-form-state";

// Read from the presets, which are tuned elsewhere: the form must follow them.
const tiny = TRAINING_PRESETS["tiny-cpu-demo"].hyperparameters;

function filled(over: Partial<LaunchFormState> = {}): LaunchFormState {
  return { ...initialFormState(), model: "support/tool-caller", datasetVersionId: "v1", ...over };
}

describe("applyPreset", () => {
  it("fills the tiny CPU preset with PEFT on this host and no GPU", () => {
    const s = applyPreset(
      { ...initialFormState(), backend: "UNSLOTH", executor: "DOCKER" },
      "tiny-cpu-demo",
    );
    expect(s).toMatchObject({
      preset: "tiny-cpu-demo",
      baseModel: "retune/tiny-chat",
      method: "LORA",
      backend: "PEFT",
      executor: "LOCAL",
      gpuType: "CPU",
    });
    expect(s.hp.maxSteps).toBe(String(tiny.maxSteps));
    expect(s.hp.numEpochs).toBe("");
    expect(s.hp.warmupSteps).toBe(String(tiny.warmupSteps));
    expect(s.hp.learningRate).toBe(String(tiny.learningRate));
  });

  it("leaves backend and executor alone for GPU presets and clears fields the preset omits", () => {
    const start = {
      ...applyPreset(initialFormState(), "tiny-cpu-demo"),
      executor: "DOCKER" as const,
    };
    const s = applyPreset(start, "tool-call-format");
    expect(s).toMatchObject({ method: "QLORA", executor: "DOCKER", gpuType: "A10G-24GB" });
    expect(s.hp.maxSteps).toBe("");
    expect(s.hp.warmupSteps).toBe("");
    expect(s.hp.warmupRatio).toBe("0.05");
  });
});

describe("checkForm", () => {
  it("builds the API body from a complete form", () => {
    const r = checkForm(filled({ targetModules: " q_proj, v_proj ," }));
    expect(r.ok).toBe(true);
    expect(r.body).toMatchObject({
      model: "support/tool-caller",
      datasetVersionId: "v1",
      baseModel: "retune/tiny-chat",
      compute: { gpuType: "CPU", gpuCount: 1 },
      hyperparameters: {
        loraR: tiny.loraR,
        maxSteps: tiny.maxSteps,
        targetModules: ["q_proj", "v_proj"],
      },
    });
    expect(r.body).not.toHaveProperty("evalDatasetVersionId");
  });

  it("sends blank warmup as no warmup, since the API would fill it from a preset", () => {
    const s = filled();
    const r = checkForm({ ...s, hp: { ...s.hp, warmupSteps: "", warmupRatio: "" } });
    expect(r.body?.hyperparameters).toMatchObject({ warmupSteps: 0 });
    expect(r.body?.hyperparameters).not.toHaveProperty("warmupRatio");
    const ratio = checkForm({ ...s, hp: { ...s.hp, warmupSteps: "", warmupRatio: "0.1" } });
    expect(ratio.body?.hyperparameters).toMatchObject({ warmupRatio: 0.1 });
    expect(ratio.body?.hyperparameters).not.toHaveProperty("warmupSteps");
  });

  it("keys errors by the API's issue paths", () => {
    const s = filled();
    const r = checkForm({ ...s, hp: { ...s.hp, loraR: "abc", maxSteps: "1.5", loraAlpha: "0" } });
    expect(r.ok).toBe(false);
    expect(r.errors["hyperparameters.loraR"]).toBe("enter a number");
    expect(r.errors["hyperparameters.maxSteps"]).toBe("enter a whole number");
    expect(r.errors["hyperparameters.loraAlpha"]).toMatch(/1/);
  });

  it("reports the schema's cross-field rules where the API would", () => {
    const s = filled();
    const both = checkForm({ ...s, hp: { ...s.hp, warmupRatio: "0.1" } });
    expect(both.errors["hyperparameters.warmupRatio"]).toMatch(/not both/);
    const qlora = checkForm({ ...s, method: "QLORA" });
    expect(qlora.errors.method).toMatch(/CUDA/);
    const length = checkForm({ ...s, hp: { ...s.hp, maxSteps: "" } });
    expect(length.errors["hyperparameters.numEpochs"]).toMatch(/numEpochs or maxSteps/);
  });

  it("says what to do about empty required fields", () => {
    const r = checkForm({ ...initialFormState() });
    expect(r.errors.model).toBe("name the model");
    expect(r.errors.datasetVersionId).toBe("choose a READY dataset version");
  });
});
