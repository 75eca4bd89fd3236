import { describe, expect, it } from "vitest";
import { FINDING_CODES, type Finding } from "@/lib/schemas/datasets";
import { DuplicateTracker, duplicateFinding } from "./duplicates";
import { hashString } from "./example-hash";
import { testContext } from "./test-context";
import type { ExampleContext } from "./validate-example";
import { validateExample } from "./validate-example";

const WEATHER = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather for a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  },
};

const call = (args: string, name = "get_weather", id = "call_1") => ({
  id,
  type: "function",
  function: { name, arguments: args },
});

/** user → assistant(call) → tool → assistant, with the call's arguments and tools to vary. */
function toolRow(args: string, opts: { name?: string; tools?: unknown[]; resultId?: string } = {}) {
  return {
    tools: opts.tools ?? [WEATHER],
    messages: [
      { role: "user", content: "Weather in Paris?" },
      { role: "assistant", content: null, tool_calls: [call(args, opts.name)] },
      { role: "tool", tool_call_id: opts.resultId ?? "call_1", content: '{"temp_c": 21}' },
      { role: "assistant", content: "It is 21 °C in Paris." },
    ],
  };
}

const chat = (...messages: [string, string | null][]) => ({
  messages: messages.map(([role, content]) => ({ role, content })),
});

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");

/**
 * One JSONL file with one defect per line, on a known line. Lines are given as raw text where
 * the defect is in the JSON itself (double encoding is easiest to read that way).
 */
const FIXTURE: (object | string)[] = [
  /* 1 */ toolRow('{"city":"Paris"}'),
  /* 2 */ "[1, 2, 3]",
  /* 3 */ { text: "hello", label: 1 },
  /* 4 */ {
    messages: [
      { role: "user", content: "hi" },
      { role: "assistant", content: 42 },
    ],
  },
  /* 5 */ chat(["user", "hi"], ["user", "are you there?"], ["assistant", "yes"]),
  /* 6 */ chat(
    ["system", "be brief"],
    ["user", "a"],
    ["assistant", "b"],
    ["system", "now be verbose"],
    ["user", "c"],
    ["assistant", "d"],
  ),
  /* 7 */ chat(["assistant", "Hello! How can I help?"], ["user", "hi"], ["assistant", "hi"]),
  /* 8 */ chat(["system", "be brief"], ["user", "hello?"]),
  /* 9 */ chat(["user", "hi"], ["assistant", ""]),
  /* 10 */ chat(["user", "   "], ["assistant", "Did you mean to send something?"]),
  /* 11 */ toolRow('{"city":"Paris"}', { name: "get_wether" }),
  /* 12 */ toolRow("{city: Paris}"),
  /* 13 */ '{"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"messages":[{"role":"user","content":"Paris?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"\\"{\\\\\\"city\\\\\\":\\\\\\"Paris\\\\\\"}\\""}}]}]}',
  /* 14 */ toolRow('{"town":"Paris"}'),
  /* 15 */ toolRow('{"city":"Paris"}', {
    tools: [
      { type: "function", function: { name: "get_weather", parameters: { type: "nonsense" } } },
    ],
  }),
  /* 16 */ toolRow('{"city":"Paris"}', { resultId: "call_2" }),
  /* 17 */ chat(["user", words(150)], ["assistant", words(100)]),
  /* 18 */ chat(["user", "Mail me at jane.doe@example.com please"], ["assistant", "Sure."]),
  /* 19 */ chat(["user", "Call +1 415 555 2671 tomorrow"], ["assistant", "Will do."]),
  /* 20 */ chat(["user", "My card is 4111 1111 1111 1111, exp 12/27"], ["assistant", "Thanks."]),
  /* 21 */ {
    conversations: [
      { from: "human", value: "hi" },
      { from: "gpt", value: "hello" },
    ],
  },
  /* 22 */ {
    conversations: [
      { from: "human", value: "hi" },
      { from: "bot", value: "hello" },
    ],
  },
  /* 23 */ toolRow('{"city":"Paris"}'),
  /* 24 */ { prompt: "Translate: chat", completion: "" },
  /* 25 */ { prompt: "Translate: chien", completion: "dog", metadata: { source: "synthetic" } },
];

