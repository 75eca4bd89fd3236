import { describe, expect, it } from "vitest";
import type { Finding } from "@/lib/schemas/datasets";
import { assignToolCallIds, convertShareGpt } from "./sharegpt";
import { testContext } from "./test-context";
import { validateExample } from "./validate-example";

const ctx = testContext();
const fields = (value: unknown) =>
  validateExample(value, ctx).findings.map((f) => [f.code, f.field, f.message]);

describe("ShareGPT conversion", () => {
  it("maps human/gpt (and user/assistant) to chat roles", () => {
    const r = validateExample(
      {
        conversations: [
          { from: "system", value: "You are terse." },
          { from: "human", value: "hi" },
          { from: "gpt", value: "hello" },
          { from: "user", value: "bye" },
          { from: "assistant", value: "bye" },
        ],
      },
      ctx,
    );
    expect(r.findings).toEqual([]);
    expect(r.detected).toBe("sharegpt");
    expect(r.example).toEqual({
      kind: "chat",
      tools: [],
      source: null,
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "hi" },
        { role: "assistant", content: "hello" },
        { role: "user", content: "bye" },
        { role: "assistant", content: "bye" },
      ],
    });
  });

  it("converts LLaMA-Factory function calls, observations, system and string tools", () => {
    const r = validateExample(
      {
        system: "Use tools.",
        tools: JSON.stringify([
          { name: "get_weather", parameters: { type: "object", required: ["city"] } },
        ]),
        conversations: [
          { from: "human", value: "Paris and Rome?" },
          {
            from: "function_call",
            value: JSON.stringify([
              { name: "get_weather", arguments: { city: "Paris" } },
              { name: "get_weather", arguments: { city: "Rome" } },
            ]),
          },
          { from: "observation", value: "21" },
          { from: "observation", value: "24" },
          { from: "gpt", value: "21 and 24 °C." },
        ],
        metadata: { source: "production_traces" },
      },
      ctx,
    );
    expect(r.findings).toEqual([]);
    expect(r.example).toEqual({
      kind: "chat",
      source: "production_traces",
      tools: [
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", required: ["city"] } },
        },
      ],
      messages: [
        { role: "system", content: "Use tools." },
        { role: "user", content: "Paris and Rome?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            {
              id: "call_2_0",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
            {
              id: "call_2_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Rome"}' },
            },
          ],
        },
        { role: "tool", content: "21", tool_call_id: "call_2_0" },
        { role: "tool", content: "24", tool_call_id: "call_2_1" },
        { role: "assistant", content: "21 and 24 °C." },
      ],
    });
  });

  it("accepts one observation for several parallel calls", () => {
    const r = validateExample(
      {
        tools: [{ name: "f" }],
        conversations: [
          { from: "human", value: "go" },
          {
            from: "function_call",
            value: '[{"name":"f","arguments":{}},{"name":"f","arguments":{}}]',
          },
          { from: "observation", value: "[1, 2]" },
          { from: "gpt", value: "done" },
        ],
      },
      ctx,
    );
    expect(r.findings).toEqual([]);
  });

  it("names the ShareGPT field of each defect", () => {
    const row = (conversations: unknown[], extra: object = {}) => ({ conversations, ...extra });
    const human = { from: "human", value: "hi" };
    expect(fields(row([human, { from: "bot", value: "hello" }]))).toEqual([
      [
        "invalid_shape",
        "conversations[1].from",
        'unknown speaker "bot"; expected one of system, human, user, gpt, assistant, tool, function_call, observation',
      ],
    ]);
    expect(fields(row([human, { from: "gpt", value: 3 }]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].value",
    ]);
    expect(fields(row([human, { from: 1, value: "x" }]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].from",
    ]);
    expect(fields(row([human, "gpt: hello"]))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1]",
    ]);
    expect(fields({ conversations: {} })[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations",
    ]);
    expect(
      fields(row([human, { from: "gpt", value: "x" }], { system: 1 }))[0]!.slice(0, 2),
    ).toEqual(["invalid_shape", "system"]);
    expect(
      fields(row([human, { from: "gpt", value: "x" }], { tools: "[{" }))[0]!.slice(0, 2),
    ).toEqual(["invalid_shape", "tools"]);
  });

  it("finds role-order defects and reports them on conversations paths", () => {
    // System in the middle, and two human turns in a row.
    expect(
      fields({
        conversations: [
          { from: "human", value: "a" },
          { from: "gpt", value: "b" },
          { from: "system", value: "c" },
          { from: "human", value: "d" },
          { from: "human", value: "e" },
          { from: "gpt", value: "" },
        ],
      }).map((f) => [f[0], f[1]]),
    ).toEqual([
      ["role_order", "conversations[2].from"],
      ["role_order", "conversations[4].from"],
      ["assistant_empty", "conversations[5].value"],
    ]);
    expect(
      fields({ system: "s", conversations: [{ from: "human", value: "hi" }] }).map((f) => [
        f[0],
        f[1],
      ]),
    ).toEqual([["no_assistant_turn", "conversations"]]);
  });

  it("checks function-call values and their arguments", () => {
    const withCall = (
      value: string,
      tools: unknown = [{ name: "f", parameters: { type: "object", required: ["x"] } }],
    ) => ({
      tools,
      conversations: [
        { from: "human", value: "go" },
        { from: "function_call", value },
      ],
    });
    expect(fields(withCall("f(x=1)"))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].value",
    ]);
    expect(fields(withCall("[]"))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].value",
    ]);
    expect(fields(withCall('[{"name":"f","arguments":{"x":1}}, 3]'))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].value[1]",
    ]);
    expect(fields(withCall('{"name":"","arguments":{}}'))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].value.name",
    ]);
    expect(fields(withCall('{"name":"f"}'))[0]!.slice(0, 2)).toEqual([
      "invalid_shape",
      "conversations[1].value.arguments",
    ]);
    // Arguments given as a (double-encoded) string are kept and judged as such.
    expect(
      fields(withCall('{"name":"f","arguments":"\\"{\\\\\\"x\\\\\\":1}\\""}'))[0]!.slice(0, 2),
    ).toEqual(["arguments_not_object", "conversations[1].value.arguments"]);
    expect(fields(withCall('[{"name":"g","arguments":{}}]')).map((f) => [f[0], f[1]])).toEqual([
      ["undeclared_tool", "conversations[1].value[0].name"],
    ]);
    expect(fields(withCall('{"name":"f","arguments":{}}')).map((f) => [f[0], f[1]])).toEqual([
      ["arguments_schema", "conversations[1].value.arguments"],
    ]);
    expect(
      fields(
        withCall('{"name":"f","arguments":{}}', [{ name: "f", parameters: { type: "x" } }]),
      ).map((f) => [f[0], f[1]]),
    ).toEqual([["invalid_tool_schema", "tools[0].parameters"]]);
    expect(
      fields(
        withCall('{"name":"f","arguments":{}}', [
          { type: "function", function: { name: "f", parameters: { type: "x" } } },
        ]),
      ).map((f) => [f[0], f[1]]),
    ).toEqual([["invalid_tool_schema", "tools[0].function.parameters"]]);
  });

  it("flags an observation that follows no function call", () => {
    expect(
      fields({
        conversations: [
          { from: "human", value: "hi" },
          { from: "observation", value: "{}" },
          { from: "gpt", value: "ok" },
        ],
      }).map((f) => [f[0], f[1]]),
    ).toEqual([["orphan_tool_message", "conversations[1]"]]);
  });

  it("ignores an empty top-level system and an empty tools string", () => {
    const r = validateExample(
      {
        system: "",
        tools: "",
        conversations: [
          { from: "human", value: "hi" },
          { from: "gpt", value: "yo" },
        ],
      },
      ctx,
    );
    expect(r.findings).toEqual([]);
    expect(r.example).toMatchObject({ messages: [{ role: "user" }, { role: "assistant" }] });
  });

  it("treats a speaker named like an Object property as unknown", () => {
    const findings: Finding[] = [];
    const out = convertShareGpt(
      { conversations: [{ from: "constructor", value: "x" }] },
      4,
      findings,
    );
    expect(out).toBeNull();
    expect(findings.map((f) => [f.line, f.field])).toEqual([[4, "conversations[0].from"]]);
  });
});

describe("assignToolCallIds", () => {
  it("keeps ids that are present and numbers the rest", () => {
    const messages = [
      { role: "user" as const, content: "go" },
      {
        role: "assistant" as const,
        content: null,
        tool_calls: [
          { id: "mine", function: { name: "f", arguments: "{}" } },
          { function: { name: "f", arguments: "{}" } },
        ],
      },
      { role: "tool" as const, content: "1" },
      { role: "tool" as const, content: "2" },
      { role: "tool" as const, content: "3" },
    ];
    assignToolCallIds(messages);
    expect(messages[1]!.tool_calls!.map((c) => c.id)).toEqual(["mine", "call_1_1"]);
    expect(messages.slice(2).map((m) => (m as { tool_call_id?: string }).tool_call_id)).toEqual([
      "mine",
      "call_1_1",
      undefined,
    ]);
  });
});
