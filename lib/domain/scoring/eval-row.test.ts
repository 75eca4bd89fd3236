import { describe, expect, it } from "vitest";
import { expectedFromRow } from "./eval-row";

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
    },
  },
];

describe("expectedFromRow", () => {
  it("splits a tool-calling row into prompt, tools, expected call and slice", () => {
    const row = {
      messages: [
        { role: "system", content: "You are helpful." },
        { role: "user", content: "Weather in Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
            {
              id: "2",
              type: "function",
              function: { name: "get_weather", arguments: { city: "Rome" } },
            },
          ],
        },
      ],
      tools,
      metadata: { intent: "weather", source: "prod" },
    };
    const r = expectedFromRow(row);
    expect(r).toEqual({
      ok: true,
      case: {
        messages: [
          { role: "system", content: "You are helpful." },
          { role: "user", content: "Weather in Paris and Rome?" },
        ],
        tools,
        expected: {
          text: null,
          toolCalls: [
            { name: "get_weather", arguments: { city: "Paris" } },
            { name: "get_weather", arguments: { city: "Rome" } },
          ],
        },
        slice: { tool: "get_weather", intent: "weather" },
      },
    });
  });

  it("takes the first tool-calling assistant turn as the reference, not the reply after the tool's answer", () => {
    const row = {
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "c1",
              type: "function",
              function: { name: "get_weather", arguments: { city: "Paris" } },
            },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: '{"temp": 21}' },
        { role: "assistant", content: "It is 21 °C in Paris." },
      ],
      tools,
    };
    const r = expectedFromRow(row);
    if (!r.ok) throw new Error(r.error);
    expect(r.case.expected).toEqual({
      text: null,
      toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }],
    });
    expect(r.case.slice).toEqual({ tool: "get_weather", intent: null });
    expect(r.case.messages).toHaveLength(1);
  });

  it("takes the LAST assistant message of a row without calls, re-encoding object arguments before it", () => {
    const row = {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello! How can I help?" },
        { role: "user", content: "Thanks, that is all." },
        { role: "assistant", content: "You're welcome." },
      ],
      tools,
    };
    const r = expectedFromRow(row);
    if (!r.ok) throw new Error(r.error);
    expect(r.case.expected).toEqual({ text: "You're welcome.", toolCalls: [] });
    expect(r.case.slice).toEqual({ tool: "(no call)", intent: null });
    expect(r.case.messages).toHaveLength(3);
  });

  it("joins distinct parallel tool names in the slice", () => {
    const r = expectedFromRow({
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { type: "function", function: { name: "a", arguments: "{}" } },
            { type: "function", function: { name: "b", arguments: "{}" } },
          ],
        },
      ],
    });
    if (!r.ok) throw new Error(r.error);
    expect(r.case.slice.tool).toBe("a+b");
    expect(r.case.expected.text).toBeNull();
    expect(r.case.tools).toEqual([]);
  });

  it("explains rows it cannot use", () => {
    expect(expectedFromRow("x")).toEqual({ ok: false, error: "an eval row must be a JSON object" });
    expect(expectedFromRow({ messages: [{ role: "user", content: "hi" }] })).toEqual({
      ok: false,
      error: "the row has no assistant message to use as the reference answer",
    });
    const badArgs = expectedFromRow({
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ function: { name: "f", arguments: "[1]" } }],
        },
      ],
    });
    expect(badArgs).toEqual({
      ok: false,
      error:
        "messages[1].tool_calls[0].function.arguments: the reference call's arguments are not a JSON object",
    });
    const badRole = expectedFromRow({ messages: [{ role: "bot", content: "hi" }] });
    expect(badRole.ok).toBe(false);
    if (!badRole.ok) expect(badRole.error).toMatch(/^messages\[0\]\.role: unknown role "bot"/);
    const empty = expectedFromRow({
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null },
      ],
    });
    if (!empty.ok) expect(empty.error).toContain("neither content nor tool calls");
    else throw new Error("expected an error");
  });
});