const JSONL = FIXTURE.map((row) => (typeof row === "string" ? row : JSON.stringify(row))).join(
  "\n",
);

/** What lib/server does per line: parse, validate, track duplicates of clean rows. */
function validateFile(text: string, ctx: ExampleContext) {
  const findings: Finding[] = [];
  const duplicates = new DuplicateTracker();
  text.split("\n").forEach((raw, i) => {
    ctx.line = i + 1;
    const result = validateExample(JSON.parse(raw), ctx);
    findings.push(...result.findings);
    if (result.example) {
      const first = duplicates.seen(hashString(raw), ctx.line);
      if (first !== null) findings.push(duplicateFinding(ctx.line, first));
    }
  });
  return findings;
}

describe("validateExample on a fixture file with one defect per line", () => {
  const findings = validateFile(JSONL, testContext({ contextTokens: 200 }));
  const table = findings.map((f) => [f.line, f.severity, f.code, f.field]);

  it("reports exactly the planted defects, each on its line and field", () => {
    expect(table).toEqual([
      [2, "error", "not_an_object", undefined],
      [3, "error", "unknown_format", undefined],
      [4, "error", "invalid_shape", "messages[1].content"],
      [5, "error", "role_order", "messages[1].role"],
      [6, "error", "role_order", "messages[3].role"],
      [7, "error", "role_order", "messages[0].role"],
      [8, "error", "no_assistant_turn", "messages"],
      [9, "error", "assistant_empty", "messages[1].content"],
      [10, "warning", "empty_content", "messages[0].content"],
      [11, "error", "undeclared_tool", "messages[1].tool_calls[0].function.name"],
      [12, "error", "arguments_invalid_json", "messages[1].tool_calls[0].function.arguments"],
      [13, "error", "arguments_not_object", "messages[1].tool_calls[0].function.arguments"],
      [14, "error", "arguments_schema", "messages[1].tool_calls[0].function.arguments"],
      [15, "error", "invalid_tool_schema", "tools[0].function.parameters"],
      [16, "error", "orphan_tool_message", "messages[2].tool_call_id"],
      [17, "error", "exceeds_context", "messages"],
      [18, "warning", "pii_email", "messages[0].content"],
      [19, "warning", "pii_phone", "messages[0].content"],
      [20, "warning", "pii_card", "messages[0].content"],
      [22, "error", "invalid_shape", "conversations[1].from"],
      [23, "warning", "duplicate_example", undefined],
      [24, "error", "empty_content", "completion"],
    ]);
  });

  it("covers every code this layer emits", () => {
    // Read errors belong to lib/server; synthetic_majority is a dataset finding (stats.test.ts);
    // truncated_gzip is the file's (lib/server/datasets/validation.ts).
    const elsewhere = [
      "invalid_utf8",
      "line_too_long",
      "invalid_json",
      "synthetic_majority",
      "truncated_gzip",
    ];
    const covered = new Set(findings.map((f) => f.code));
    expect(FINDING_CODES.filter((c) => !covered.has(c))).toEqual(elsewhere);
  });

  const message = (line: number) => findings.find((f) => f.line === line)!.message;

  it("says what was found and what was expected", () => {
    expect(message(2)).toBe("expected a JSON object per line, found an array");
    expect(message(3)).toContain('found keys "text", "label"');
    expect(message(4)).toBe("content must be a string or null, found a number");
    expect(message(5)).toContain("two user messages in a row (messages[0] and messages[1])");
    expect(message(6)).toContain("system message at messages[3] comes after the conversation");
    expect(message(7)).toContain("starts with an assistant message");
    expect(message(11)).toBe(
      'calls tool "get_wether", which is not declared in tools (declared: "get_weather")',
    );
    expect(message(12)).toMatch(/^arguments are not valid JSON \(.+\): "\{city: Paris\}"/);
    expect(message(13)).toBe(
      'arguments decode to a string ("{\\"city\\":\\"Paris\\"}"), expected a JSON object — double-encoded?',
    );
    expect(message(14)).toBe(
      `arguments do not match the parameters of tool "get_weather": must have required property 'city'`,
    );
    expect(message(15)).toContain('schema type must be "object", found "nonsense"');
    expect(message(16)).toBe(
      'tool_call_id "call_2" matches no call of messages[1]; expected one of "call_1"',
    );
    expect(message(17)).toBe(
      "example is 252 tokens, over the base model's context of 200 tokens; it would be truncated in training",
    );
    expect(message(18)).toContain("j***@example.com");
    expect(message(19)).toContain("+• ••• ••• ••71");
    expect(message(20)).toContain("•••• •••• •••• 1111");
    expect(message(22)).toContain('unknown speaker "bot"');
    expect(message(23)).toContain("same as line 1");
  });
});

