import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BASE_MODELS } from "./base-models";
import { CHAT_TEMPLATES, chatTemplateFor } from "./chat-templates";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("chat templates", () => {
  it("are the exact tokenizer_config.json sources (any edit changes these hashes)", () => {
    const hashes = Object.fromEntries(
      Object.values(CHAT_TEMPLATES)
        .filter((t) => t.source !== null)
        .map((t) => [t.id, sha256(t.source!)]),
    );
    expect(hashes).toEqual({
      "llama-3.1": "e10ca381b1ccc5cf9db52e371f3b6651576caee0a630b452e2816b2d404d4b65",
      "llama-3.2": "5816fce10444e03c2e9ee1ef8a4a1ea61ae7e69e438613f3b17b69d0426223a4",
      "qwen-2.5": "cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f",
      "phi-3": "dcaee66df77bfbb789ec541fe713218da30225a526f1db97138fc39ee6dc56aa",
      "mistral-v0.3": "e16746b40344d6c5b5265988e0328a0bf7277be86f1c335156eae07e29c82826",
      "gemma-2": "ecd6ae513fe103f0eb62e8ab5bfa8d0fe45c1074fa398b089c93a7e70c15cfd6",
    });
  });

  it("cover every fine-tunable catalogue model, and no token-counting-only one", () => {
    for (const m of BASE_MODELS) {
      expect(chatTemplateFor(m.id) !== undefined, m.id).toBe(m.arch !== null);
    }
    expect(chatTemplateFor("constructor")).toBeUndefined();
  });

  it("name an end-of-turn token the template emits, counted as one token", () => {
    for (const t of Object.values(CHAT_TEMPLATES)) {
      expect(t.specialTokens, t.id).toContain(t.endOfTurn);
      if (t.source) {
        // Emitted literally, or as eos_token where the template writes that.
        const emitted = t.source.includes(t.endOfTurn) || t.endOfTurn === t.eos;
        expect(emitted, t.id).toBe(true);
      } else {
        expect(t.file, t.id).toMatch(/\.jinja$/);
      }
    }
  });

  it("match each family's documented tokens", () => {
    const pick = (id: string) => {
      const t = chatTemplateFor(id)!;
      return [t.bos, t.endOfTurn, t.supportsTools];
    };
    expect(pick("meta-llama/Llama-3.1-70B-Instruct")).toEqual([
      "<|begin_of_text|>",
      "<|eot_id|>",
      true,
    ]);
    expect(pick("Qwen/Qwen2.5-3B-Instruct")).toEqual([null, "<|im_end|>", true]);
    expect(pick("microsoft/Phi-3-mini-4k-instruct")).toEqual(["<s>", "<|end|>", false]);
    expect(pick("mistralai/Mistral-7B-Instruct-v0.3")).toEqual(["<s>", "</s>", true]);
    expect(pick("google/gemma-2-2b-it")).toEqual(["<bos>", "<end_of_turn>", false]);
    expect(pick("retune/tiny-chat")).toEqual([null, "<|end|>", true]);
  });
});
