import llama3 from "llama3-tokenizer-js";
import { describe, expect, it } from "vitest";
import { tokenCounterForId } from "./tokenizers";

describe("token counters", () => {
  it("count Llama 3 tokens exactly as llama3-tokenizer-js does, with compact ranks and memos", async () => {
    const c = await tokenCounterForId("meta-llama/Llama-3.1-8B-Instruct");
    expect(c.exact).toBe(true);
    const texts = [
      "Hello world",
      'I\'ll call get_weather({"city": "Paris"}) — it\'s 23°C.\n\nDone!  ',
      "Numbers 1234567 and émojis 🎉 and CRLF\r\nlines",
      '{"type":"function","function":{"name":"lookup_order","parameters":{"type":"object"}}}'.repeat(
        5,
      ),
      "héllo wörld — 東京 🎉🎉 family 👩‍👩‍👧 and 𝕏 𝔸𝔹",
      "ünïcödé Ελληνικά русский العربية हिन्दी İstanbul ß ﬁ",
      "  leading spaces\n\n\ttabs\r\n  trailing   ",
      "1234567890 3.14159 0x1F don't I'LL we'Re",
      "\u0000\u0001 control characters \u00ad",
      "a".repeat(3000),
    ];
    // Generated tool-calling rows: realistic JSON, tool schemas and prose.
    const { makeRow } = await import("@/test/fixtures/tool-call-rows");
    let seed = 1;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 50; i++) texts.push(makeRow(rand, i));
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
