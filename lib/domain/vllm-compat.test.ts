import { describe, expect, it } from "vitest";
import { checkVllmServable, vllmServeSnippet } from "./vllm-compat";

/** What peft 0.21 writes for a plain LoRA (integration-facts.md §2). */
const peftConfig = {
  peft_type: "LORA",
  task_type: "CAUSAL_LM",
  r: 16,
  lora_alpha: 32,
  lora_dropout: 0.05,
  target_modules: ["q_proj", "v_proj"],
  modules_to_save: null,
  use_dora: false,
  use_rslora: false,
  bias: "none",
  base_model_name_or_path: "meta-llama/Llama-3.1-8B-Instruct",
};

describe("checkVllmServable", () => {
  it("accepts a plain LoRA within the default --max-lora-rank", () => {
    expect(checkVllmServable(peftConfig)).toEqual({
      servable: true,
      problems: [],
      rank: 16,
      maxLoraRankNeeded: 16,
    });
    // An empty list is what some trainers write for "none".
    expect(checkVllmServable({ ...peftConfig, modules_to_save: [], r: 4 })).toMatchObject({
      servable: true,
      maxLoraRankNeeded: 8,
    });
  });

  it("refuses modules_to_save and DoRA, as vLLM does", () => {
    const c = checkVllmServable({
      ...peftConfig,
      modules_to_save: ["embed_tokens", "lm_head"],
      use_dora: true,
    });
    expect(c.servable).toBe(false);
    expect(c.problems).toHaveLength(2);
    expect(c.problems[0]).toMatch(/^modules_to_save is \["embed_tokens","lm_head"\]; vLLM only/);
    expect(c.problems[1]).toMatch(/DoRA/);
  });

  it("names the --max-lora-rank a larger rank needs", () => {
    const c = checkVllmServable({ ...peftConfig, r: 48 });
    expect(c).toMatchObject({ servable: false, rank: 48, maxLoraRankNeeded: 64 });
    expect(c.problems).toEqual([
      "LoRA rank 48 is greater than max_lora_rank 16; serve with --max-lora-rank 64",
    ]);
    expect(checkVllmServable({ ...peftConfig, r: 48 }, { maxLoraRank: 64 }).servable).toBe(true);
    expect(checkVllmServable({ ...peftConfig, r: 300 }, { maxLoraRank: 512 })).toMatchObject({
      servable: true,
      maxLoraRankNeeded: 320,
    });
  });

  it("refuses ranks above 512, missing or invalid r, other PEFT types, bias and non-objects", () => {
    expect(checkVllmServable({ ...peftConfig, r: 1024 }, { maxLoraRank: 512 }).problems).toEqual([
      "LoRA rank 1024 is above 512, the largest --max-lora-rank vLLM allows",
    ]);
    const { r: _r, ...noRank } = peftConfig;
    expect(checkVllmServable(noRank)).toMatchObject({ servable: false, rank: null });
    expect(checkVllmServable({ ...peftConfig, r: 8.5 }).problems[0]).toMatch(/^r is 8.5; expected/);
    expect(checkVllmServable({ ...peftConfig, peft_type: "IA3" }).problems).toEqual([
      'peft_type is "IA3"; vLLM serves only LORA adapters',
    ]);
    expect(checkVllmServable({ ...peftConfig, bias: "lora_only" }).servable).toBe(false);
    expect(checkVllmServable("nope")).toMatchObject({ servable: false, rank: null });
    expect(checkVllmServable(null).problems).toEqual(["adapter_config.json is not a JSON object"]);
  });
});

describe("vllmServeSnippet", () => {
  it("serves the adapter under its name and selects it with the model field", () => {
    const s = vllmServeSnippet({
      baseModel: "meta-llama/Llama-3.1-8B-Instruct",
      loraName: "support-agent-v3",
      adapterPath: "/models/support-agent/v3",
      maxLoraRank: 16,
    });
    expect(s).toContain(
      "vllm serve meta-llama/Llama-3.1-8B-Instruct --enable-lora --lora-modules support-agent-v3=/models/support-agent/v3 --max-lora-rank 16",
    );
    expect(s).toContain("curl http://localhost:8000/v1/chat/completions");
    expect(s).toContain(
      `'{"model":"support-agent-v3","messages":[{"role":"user","content":"What'\\''s the weather in Paris?"}]}'`,
    );
    expect(s).toContain('client.chat.completions.create(model="support-agent-v3"');
  });

  it("quotes paths a shell would split", () => {
    const s = vllmServeSnippet({
      baseModel: "b",
      loraName: "x",
      adapterPath: "/my models/x",
      maxLoraRank: 8,
    });
    expect(s).toContain("--lora-modules 'x=/my models/x' --max-lora-rank 8");
  });
});
