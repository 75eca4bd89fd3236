import { describe, expect, it } from "vitest";
import { casesFromRow, expectedFromRow } from "./eval-row";

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

/** A two-call workflow: look the order up, then refund it, then confirm in text. */
const workflow = {
  messages: [
    { role: "system", content: "You are a support agent." },
    { role: "user", content: "Refund order 42." },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "c1", type: "function", function: { name: "lookup_order", arguments: { id: 42 } } },
      ],
    },
    { role: "tool", tool_call_id: "c1", content: '{"status":"delivered","total":30}' },
    {
      role: "assistant",
      content: "",
      tool_calls: [
        {
          id: "c2",
          type: "function",
          function: { name: "refund", arguments: '{"id":42,"amount":30}' },
        },
      ],
    },
    { role: "tool", tool_call_id: "c2", content: '{"ok":true}' },
    { role: "assistant", content: "Order 42 was refunded: 30 EUR." },
  ],
  tools,
  metadata: { intent: "refunds", category: "multi_turn" },
};

describe("casesFromRow", () => {
  it('"first" is expectedFromRow: one case, the first tool-calling turn, no turn slice', () => {
    const r = casesFromRow(workflow, { turns: "first" });
    if (!r.ok) throw new Error(r.error);
    expect(r.cases).toHaveLength(1);
    const one = expectedFromRow(workflow);
    if (!one.ok) throw new Error(one.error);
    expect(r.cases[0]).toEqual(one.case);
    expect(one.case.slice).toEqual({
      tool: "lookup_order",
      intent: "refunds",
      category: "multi_turn",
    });
    expect(one.case.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });

  it('"all" makes one case per assistant turn, each prompted with the gold history before it', () => {
    const r = casesFromRow(workflow, { turns: "all" });
    if (!r.ok) throw new Error(r.error);
    expect(r.cases.map((c) => c.slice)).toEqual([
      { tool: "lookup_order", intent: "refunds", category: "multi_turn", turn: "1" },
      { tool: "refund", intent: "refunds", category: "multi_turn", turn: "2" },
      { tool: "(no call)", intent: "refunds", category: "multi_turn", turn: "3" },
    ]);
    expect(r.cases.map((c) => c.expected)).toEqual([
      { text: null, toolCalls: [{ name: "lookup_order", arguments: { id: 42 } }] },
      { text: null, toolCalls: [{ name: "refund", arguments: { id: 42, amount: 30 } }] },
      { text: "Order 42 was refunded: 30 EUR.", toolCalls: [] },
    ]);
    // Teacher forcing: the second turn sees the first turn's gold call and the tool's answer,
    // its arguments re-encoded as the wire format wants.
    const second = r.cases[1]!.messages;
    expect(second.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool"]);
    expect(second[2]!.tool_calls![0]!.function.arguments).toBe('{"id":42}');
    expect(second[3]).toEqual({
      role: "tool",
      tool_call_id: "c1",
      content: '{"status":"delivered","total":30}',
    });
    const third = r.cases[2]!.messages;
    expect(third).toHaveLength(6);
    expect(third[5]).toEqual({ role: "tool", tool_call_id: "c2", content: '{"ok":true}' });
    expect(r.cases.every((c) => c.tools === r.cases[0]!.tools)).toBe(true);
  });

  it("numbers text turns too, and leaves category out of slices of rows without one", () => {
    const r = casesFromRow(
      {
        messages: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello!" },
          { role: "user", content: "Bye" },
          { role: "assistant", content: "Goodbye." },
        ],
      },
      { turns: "all" },
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.cases.map((c) => [c.slice, c.messages.length, c.expected.text])).toEqual([
      [{ tool: "(no call)", intent: null, turn: "1" }, 1, "Hello!"],
      [{ tool: "(no call)", intent: null, turn: "2" }, 3, "Goodbye."],
    ]);
  });

  it("refuses the whole row when any of its turns cannot be read", () => {
    const row = {
      messages: [
        ...workflow.messages.slice(0, 4),
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c2", type: "function", function: { name: "refund", arguments: "[]" } },
          ],
        },
      ],
      tools,
    };
    // First-turn mode never reads the broken second turn.
    expect(casesFromRow(row, { turns: "first" }).ok).toBe(true);
    expect(casesFromRow(row, { turns: "all" })).toEqual({
      ok: false,
      error:
        "messages[4].tool_calls[0].function.arguments: the reference call's arguments are not a JSON object",
    });
  });
});

