import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { createTrainingJobBodySchema } from "@/lib/schemas/training-jobs";
import { axolotlCommand, axolotlViolations, buildAxolotlConfig } from "./axolotl-config";

const axolotlYaml = (c: object) => stringify(c, { lineWidth: 0 });

const spec = (
  method: "LORA" | "QLORA",
  hp: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) =>
  createTrainingJobBodySchema.parse({
    model: "m",
    datasetVersionId: "dv1",
    baseModel: "meta-llama/Llama-3.1-8B-Instruct",
    method,
    backend: "AXOLOTL",
    executor: "DOCKER",
    hyperparameters: {
      loraR: 16,
      loraAlpha: 32,
      learningRate: 2e-4,
      numEpochs: 2,
      microBatchSize: 2,
      gradientAccumulationSteps: 4,
      warmupRatio: 0.05,
      ...hp,
    },
    compute: { gpuType: "A100-80GB", gpuCount: 1 },
    ...extra,
  });

describe("Axolotl config", () => {
  it("QLoRA: 4-bit loading, chat_template datasets with tools, typed YAML that round-trips", () => {
    const cfg = buildAxolotlConfig(spec("QLORA"), { evalFraction: 0.1 });
    expect(cfg).toMatchObject({
      adapter: "qlora",
      load_in_4bit: true,
      attn_implementation: "flash_attention_2",
      val_set_size: 0.1,
      num_epochs: 2,
    });
    expect(cfg.datasets[0]).toMatchObject({
      type: "chat_template",
      field_messages: "messages",
      field_tools: "tools",
      path: "/job/data/train.jsonl",
    });
    expect(cfg.lora_target_modules).toEqual([
      "q_proj",
      "k_proj",
      "v_proj",
      "o_proj",
      "gate_proj",
      "up_proj",
      "down_proj",
    ]);
    expect(axolotlViolations(cfg)).toEqual([]);
    expect(parse(axolotlYaml(cfg))).toEqual(cfg);
  });

  it("LoRA with a separate eval set, max steps and warmup steps; the legacy attention flag for old images", () => {
    const cfg = buildAxolotlConfig(
      spec(
        "LORA",
        { maxSteps: 400, numEpochs: undefined, warmupRatio: undefined, warmupSteps: 20 },
        { evalDatasetVersionId: "dv2" },
      ),
      { evalFraction: 0.1, legacyAttentionFlag: true },
    );
    expect(cfg).toMatchObject({
      adapter: "lora",
      max_steps: 400,
      warmup_steps: 20,
      val_set_size: 0,
      flash_attention: true,
      save_steps: 100,
    });
    expect(cfg).not.toHaveProperty("load_in_4bit");
    expect(cfg).not.toHaveProperty("attn_implementation");
    expect(cfg.test_datasets?.[0]?.path).toBe("/job/data/eval.jsonl");
    expect(axolotlViolations(cfg)).toEqual([]);
  });

  it("checkpoints every hyperparameters.saveSteps when set, by epochs or by steps", () => {
    for (const length of [{}, { maxSteps: 400, numEpochs: undefined }]) {
      const cfg = buildAxolotlConfig(spec("LORA", { ...length, saveSteps: 30 }), {
        evalFraction: 0.1,
      });
      expect(cfg.save_steps).toBe(30);
      expect(cfg).not.toHaveProperty("saves_per_epoch");
      expect(axolotlViolations(cfg)).toEqual([]);
    }
  });

  it("runs with telemetry off, as an argv array", () => {
    expect(axolotlCommand()).toEqual({
      argv: ["axolotl", "train", "/job/config.yml"],
      env: { AXOLOTL_DO_NOT_TRACK: "1" },
    });
  });

  it("keeps user text out of structure: a hostile model name or value cannot add YAML keys", () => {
    const cfg = buildAxolotlConfig(spec("LORA", { lrScheduler: "cosine" }), { evalFraction: 0.1 });
    const y = axolotlYaml({ ...cfg, base_model: 'x\nplugins: ["evil.Plugin"]' });
    expect(parse(y).plugins).toBeUndefined();
  });
});

describe("Axolotl's validation rules, one by one", () => {
  const good = () =>
    ({ ...buildAxolotlConfig(spec("QLORA"), { evalFraction: 0.1 }) }) as Record<string, unknown>;
  const cases: [string, (c: Record<string, unknown>) => void, string][] = [
    [
      "qlora needs load_in_4bit",
      (c) => delete c.load_in_4bit,
      "Require cfg.load_in_4bit to be True for qlora",
    ],
    ["qlora cannot load in 8-bit", (c) => (c.load_in_8bit = true), "Can't load qlora in 8bit"],
    ["4-bit needs an adapter", (c) => delete c.adapter, "not supported without setting an adapter"],
    [
      "two of the three batch keys",
      (c) => delete c.micro_batch_size,
      "at least two of micro_batch_size",
    ],
    ["accumulation excludes batch_size", (c) => (c.batch_size = 16), "mutually exclusive"],
    [
      "warmup steps excludes ratio",
      (c) => (c.warmup_steps = 5),
      "warmup_steps and warmup_ratio are mutually exclusive",
    ],
    [
      "save steps excludes saves per epoch",
      (c) => (c.save_steps = 10),
      "save_steps and saves_per_epoch",
    ],
    [
      "eval steps excludes evals per epoch",
      (c) => ((c.eval_steps = 10), (c.evals_per_epoch = 2)),
      "eval_steps and evals_per_epoch",
    ],
    [
      "val_set_size excludes test_datasets",
      (c) => (c.test_datasets = []),
      "val_set_size and test_datasets",
    ],
    [
      "new attention key excludes the legacy flag",
      (c) => (c.flash_attention = true),
      "attn_implementation cannot be combined",
    ],
    ["safetensors only", (c) => (c.save_safetensors = false), "save_safetensors"],
    [
      "no sharegpt datasets",
      (c) => (c.datasets = [{ path: "x", type: "sharegpt" }]),
      "use type: chat_template",
    ],
    ["no plugins", (c) => (c.plugins = ["x"]), "plugins is not allowed"],
    ["no remote code", (c) => (c.trust_remote_code = true), "trust_remote_code is not allowed"],
    ["merging excludes 4-bit", (c) => (c.merge_lora = true), "Can't merge qlora"],
  ];
  for (const [name, mutate, message] of cases) {
    it(name, () => {
      const c = good();
      expect(axolotlViolations(c)).toEqual([]);
      mutate(c);
      expect(axolotlViolations(c).join("\n")).toContain(message);
    });
  }
});
