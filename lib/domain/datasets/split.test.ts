import { describe, expect, it } from "vitest";
import { normalizedExampleHash, splitOf } from "./example-hash";
import { splitKey, splitOfExample } from "./split";
import type { ChatMessage, NormalizedExample } from "./types";

const chat = (user: string, source: string | null = null): NormalizedExample => ({
  kind: "chat",
  messages: [
    { role: "user", content: user },
    { role: "assistant", content: "ok" },
  ],
  tools: [],
  source,
});

describe("splitOfExample", () => {
  it("is splitOf over the normalized example's hash", () => {
    for (let i = 0; i < 200; i++) {
      const ex = chat(`q${i}`);
      expect(splitKey(ex)).toBe(normalizedExampleHash(ex));
      expect(splitOfExample(ex, 0.1)).toBe(splitOf(normalizedExampleHash(ex), 0.1));
    }
  });

  it("puts the same conversation from two sources on one side", () => {
    for (let i = 0; i < 200; i++) {
      expect(splitOfExample(chat(`q${i}`, "synthetic"), 0.5)).toBe(
        splitOfExample(chat(`q${i}`, "production_traces"), 0.5),
      );
    }
  });

  it("holds out about evalFraction of distinct examples", () => {
    let evalRows = 0;
    for (let i = 0; i < 10_000; i++)
      if (splitOfExample(chat(`row ${i}`), 0.1) === "eval") evalRows++;
    expect(evalRows).toBeGreaterThan(900);
    expect(evalRows).toBeLessThan(1100);
  });
});

describe("splitKey", () => {
  it("equals normalizedExampleHash, whatever tools repeat, change or come back", () => {
    const tool = (name: string, extra: Record<string, unknown> = {}) => ({
      type: "function" as const,
      function: {
        name,
        description: `${name} a thing`,
        parameters: { type: "object", properties: { id: { type: "string" }, ...extra } },
      },
    });
    const examples: NormalizedExample[] = [];
    for (let i = 0; i < 300; i++) {
      examples.push({
        kind: "chat",
        messages: [
          { role: "system", content: "You route requests." },
          { role: "user", content: `request ${i % 40}` },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: `c${i}`, type: "function", function: { name: "a", arguments: "{}" } },
            ],
          },
        ],
        // Same names with other definitions now and then, other orders, none at all.
        tools:
          i % 7 === 0
            ? []
            : i % 5 === 0
              ? [tool("b"), tool("a", { n: { type: "integer" } })]
              : [tool("a"), tool("b")],
        source: i % 3 === 0 ? "synthetic" : null,
      });
    }
    examples.push({ kind: "completion", prompt: "p", completion: "c", source: null });
    // Messages the hand-written order must match, and shapes it hands to canonicalJson.
    const odd = [
      { role: "tool", content: '{"ok":true}', tool_call_id: "c1", name: "a" },
      { role: "assistant", content: "x", name: "bot" },
      { role: "user", content: 'q\u2028"quoted"\n' },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ function: { name: "a", arguments: "{}" } }],
      },
      { role: "assistant", content: undefined, extra: 1 },
      { role: "assistant", content: [{ type: "text", text: "multi" }] },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ function: { arguments: { a: 1 }, name: "a" } }],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "x", function: { name: "a" }, z: 1 }],
      },
      { role: "assistant", content: null, tool_calls: "none" },
      { role: "assistant", content: "ok", name: undefined, tool_call_id: undefined },
    ] as unknown as ChatMessage[];
    for (const m of odd) {
      examples.push({ kind: "chat", messages: [m], tools: [], source: null });
    }
    for (const ex of examples) expect(splitKey(ex)).toBe(normalizedExampleHash(ex));
  });
});
