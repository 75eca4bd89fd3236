import { describe, expect, it } from "vitest";
import { detectFormat } from "./detect-format";

describe("detectFormat", () => {
  it("tells chat from tool-calling by tools or assistant tool_calls", () => {
    expect(detectFormat({ messages: [{ role: "user", content: "hi" }] })).toBe("chat");
    expect(detectFormat({ messages: [], tools: [] })).toBe("chat");
    expect(detectFormat({ messages: [], tools: [{ type: "function" }] })).toBe("tool_calling");
    expect(
      detectFormat({
        messages: [{ role: "assistant", content: null, tool_calls: [{ function: {} }] }],
      }),
    ).toBe("tool_calling");
    // Calls on a user message or an empty list do not make it tool-calling data.
    expect(detectFormat({ messages: [{ role: "user", tool_calls: [{}] }] })).toBe("chat");
    expect(detectFormat({ messages: [{ role: "assistant", tool_calls: [] }, "x", null] })).toBe(
      "chat",
    );
  });

  it("recognises ShareGPT and completion rows", () => {
    expect(detectFormat({ conversations: [] })).toBe("sharegpt");
    expect(detectFormat({ prompt: "a", completion: "b" })).toBe("completion");
    expect(detectFormat({ prompt: "", completion: "" })).toBe("completion");
  });

  it("returns null for anything else", () => {
    for (const v of [
      null,
      "x",
      [],
      { messages: "hi" },
      { conversations: {} },
      { prompt: "a" },
      { prompt: 1, completion: "b" },
      { text: "x" },
    ]) {
      expect(detectFormat(v)).toBeNull();
    }
  });

  it("prefers messages over the other layouts", () => {
    expect(detectFormat({ messages: [], conversations: [], prompt: "a", completion: "b" })).toBe(
      "chat",
    );
  });
});
