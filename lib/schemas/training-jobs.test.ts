import { describe, expect, it } from "vitest";
import {
  createTrainingJobBodySchema,
  TRAINING_PRESETS,
  trainingJobRequestSchema,
} from "./training-jobs";

const ok = {
  model: "support-agent tool caller",
  datasetVersionId: "dv1",
  baseModel: "meta-llama/Llama-3.1-8B-Instruct",
  method: "QLORA",
  backend: "AXOLOTL",
  executor: "KUBERNETES",
  hyperparameters: {
    loraR: 16,
    loraAlpha: 32,
    learningRate: 2e-4,
    numEpochs: 1,
    microBatchSize: 2,
    gradientAccumulationSteps: 4,
  },
  compute: { gpuType: "A100-80GB", gpuCount: 1 },
};
type Body = typeof ok & Record<string, unknown>;

function issues(body: unknown) {
  const r = createTrainingJobBodySchema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}
const with_ = (patch: Partial<Body>, hp: Record<string, unknown> = {}) => ({
  ...ok,
  ...patch,
  hyperparameters: { ...ok.hyperparameters, ...hp },
});

describe("createTrainingJobBodySchema", () => {
  it("accepts a valid QLoRA spec and fills defaults", () => {
    const r = createTrainingJobBodySchema.parse(ok);
    expect(r.hyperparameters).toMatchObject({
      loraDropout: 0,
      sequenceLen: 2048,
      lrScheduler: "cosine",
      seed: 42,
    });
  });

  it("refuses warmupSteps with warmupRatio (Axolotl)", () => {
    expect(issues(with_({}, { warmupSteps: 10, warmupRatio: 0.1 }))).toEqual([
      "hyperparameters.warmupRatio: set warmupSteps or warmupRatio, not both",
    ]);
  });

  it("needs epochs or max steps, and both batch fields explicitly (Axolotl: two of three)", () => {
    expect(issues(with_({}, { numEpochs: undefined }))).toEqual([
      "hyperparameters.numEpochs: set numEpochs or maxSteps",
    ]);
    const { microBatchSize: _m, ...rest } = ok.hyperparameters;
    expect(issues({ ...ok, hyperparameters: rest })[0]).toMatch(/^hyperparameters.microBatchSize:/);
  });

  it("refuses QLoRA and Unsloth without a GPU, and Axolotl outside its container", () => {
    expect(issues(with_({ compute: { gpuType: "CPU", gpuCount: 1 } } as never))).toContain(
      "method: QLoRA loads the base in 4-bit with bitsandbytes, which needs a CUDA GPU; pick a GPU or LORA",
    );
    expect(
      issues(
        with_({
          backend: "UNSLOTH",
          method: "LORA",
          compute: { gpuType: "CPU", gpuCount: 1 },
        } as never),
      )[0],
    ).toMatch(/^backend: Unsloth needs/);
    expect(issues(with_({ executor: "LOCAL" } as never))[0]).toMatch(
      /^executor: Axolotl runs in its container/,
    );
  });

  it("checks the base model, its context and its module names", () => {
    expect(issues(with_({ baseModel: "acme/unknown" }))[0]).toMatch(
      /^baseModel: unknown base model/,
    );
    expect(issues(with_({ baseModel: "openai/gpt-4o-mini" }))[0]).toMatch(/token counting only/);
    expect(
      issues(with_({ baseModel: "microsoft/Phi-3-mini-4k-instruct" }, { sequenceLen: 8192 }))[0],
    ).toMatch(/^hyperparameters.sequenceLen: 8192 exceeds/);
    expect(issues(with_({}, { targetModules: ["q_proj", "qkv_proj"] }))[0]).toMatch(
      /^hyperparameters.targetModules: qkv_proj not in Llama 3.1 8B/,
    );
  });

  it("names each bad field", () => {
    expect(issues(with_({}, { loraR: 0, learningRate: -1 }))).toEqual([
      "hyperparameters.loraR: Too small: expected number to be >=1",
      "hyperparameters.learningRate: Too small: expected number to be >0",
    ]);
  });

  it("has presets that are valid specs", () => {
    for (const [name, preset] of Object.entries(TRAINING_PRESETS)) {
      const cpu = preset.baseModel === "retune/tiny-chat";
      const body = {
        model: name,
        datasetVersionId: "dv1",
        baseModel: preset.baseModel,
        method: preset.method,
        backend: "PEFT",
        executor: cpu ? "LOCAL" : "KUBERNETES",
        hyperparameters: preset.hyperparameters,
        compute: { gpuType: cpu ? "CPU" : "A100-80GB", gpuCount: 1 },
      };
      expect(issues(body), name).toEqual([]);
    }
  });
});

describe("trainingJobRequestSchema", () => {
  const minimal = { model: "m", datasetVersionId: "dv1", baseModel: "retune/tiny-chat" };
  const refusal = (body: unknown) => {
    const r = trainingJobRequestSchema.safeParse(body);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("needs only model, datasetVersionId and baseModel, and fills nothing in itself", () => {
    expect(trainingJobRequestSchema.parse(minimal)).toEqual(minimal);
    for (const key of Object.keys(minimal)) {
      const { [key as keyof typeof minimal]: _, ...rest } = minimal;
      expect(refusal(rest)[0], key).toMatch(new RegExp(`^${key}: `));
    }
  });

  it("accepts a preset by id and any part of a spec", () => {
    const body = {
      ...minimal,
      preset: "tiny-cpu-demo",
      hyperparameters: { learningRate: 1e-3 },
      compute: { gpuType: "CPU" },
    };
    expect(trainingJobRequestSchema.parse(body)).toEqual(body);
    expect(refusal({ ...minimal, preset: "fastest" })[0]).toMatch(/^preset: /);
  });

  it("accepts a complete spec (a re-tune copies one)", () => {
    expect(refusal(createTrainingJobBodySchema.parse(ok))).toEqual([]);
  });

  it("refuses unknown keys, naming them, at any level", () => {
    expect(refusal({ ...minimal, epochs: 3 })).toEqual([': Unrecognized key: "epochs"']);
    expect(refusal({ ...minimal, hyperparameters: { lerningRate: 1e-3 } })).toEqual([
      'hyperparameters: Unrecognized key: "lerningRate"',
    ]);
    expect(refusal({ ...minimal, compute: { gpu: "A10G-24GB" } })).toEqual([
      'compute: Unrecognized key: "gpu"',
    ]);
    expect(refusal({ ...minimal, hyperparameters: { checkpointEvery: 50 } })).toEqual([
      'hyperparameters: Unrecognized key: "checkpointEvery"',
    ]);
  });

  it("takes checkpoint frequency as a real setting: hyperparameters.saveSteps", () => {
    const body = { ...minimal, hyperparameters: { saveSteps: 50 } };
    expect(trainingJobRequestSchema.parse(body)).toEqual(body);
    expect(refusal({ ...minimal, hyperparameters: { saveSteps: 0 } })[0]).toMatch(
      /^hyperparameters.saveSteps: /,
    );
  });

  it("names Models by POST /models' rule: no Markdown or HTML", () => {
    for (const name of ["<script>alert(1)</script>", "**bold** [x](https://e.test)", "a\nb"])
      expect(refusal({ ...minimal, model: name })[0], name).toMatch(
        /^model: letters, digits, spaces/,
      );
    expect(refusal({ ...minimal, model: "support agent v2 (tools)" })).toEqual([]);
  });
});