describe("validateExample results", () => {
  const ctx = testContext();

  it("normalizes a clean tool-calling row and counts its tokens", () => {
    const r = validateExample(toolRow('{"city":"Paris"}'), ctx);
    expect(r.findings).toEqual([]);
    expect(r.detected).toBe("tool_calling");
    expect(r.example).toEqual({
      kind: "chat",
      source: null,
      tools: [WEATHER],
      messages: [
        { role: "user", content: "Weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [call('{"city":"Paris"}')] },
        { role: "tool", tool_call_id: "call_1", content: '{"temp_c": 21}' },
        { role: "assistant", content: "It is 21 °C in Paris." },
      ],
    });
    // "user\nWeather in Paris?" 4, "assistant\nget_weather {…}" 3, "tool\n{…}" 3,
    // "assistant\nIt is 21 °C in Paris." 7, tools JSON 5 words.
    expect(r.tokens).toEqual({ total: 4 + 3 + 3 + 7 + 5, assistant: 3 + 7 });
  });

  it("drops fields outside the contract and keeps metadata.source", () => {
    const r = validateExample(
      {
        messages: [
          { role: "user", content: "hi", weight: 0 },
          { role: "assistant", content: "hello", tool_call_id: "x", name: "bot" },
        ],
        metadata: { source: "production_traces", trace_id: "t1" },
      },
      ctx,
    );
    expect(r.example).toEqual({
      kind: "chat",
      tools: [],
      source: "production_traces",
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello", name: "bot" },
      ],
    });
  });

  it("returns no example when there is an error, but keeps warnings-only rows", () => {
    const bad = validateExample(chat(["user", "hi"], ["assistant", ""]), ctx);
    expect(bad.example).toBeNull();
    expect(bad.tokens).not.toBeNull();
    const warned = validateExample(chat(["system", ""], ["user", "hi"], ["assistant", "yo"]), ctx);
    expect(warned.findings.map((f) => f.code)).toEqual(["empty_content"]);
    expect(warned.example).not.toBeNull();
  });

  it("returns no tokens when the structure cannot be read", () => {
    const r = validateExample({ messages: "hi" }, ctx);
    expect(r.tokens).toBeNull();
    expect(r.detected).toBeNull();
    expect(r.findings).toEqual([
      {
        line: 1,
        severity: "error",
        code: "invalid_shape",
        message: "messages must be an array of message objects, found a string",
        field: "messages",
      },
    ]);
  });

  it("puts ctx.line on every finding", () => {
    const r = validateExample(chat(["user", "  "], ["user", ""]), testContext({ line: 7 }));
    expect(r.findings.length).toBeGreaterThan(2);
    expect(r.findings.every((f) => f.line === 7)).toBe(true);
  });
});

