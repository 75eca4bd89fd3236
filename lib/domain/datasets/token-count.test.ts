import { describe, expect, it } from "vitest";
import { countChatTokens, countCompletionTokens, sameJson } from "./token-count";
import type { ChatMessage, ToolDef } from "./types";

const tool = (name: string, parameters: unknown = { type: "object" }): ToolDef => ({
  type: "function",
  function: { name, parameters },
});

describe("countChatTokens", () => {
  it("renders each message as role, content and calls, and each tool's JSON once", () => {
    const seen: string[] = [];
    const count = (t: string) => {
      seen.push(t);
      return t.length;
    };
    const messages: ChatMessage[] = [
      { role: "user", content: "hi" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "a", function: { name: "f", arguments: '{"x":1}' } }],
      },
      { role: "tool", tool_call_id: "a", content: "1" },
      { role: "assistant", content: "done" },
    ];
    const tokens = countChatTokens(messages, [tool("f")], count);
    const toolsJson = JSON.stringify(tool("f"));
    expect(seen).toEqual([
      "user\nhi",
      'assistant\nf {"x":1}',
      "tool\n1",
      "assistant\ndone",
      toolsJson,
    ]);
    expect(tokens).toEqual({
      total: seen.reduce((n, t) => n + t.length, 0),
      assistant: 'assistant\nf {"x":1}'.length + "assistant\ndone".length,
    });
  });

  it("counts each tool once per definition, recounting when a definition or the counter changes", () => {
    let n = 0;
    const count = (t: string) => {
      n++;
      return t.length;
    };
    const f = tool("f");
    const g = tool("g", { type: "object", required: ["y"] });
    countChatTokens([], [f], count);
    countChatTokens([], [f], count);
    expect(n).toBe(1);
    // A different subset of the same catalogue only counts the tool not seen before.
    expect(countChatTokens([], [g, f], count).total).toBe(
      JSON.stringify(g).length + JSON.stringify(f).length,
    );
    expect(n).toBe(2);
    // Same name, changed definition: counted again.
    const g2 = tool("g", { type: "object", required: ["z"] });
    expect(countChatTokens([], [g2], count).total).toBe(JSON.stringify(g2).length);
    expect(n).toBe(3);
    const other = (t: string) => t.length * 2;
    expect(countChatTokens([], [g2], other).total).toBe(2 * JSON.stringify(g2).length);
    expect(countChatTokens([], [], count).total).toBe(0);
  });
});

describe("countCompletionTokens", () => {
  it("counts the completion as the assistant part", () => {
    expect(countCompletionTokens("abc", "de", (t) => t.length)).toEqual({ total: 5, assistant: 2 });
  });
});

describe("sameJson", () => {
  it("is true exactly when JSON.stringify would be equal", () => {
    const pairs: [unknown, unknown][] = [
      [
        { a: 1, b: [1, { c: null }] },
        { a: 1, b: [1, { c: null }] },
      ],
      [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ],
      [{ a: 1 }, { a: 1, b: 2 }],
      [
        [1, 2],
        [1, 2, 3],
      ],
      [[1], { 0: 1 }],
      [{ a: [1] }, { a: { 0: 1 } }],
      ["1", 1],
      [null, {}],
      [{ a: "x" }, { a: "y" }],
    ];
    for (const [a, b] of pairs) {
      expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
    }
  });
});
