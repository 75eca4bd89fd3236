import { describe, expect, it } from "vitest";
import { TRAINING_PRESETS, type TrainingJobRequest } from "@/lib/schemas/training-jobs";
import { BASE_MODELS, findBaseModel } from "./base-models";
import { estimateTraining, GPUS, MAX_SANE_EPOCHS } from "./training-estimate";
import { resolveTrainingSpec, type SpecContext } from "./training-spec";

const TINY = "retune/tiny-chat";
const LLAMA_8B = "meta-llama/Llama-3.1-8B-Instruct";
const tinyPreset = TRAINING_PRESETS["tiny-cpu-demo"].hyperparameters;
const toolPreset = TRAINING_PRESETS["tool-call-format"].hyperparameters;

const req = (baseModel: string, over: Partial<TrainingJobRequest> = {}): TrainingJobRequest => ({
  model: "support agent",
  datasetVersionId: "dv1",
  baseModel,
  ...over,
});
const ctx = (baseModel: string, trainRows?: number): SpecContext => ({
  baseModel: findBaseModel(baseModel),
  dataset: trainRows === undefined ? null : { trainRows },
});
const resolve = (r: TrainingJobRequest, trainRows?: number) =>
  resolveTrainingSpec(r, ctx(r.baseModel, trainRows));
const ok = (r: ReturnType<typeof resolve>) => {
  if (!r.result.success) throw new Error(JSON.stringify(r.result.error.issues));
  return r.result.data;
};
const issues = (r: ReturnType<typeof resolve>) =>
  r.result.success ? [] : r.result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);

describe("resolveTrainingSpec: a request of only model, dataset version and base model", () => {
  const trainable = BASE_MODELS.filter((m) => m.arch);

  it.each(trainable.map((m) => m.id))("resolves to a valid spec on %s", (id) => {
    for (const rows of [undefined, 5, 108, 50_000]) {
      const spec = ok(resolve(req(id), rows));
      const model = findBaseModel(id)!;
      expect(spec.hyperparameters.sequenceLen).toBeLessThanOrEqual(model.contextLength);
      expect(spec.hyperparameters.targetModules).toEqual(model.loraTargets);
      if (spec.compute.gpuType !== "CPU") {
        const e = estimateTraining({
          model,
          method: spec.method,
          loraR: spec.hyperparameters.loraR,
          sequenceLen: spec.hyperparameters.sequenceLen,
          microBatchSize: spec.hyperparameters.microBatchSize,
          gradientAccumulationSteps: spec.hyperparameters.gradientAccumulationSteps,
          chunkedLoss: false,
          gpuType: spec.compute.gpuType,
          gpuCount: 1,
          dataset: { rows: 1, tokens: 1, evalFraction: 0 },
        });
        expect(e.fits, `${id} on ${spec.compute.gpuType}`).toBe(true);
      }
    }
  });

  it("trains the tiny base with the tiny CPU preset, values read from TRAINING_PRESETS", () => {
    const r = resolve(req(TINY));
    expect(r.preset).toBe("tiny-cpu-demo");
    expect(r.notes).toEqual([]);
    const spec = ok(r);
    expect(spec).toMatchObject({
      method: "LORA",
      backend: "PEFT",
      executor: "LOCAL",
      compute: { gpuType: "CPU", gpuCount: 1 },
    });
    const { lrScheduler, ...numbers } = tinyPreset;
    expect(spec.hyperparameters).toMatchObject({ ...numbers, lrScheduler });
    expect(spec.hyperparameters.numEpochs).toBeUndefined();
    expect(spec.hyperparameters.warmupRatio).toBeUndefined();
  });

  it("trains any other base with the general tool-call preset on the GPU it was sized for", () => {
    const r = resolve(req(LLAMA_8B));
    expect(r.preset).toBe("tool-call-format");
    const spec = ok(r);
    expect(spec).toMatchObject({
      method: TRAINING_PRESETS["tool-call-format"].method,
      backend: "PEFT",
      executor: "LOCAL",
      compute: { gpuType: "A10G-24GB", gpuCount: 1 },
    });
    expect(spec.hyperparameters).toMatchObject({
      learningRate: toolPreset.learningRate,
      numEpochs: toolPreset.numEpochs,
      warmupRatio: toolPreset.warmupRatio,
    });
  });

  it("moves a base too large for the preset's GPU to the smallest one it fits on", () => {
    const r = resolve(req("meta-llama/Llama-3.1-70B-Instruct"));
    const spec = ok(r);
    expect(spec.compute.gpuType).not.toBe("A10G-24GB");
    expect(GPUS[spec.compute.gpuType].memoryGb).toBeGreaterThan(24);
    expect(r.notes.find((n) => n.startsWith("compute.gpuType: A10G-24GB → "))).toMatch(
      /needs about [\d.]+ GB; a A10G-24GB has 24 GB/,
    );
  });
});