describe("declared formats", () => {
  it("rejects rows that do not match the declared format and names the keys seen", () => {
    const r = validateExample(
      chat(["user", "hi"], ["assistant", "yo"]),
      testContext({ format: "completion" }),
    );
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]!.code).toBe("unknown_format");
    expect(r.findings[0]!.message).toBe(
      'row does not match the declared format "completion": expected "prompt" and "completion"; found keys "messages"',
    );
    expect(r.detected).toBe("chat");
  });

  it("accepts tool-calling rows in a chat upload and plain rows in a tool-calling upload", () => {
    const tooly = validateExample(toolRow('{"city":"Paris"}'), testContext({ format: "chat" }));
    expect(tooly.findings).toEqual([]);
    expect(tooly.detected).toBe("tool_calling");
    const plain = validateExample(
      chat(["user", "hi"], ["assistant", "yo"]),
      testContext({ format: "tool_calling" }),
    );
    expect(plain.findings).toEqual([]);
  });

  it("requires declared tools for calls in tool-calling data, not in a chat upload", () => {
    const row = toolRow('{"city":"Paris"}', { tools: [] });
    const auto = validateExample(row, testContext());
    expect(auto.findings.map((f) => [f.code, f.field])).toEqual([
      ["undeclared_tool", "messages[1].tool_calls[0].function.name"],
    ]);
    expect(auto.findings[0]!.message).toContain("the example declares no tools");
    expect(validateExample(row, testContext({ format: "chat" })).findings).toEqual([]);
  });

  it("reads a type-mismatched key of the declared layout as a shape error", () => {
    const r = validateExample({ prompt: 3, completion: "x" }, testContext());
    expect(r.findings.map((f) => [f.code, f.field, f.message])).toEqual([
      ["invalid_shape", "prompt", "prompt must be a string, found a number"],
    ]);
  });

  it("lists keys of an empty object", () => {
    const r = validateExample({}, testContext());
    expect(r.findings[0]!.message).toContain("found keys none (an empty object)");
  });
});

