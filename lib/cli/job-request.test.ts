import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { TRAINING_PRESETS } from "@/lib/schemas/training-jobs";
import { buildJobRequest, HYPERPARAMETER_FLAGS, optionKey, parseSpecText } from "./job-request";

const presetBase = (id: string) => TRAINING_PRESETS[id as keyof typeof TRAINING_PRESETS]?.baseModel;

describe("buildJobRequest", () => {
  it("takes the preset's base model when the request names none", () => {
    expect(
      buildJobRequest(
        {},
        { preset: "tiny-cpu-demo", model: "support-agent", datasetVersion: "dv1", maxSteps: 4 },
        presetBase,
      ),
    ).toEqual({
      preset: "tiny-cpu-demo",
      model: "support-agent",
      datasetVersionId: "dv1",
      baseModel: "retune/tiny-chat",
      hyperparameters: { maxSteps: 4 },
    });
  });

  it("lays flags over the spec file, field by field", () => {
    const spec = {
      model: "from-file",
      datasetVersionId: "dv-file",
      baseModel: "meta-llama/Llama-3.2-1B-Instruct",
      hyperparameters: { loraR: 8, learningRate: 1e-4 },
      compute: { gpuType: "A10G-24GB" },
    };
    expect(
      buildJobRequest(
        spec,
        { model: "from-flag", learningRate: 3e-4, gradAccum: 2, gpuCount: 2, executor: "DOCKER" },
        presetBase,
      ),
    ).toEqual({
      model: "from-flag",
      datasetVersionId: "dv-file",
      baseModel: "meta-llama/Llama-3.2-1B-Instruct",
      executor: "DOCKER",
      hyperparameters: { loraR: 8, learningRate: 3e-4, gradientAccumulationSteps: 2 },
      compute: { gpuType: "A10G-24GB", gpuCount: 2 },
    });
  });

  it("names every missing required field as a usage error", () => {
    expect(() => buildJobRequest({}, {}, presetBase)).toThrow(
      "jobs create needs --model, --dataset-version, --base-model (or a --preset) (as flags or in the --spec file)",
    );
    try {
      buildJobRequest({}, { model: "m" }, presetBase);
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });

  it("has one flag per hyperparameter, each mapped to its own field", () => {
    const fields = HYPERPARAMETER_FLAGS.map(([, field]) => field);
    expect(new Set(fields).size).toBe(fields.length);
    expect(optionKey("--micro-batch-size <n>")).toBe("microBatchSize");
    expect(optionKey("--lora-r <n>")).toBe("loraR");
  });
});

describe("parseSpecText", () => {
  it("reads JSON and YAML", () => {
    expect(parseSpecText('{"model":"m"}', "job.json", parseYaml)).toEqual({ model: "m" });
    expect(
      parseSpecText("model: m\nhyperparameters:\n  maxSteps: 10\n", "job.yaml", parseYaml),
    ).toEqual({ model: "m", hyperparameters: { maxSteps: 10 } });
  });

  it("refuses what is not one object, naming the file", () => {
    expect(() => parseSpecText("{", "job.json", parseYaml)).toThrow(/job\.json is not valid JSON/);
    expect(() => parseSpecText("- a\n- b\n", "job.yml", parseYaml)).toThrow(
      /job\.yml must hold one object/,
    );
  });
});