describe("metadata.possible_answer and metadata.expect", () => {
  const call = (name: string, args: Record<string, unknown>) => ({
    role: "assistant",
    content: null,
    tool_calls: [{ id: "c", type: "function", function: { name, arguments: args } }],
  });
  const bfclRow = (metadata: Record<string, unknown>) => ({
    messages: [
      { role: "user", content: "Weather in Paris, in celsius?" },
      call("get_weather", { city: "Paris", unit: "celsius" }),
    ],
    tools,
    metadata,
  });

  it("reads BFCL's acceptable sets into expected.acceptable and the category into the slice", () => {
    const r = expectedFromRow(
      bfclRow({
        category: "simple",
        possible_answer: [{ get_weather: { city: ["Paris", "paris, fr"], unit: ["", "celsius"] } }],
      }),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.case.expected).toEqual({
      text: null,
      toolCalls: [{ name: "get_weather", arguments: { city: "Paris", unit: "celsius" } }],
      acceptable: [
        { name: "get_weather", arguments: { city: ["Paris", "paris, fr"], unit: ["", "celsius"] } },
      ],
    });
    expect(r.case.slice).toEqual({ tool: "get_weather", intent: null, category: "simple" });
  });

  it("names the acceptable calls in the slice when they differ from the gold turn's", () => {
    const r = expectedFromRow(
      bfclRow({ possible_answer: [{ get_weather: { city: ["Paris"] } }, { get_time: {} }] }),
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.case.slice.tool).toBe("get_weather+get_time");
  });

  it("applies the answer to the primary (first tool-calling) turn only in all-turn mode", () => {
    const r = casesFromRow(
      {
        ...workflow,
        metadata: { possible_answer: [{ lookup_order: { id: [42, "42"] } }] },
      },
      { turns: "all" },
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.cases.map((c) => c.expected.acceptable)).toEqual([
      [{ name: "lookup_order", arguments: { id: [42, "42"] } }],
      undefined,
      undefined,
    ]);
  });

  it("reads the relevance forms", () => {
    const any = expectedFromRow({
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", content: "Which city?" },
      ],
      tools,
      metadata: { expect: "any_call" },
    });
    if (!any.ok) throw new Error(any.error);
    expect(any.case.expected).toEqual({ text: "Which city?", toolCalls: [], expect: "any_call" });
    expect(any.case.slice.tool).toBe("(any call)");
    const none = expectedFromRow({
      messages: [
        { role: "user", content: "Tell me a joke." },
        { role: "assistant", content: "Why did the…" },
      ],
      tools,
      metadata: { expect: "no_call" },
    });
    if (!none.ok) throw new Error(none.error);
    expect(none.case.expected.expect).toBe("no_call");
    expect(none.case.slice.tool).toBe("(no call)");
  });

  it("skips rows whose answer is malformed or contradicts the reference, naming the path", () => {
    const err = (metadata: Record<string, unknown>) => {
      const r = expectedFromRow(bfclRow(metadata));
      if (r.ok) throw new Error("expected an error");
      return r.error;
    };
    expect(err({ possible_answer: [{ get_weather: { city: "Paris" } }] })).toBe(
      "metadata.possible_answer[0].get_weather.city: expected a list of acceptable values",
    );
    expect(err({ possible_answer: [{ get_weather: { city: [] } }] })).toBe(
      "metadata.possible_answer[0].get_weather.city: expected at least one acceptable value",
    );
    expect(err({ possible_answer: [{ a: {}, b: {} }] })).toBe(
      "metadata.possible_answer[0]: each entry names exactly one function",
    );
    expect(err({ possible_answer: { get_weather: {} } })).toBe(
      "metadata.possible_answer: expected a list of expected calls",
    );
    expect(err({ possible_answer: [] })).toBe(
      "metadata.possible_answer: expected at least one expected call",
    );
    expect(err({ expect: "maybe" })).toBe(
      'metadata.expect: expected "calls", "any_call" or "no_call", found "maybe"',
    );
    expect(err({ expect: "no_call" })).toBe(
      'metadata.expect: "no_call", but messages[1] calls a tool',
    );
    expect(err({ expect: "any_call", possible_answer: [{ get_weather: {} }] })).toMatch(
      /^metadata\.expect: "any_call" cannot be combined with metadata\.possible_answer/,
    );
    const textOnly = expectedFromRow({
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ],
      metadata: { possible_answer: [{ get_weather: { city: ["Paris"] } }] },
    });
    expect(textOnly).toEqual({
      ok: false,
      error:
        "metadata.possible_answer: the row lists acceptable calls but has no tool-calling assistant turn to hold them against",
    });
  });
});