describe("shape", () => {
  const ctx = testContext();
  const fields = (value: unknown) =>
    validateExample(value, ctx).findings.map((f) => [f.code, f.field, f.message]);

  it("names each malformed field and the type found", () => {
    expect(
      fields({
        messages: [
          "hi",
          { role: "human", content: "hi" },
          { role: 3, content: "x" },
          { role: "user", content: [{ type: "text", text: "hi" }] },
          { role: "tool", content: "x", tool_call_id: 5 },
          { role: "assistant", content: "x", name: 1 },
        ],
      }),
    ).toEqual([
      ["invalid_shape", "messages[0]", "expected a message object, found a string"],
      [
        "invalid_shape",
        "messages[1].role",
        'unknown role "human"; expected "system", "user", "assistant" or "tool"',
      ],
      [
        "invalid_shape",
        "messages[2].role",
        'role must be a string ("system", "user", "assistant" or "tool"), found a number',
      ],
      [
        "invalid_shape",
        "messages[3].content",
        "content must be a string or null, found an array (content parts are not supported: join the text parts into one string)",
      ],
      [
        "invalid_shape",
        "messages[4].tool_call_id",
        "tool_call_id must be a string, found a number",
      ],
      ["invalid_shape", "messages[5].name", "name must be a string, found a number"],
    ]);
  });

  it("requires arguments as a JSON string, as OpenAI does", () => {
    const row = (args: unknown) => ({
      tools: [WEATHER],
      messages: [
        { role: "user", content: "Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c", type: "function", function: { name: "get_weather", arguments: args } },
          ],
        },
      ],
    });
    const at = "messages[1].tool_calls[0].function.arguments";
    expect(fields(row({ city: "Paris" }))).toEqual([
      [
        "invalid_shape",
        at,
        'arguments is a JSON object; OpenAI\'s format requires it encoded as a string, e.g. "{\\"city\\":\\"Paris\\"}"',
      ],
    ]);
    expect(fields(row(undefined))[0]![2]).toContain("arguments are missing");
    expect(fields(row(7))[0]![2]).toBe(
      "arguments must be a JSON-encoded object string, found a number",
    );
  });

  it("explains tool calls in the wrong layout", () => {
    const row = (calls: unknown, role = "assistant") => ({
      messages: [
        { role: "user", content: "Paris?" },
        { role, content: null, tool_calls: calls },
      ],
    });
    expect(fields(row([{ name: "get_weather", arguments: "{}" }]))).toEqual([
      [
        "invalid_shape",
        "messages[1].tool_calls[0].function",
        'tool call has "name"/"arguments" at the top level; expected them inside "function": {"name": …, "arguments": "…"}',
      ],
    ]);
    expect(fields(row({}))[0]!.slice(0, 2)).toEqual(["invalid_shape", "messages[1].tool_calls"]);
    expect(fields(row([call("{}")], "user"))[0]![2]).toBe(
      "only assistant messages may carry tool_calls; found them on a user message",
    );
    expect(
      fields(row([{ id: 1, type: "fn", function: { name: "", arguments: "{}" } }])).map(
        (f) => f[1],
      ),
    ).toEqual([
      "messages[1].tool_calls[0].id",
      "messages[1].tool_calls[0].type",
      "messages[1].tool_calls[0].function.name",
    ]);
    expect(fields(row(["x"]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "messages[1].tool_calls[0]",
    ]);
    expect(fields(row([{ id: "a", other: 1 }]))[0]![2]).toContain('found keys "id", "other"');
  });

  it("checks tool definitions", () => {
    const row = (tools: unknown) => ({ tools, ...chat(["user", "hi"], ["assistant", "yo"]) });
    expect(fields(row({ get_weather: {} }))).toEqual([
      ["invalid_shape", "tools", "tools must be an array of tool definitions, found an object"],
    ]);
    expect(fields(row("[]"))[0]![2]).toBe(
      "tools must be an array of tool definitions, found a string (JSON-encoded? store the array itself)",
    );
    expect(fields(row([{ name: "get_weather", parameters: {} }]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "tools[0].function",
    ]);
    expect(fields(row([{ type: "function", function: { name: 3 } }]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "tools[0].function.name",
    ]);
    expect(fields(row([{ type: "web", function: { name: "a" } }]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "tools[0].type",
    ]);
    expect(
      fields(row([{ type: "function", function: { name: "a", description: 1 } }]))[0]!.slice(0, 2),
    ).toEqual(["invalid_shape", "tools[0].function.description"]);
    expect(fields(row([WEATHER, WEATHER]))).toEqual([
      [
        "invalid_shape",
        "tools[1].function.name",
        'tool "get_weather" is declared twice (tools[0] and tools[1]); tool names must be unique',
      ],
    ]);
    expect(fields(row([{ type: "function", function: { name: "a", parameters: "{}" } }]))).toEqual([
      [
        "invalid_tool_schema",
        "tools[0].function.parameters",
        'parameters of tool "a" must be a JSON Schema object, found a string',
      ],
    ]);
  });

  it("finds duplicate tool names in long tool lists too", () => {
    const many = Array.from({ length: 12 }, (_, k) => ({
      type: "function",
      function: { name: `t${k % 11}` },
    }));
    const f = fields({ tools: many, ...chat(["user", "hi"], ["assistant", "yo"]) });
    expect(f.map((x) => x[1])).toEqual(["tools[11].function.name"]);
  });

  it("accepts null tools, null tool_calls and a missing content", () => {
    const r = validateExample(
      {
        tools: null,
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "yo", tool_calls: null },
          { role: "user", content: "and?" },
          { role: "assistant", tool_calls: [call("{}", "noop")] },
        ],
      },
      ctx,
    );
    expect(r.findings.map((f) => f.code)).toEqual(["undeclared_tool"]);
  });
});

