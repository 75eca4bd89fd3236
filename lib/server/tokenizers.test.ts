import llama3 from "llama3-tokenizer-js";
import { describe, expect, it } from "vitest";
import { tokenCounterForId } from "./tokenizers";

describe("token counters", () => {
  it("count Llama 3 tokens exactly as the tokenizer does, chunk memo included", async () => {
    const c = await tokenCounterForId("meta-llama/Llama-3.1-8B-Instruct");
    expect(c.exact).toBe(true);
    const texts = [
      "Hello world",
      'I\'ll call get_weather({"city": "Paris"}) — it\'s 23°C.\n\nDone!  ',
      "Numbers 1234567 and émojis 🎉 and CRLF\r\nlines",
      '{"type":"function","function":{"name":"lookup_order","parameters":{"type":"object"}}}'.repeat(
        5,
      ),
    ];
    for (const t of texts) {
      const expected = llama3.encode(t, { bos: false, eos: false }).length;
      expect(c.count(t)).toBe(expected);
      expect(c.count(t)).toBe(expected); // memoized path
    }
  });

  it("marks families without a JS tokenizer as estimates", async () => {
    const c = await tokenCounterForId("Qwen/Qwen2.5-7B-Instruct");
    expect(c.exact).toBe(false);
    expect(c.name).toContain("estimate");
    expect(c.count("hello world")).toBeGreaterThan(0);
    expect(await tokenCounterForId("openai/gpt-4o-mini")).toMatchObject({
      name: "o200k",
      exact: true,
    });
  });
});