describe("resolveTrainingSpec: adapting a preset to the base model", () => {
  it("a GPU preset on the CPU-only base: LoRA on CPU, within its context, saying why", () => {
    const r = resolve(req(TINY, { preset: "tool-call-format" }));
    const spec = ok(r);
    expect(spec.method).toBe("LORA");
    expect(spec.compute.gpuType).toBe("CPU");
    expect(spec.hyperparameters.sequenceLen).toBe(512);
    expect(r.notes).toEqual([
      "hyperparameters.sequenceLen: 2048 → 512 (the context of retune/tiny-chat)",
      "compute.gpuType: A10G-24GB → CPU (retune/tiny-chat trains on CPU)",
      "method: QLORA → LORA (retune/tiny-chat trains on CPU, and QLoRA's 4-bit loading needs a CUDA GPU)",
    ]);
  });

  it("the CPU preset on a GPU base trains on a GPU", () => {
    const r = resolve(req(LLAMA_8B, { preset: "tiny-cpu-demo" }));
    // Then possibly a larger one: the tiny preset's micro-batch of 16 is heavy for an 8B base.
    expect(ok(r).compute.gpuType).not.toBe("CPU");
    expect(r.notes).toContain(
      "compute.gpuType: CPU → A10G-24GB (meta-llama/Llama-3.1-8B-Instruct trains on a GPU)",
    );
  });

  it("CPU compute the request asks for turns the preset's QLoRA into LoRA", () => {
    const spec = ok(resolve(req(LLAMA_8B, { compute: { gpuType: "CPU" } })));
    expect(spec.method).toBe("LORA");
  });

  it("QLoRA or Unsloth asked for on the tiny base get a GPU (blocked later where there is none)", () => {
    expect(ok(resolve(req(TINY, { method: "QLORA" }))).compute.gpuType).toBe("A10G-24GB");
    expect(ok(resolve(req(TINY, { backend: "UNSLOTH" }))).compute.gpuType).toBe("A10G-24GB");
  });

  it("Axolotl and multi-GPU runs default to DOCKER, which can run them", () => {
    expect(ok(resolve(req(LLAMA_8B, { backend: "AXOLOTL" }))).executor).toBe("DOCKER");
    expect(ok(resolve(req(LLAMA_8B, { compute: { gpuCount: 2 } }))).executor).toBe("DOCKER");
  });
});

describe("resolveTrainingSpec: adapting a preset to the dataset", () => {
  it("caps a preset's maxSteps at MAX_SANE_EPOCHS passes over a small dataset", () => {
    const rows = 20;
    const mb = Math.min(tinyPreset.microBatchSize, rows);
    const cap = MAX_SANE_EPOCHS * Math.ceil(rows / (mb * tinyPreset.gradientAccumulationSteps));
    const r = resolve(req(TINY), rows);
    const spec = ok(r);
    expect(spec.hyperparameters.maxSteps).toBe(Math.min(tinyPreset.maxSteps, cap));
    if (cap < tinyPreset.maxSteps)
      expect(r.notes).toContain(
        `hyperparameters.maxSteps: ${tinyPreset.maxSteps} → ${cap} (${MAX_SANE_EPOCHS} passes over ${rows} training rows; more would memorize them)`,
      );
  });

  it("leaves the preset's steps on a dataset large enough", () => {
    const r = resolve(req(TINY), 10_000);
    expect(ok(r).hyperparameters.maxSteps).toBe(tinyPreset.maxSteps);
    expect(r.notes).toEqual([]);
  });

  it("fits the micro-batch and the warmup to a tiny dataset", () => {
    const spec = ok(resolve(req(TINY), 3));
    expect(spec.hyperparameters.microBatchSize).toBe(3);
    const steps = spec.hyperparameters.maxSteps!;
    expect(spec.hyperparameters.warmupSteps).toBeLessThanOrEqual(Math.floor(steps / 10));
  });

  it("never changes what the request says", () => {
    const r = resolve(
      req(TINY, { hyperparameters: { maxSteps: 5000, microBatchSize: 64, warmupSteps: 900 } }),
      20,
    );
    expect(ok(r).hyperparameters).toMatchObject({
      maxSteps: 5000,
      microBatchSize: 64,
      warmupSteps: 900,
    });
    expect(r.notes).toEqual([]);
  });
});

describe("resolveTrainingSpec: what the request sets is checked, never adapted", () => {
  it("names a field the request got wrong", () => {
    expect(issues(resolve(req(TINY, { hyperparameters: { sequenceLen: 2048 } })))).toEqual([
      "hyperparameters.sequenceLen: 2048 exceeds retune tiny-chat (CPU, built locally)'s context of 512 tokens",
    ]);
    expect(issues(resolve(req(TINY, { method: "QLORA", compute: { gpuType: "CPU" } })))).toEqual([
      "method: QLoRA loads the base in 4-bit with bitsandbytes, which needs a CUDA GPU; pick a GPU or LORA",
    ]);
  });

  it("takes exclusive fields from the preset as a pair, only when the request sets neither", () => {
    const epochs = ok(resolve(req(TINY, { hyperparameters: { numEpochs: 2 } })));
    expect(epochs.hyperparameters.numEpochs).toBe(2);
    expect(epochs.hyperparameters.maxSteps).toBeUndefined();
    const ratio = ok(resolve(req(TINY, { hyperparameters: { warmupRatio: 0.1 } })));
    expect(ratio.hyperparameters.warmupRatio).toBe(0.1);
    expect(ratio.hyperparameters.warmupSteps).toBeUndefined();
  });

  it("keeps the request's checkpoint frequency; presets leave it to the trainer's cadence", () => {
    expect(
      ok(resolve(req(TINY, { hyperparameters: { saveSteps: 25 } }))).hyperparameters,
    ).toMatchObject({ saveSteps: 25 });
    expect(ok(resolve(req(TINY))).hyperparameters.saveSteps).toBeUndefined();
  });

  it("resolves a complete spec to itself", () => {
    const first = ok(resolve(req(LLAMA_8B), 400));
    const again = resolve(first, 400);
    expect(ok(again)).toEqual(first);
    expect(again.notes).toEqual([]);
  });

  it("refuses unknown and token-counting-only bases on baseModel", () => {
    expect(issues(resolve(req("acme/unknown")))[0]).toMatch(/^baseModel: unknown base model/);
    expect(issues(resolve(req("openai/gpt-4o-mini")))[0]).toMatch(
      /^baseModel: .*token counting only/,
    );
  });
});