describe("tool calls", () => {
  const ctx = testContext();

  it("flags arguments that decode to arrays, numbers, null", () => {
    for (const [args, found] of [
      ["[1,2]", "an array"],
      ["3", "a number (3)"],
      ["true", "a boolean (true)"],
      ["null", "null"],
    ] as const) {
      const r = validateExample(toolRow(args), ctx);
      expect(r.findings.map((f) => [f.code, f.message])).toEqual([
        ["arguments_not_object", `arguments decode to ${found}, expected a JSON object`],
      ]);
    }
  });

  it("explains empty-string arguments", () => {
    const r = validateExample(toolRow(""), ctx);
    expect(r.findings[0]!.message).toBe(
      'arguments are an empty string; expected a JSON object string ("{}" for no arguments)',
    );
  });

  it("reports an uncompilable schema once per tool, however many calls use it", () => {
    const tools = [{ type: "function", function: { name: "f", parameters: { type: "x" } } }];
    const r = validateExample(
      {
        tools,
        messages: [
          { role: "user", content: "go" },
          {
            role: "assistant",
            content: null,
            tool_calls: [call("{}", "f", "a"), call("{}", "f", "b")],
          },
        ],
      },
      ctx,
    );
    expect(r.findings.map((f) => [f.code, f.field])).toEqual([
      ["invalid_tool_schema", "tools[0].function.parameters"],
    ]);
  });

  it("reports a schema check that throws as an unusable schema instead of failing the file", () => {
    const r = validateExample(
      toolRow('{"city":"Paris"}'),
      testContext({
        checkArguments: () => {
          throw new Error("schema is too deep");
        },
      }),
    );
    expect(r.findings.map((f) => [f.code, f.field, f.message])).toEqual([
      [
        "invalid_tool_schema",
        "tools[0].function.parameters",
        'parameters of tool "get_weather" are not a usable JSON Schema: the schema check failed (schema is too deep)',
      ],
    ]);
  });

  it("passes the normalized tools and decoded arguments to checkArguments", () => {
    const seen: unknown[] = [];
    validateExample(
      toolRow('{"city":"Paris"}'),
      testContext({
        checkArguments: (tools, name, args) => {
          seen.push([tools, name, args]);
          return null;
        },
      }),
    );
    expect(seen).toEqual([[[WEATHER], "get_weather", { city: "Paris" }]]);
  });

  it("lists at most ten declared tools", () => {
    const tools = Array.from({ length: 12 }, (_, k) => ({
      type: "function",
      function: { name: `t${k}` },
    }));
    const r = validateExample(toolRow("{}", { tools, name: "zzz" }), ctx);
    expect(r.findings[0]!.message).toContain('"t9", …)');
  });
});

describe("role order and tool results", () => {
  const ctx = testContext();
  const found = (messages: object[]) =>
    validateExample({ tools: [WEATHER], messages }, ctx).findings.map((f) => [
      f.code,
      f.field,
      f.message,
    ]);
  const user = { role: "user", content: "Paris and Rome?" };
  const twoCalls = {
    role: "assistant",
    content: null,
    tool_calls: [
      call('{"city":"Paris"}', "get_weather", "a"),
      call('{"city":"Rome"}', "get_weather", "b"),
    ],
  };
  const result = (id?: string) => ({
    role: "tool",
    content: "21",
    ...(id ? { tool_call_id: id } : {}),
  });
  const reply = { role: "assistant", content: "Both 21 °C." };

  it("accepts parallel calls answered in any order", () => {
    expect(found([user, twoCalls, result("b"), result("a"), reply])).toEqual([]);
  });

  it("accepts a conversation that ends on a call (the call is what is learned)", () => {
    expect(found([user, twoCalls])).toEqual([]);
  });

  it("flags a call left unanswered before the conversation goes on", () => {
    expect(found([user, twoCalls, result("a"), reply])).toEqual([
      [
        "role_order",
        "messages[1].tool_calls[1]",
        'tool call "get_weather" ("b") at messages[1] has no tool result before messages[3]; expected a tool message with tool_call_id "b" after the call',
      ],
    ]);
  });

  it("flags tool messages that follow no call", () => {
    expect(found([user, result("a"), reply])).toEqual([
      [
        "orphan_tool_message",
        "messages[1]",
        "tool message at messages[1] does not follow an assistant message with tool_calls; a tool result must come right after the call it answers",
      ],
    ]);
    expect(
      found([user, twoCalls, result("a"), result("b"), reply, result("a")])[0]!.slice(0, 2),
    ).toEqual(["orphan_tool_message", "messages[5]"]);
  });

  it("flags a call answered twice and a result without an id", () => {
    expect(found([user, twoCalls, result("a"), result("a"), result("b"), reply])[0]).toEqual([
      "orphan_tool_message",
      "messages[3].tool_call_id",
      'tool_call_id "a" was already answered',
    ]);
    expect(found([user, twoCalls, result(), result("b"), reply])[0]).toEqual([
      "orphan_tool_message",
      "messages[2]",
      'tool message has no tool_call_id; expected the id of a call in messages[1]: "a", "b"',
    ]);
  });

  it("matches id-less results to id-less calls in order", () => {
    const idless = {
      role: "assistant",
      content: null,
      tool_calls: [{ function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
    };
    expect(found([user, idless, result(), reply])).toEqual([]);
    expect(found([user, idless, result(), result(), reply])).toEqual([
      [
        "orphan_tool_message",
        "messages[3]",
        "more tool results than calls: messages[1] made 1 call(s), all already answered",
      ],
    ]);
  });

  it("reports an empty conversation as having no assistant turn", () => {
    expect(found([])).toEqual([
      [
        "no_assistant_turn",
        "messages",
        "messages is empty; expected at least a user and an assistant message",
      ],
    ]);
  });

  it("allows several leading system messages and consecutive assistant messages", () => {
    expect(
      found([
        { role: "system", content: "a" },
        { role: "system", content: "b" },
        user,
        { role: "assistant", content: "Let me check." },
        twoCalls,
        result("a"),
        result("b"),
        reply,
      ]),
    ).toEqual([]);
  });
});

describe("completion rows", () => {
  const ctx = testContext();

  it("normalizes, counts the completion as the assistant part, and warns on an empty prompt", () => {
    const r = validateExample({ prompt: "  ", completion: "a b c" }, ctx);
    expect(r.findings.map((f) => [f.severity, f.code, f.field])).toEqual([
      ["warning", "empty_content", "prompt"],
    ]);
    expect(r.example).toEqual({
      kind: "completion",
      prompt: "  ",
      completion: "a b c",
      source: null,
    });
    expect(r.tokens).toEqual({ total: 3, assistant: 3 });
    expect(r.detected).toBe("completion");
  });

  it("points exceeds_context at the longer part", () => {
    const small = testContext({ contextTokens: 10 });
    const long = validateExample({ prompt: words(20), completion: "ok" }, small);
    expect(long.findings.map((f) => [f.code, f.field])).toEqual([["exceeds_context", "prompt"]]);
    const longer = validateExample({ prompt: "hi", completion: words(20) }, small);
    expect(longer.findings.map((f) => [f.code, f.field])).toEqual([
      ["exceeds_context", "completion"],
    ]);
  });

  it("scans prompt and completion for personal data, once per kind", () => {
    const r = validateExample(
      { prompt: "from a@example.org", completion: "to b@example.org, call (415) 555-2671" },
      ctx,
    );
    expect(r.findings.map((f) => [f.code, f.field])).toEqual([
      ["pii_email", "prompt"],
      ["pii_phone", "completion"],
    ]);
  });
});

describe("PII in chat rows", () => {
  it("reports each kind once per example, at its first field, including tool arguments", () => {
    const r = validateExample(
      {
        tools: [{ type: "function", function: { name: "send" } }],
        messages: [
          { role: "user", content: "write to a@example.org or b@example.org" },
          {
            role: "assistant",
            content: null,
            tool_calls: [call('{"to":"c@example.org","phone":"+44 20 7946 0958"}', "send")],
          },
        ],
      },
      testContext(),
    );
    expect(r.findings.map((f) => [f.code, f.field])).toEqual([
      ["pii_email", "messages[0].content"],
      ["pii_phone", "messages[1].tool_calls[0].function.arguments"],
    ]);
    expect(r.example).not.toBeNull();
  });
});

describe("token counting", () => {
  it("counts the tools JSON once per example and remembers a repeated tool list", () => {
    let calls = 0;
    const ctx = testContext({
      countTokens: (t) => {
        calls++;
        return t.length;
      },
    });
    const a = validateExample(toolRow('{"city":"Paris"}'), ctx);
    const before = calls;
    const b = validateExample(toolRow('{"city":"Paris"}'), ctx);
    expect(b.tokens).toEqual(a.tokens);
    expect(calls - before).toBe(4); // four messages, no second count of the same tools
    expect(a.tokens!.total).toBeGreaterThan(JSON.stringify([WEATHER]).length);
  });
});
