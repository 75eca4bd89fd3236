/** JSONL fixtures for the dataset pipeline tests: each defect on a known line. */
const WEATHER = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
      additionalProperties: false,
    },
  },
};
const BROKEN_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: 7 } } },
  },
};

export function toolRow(
  args: string,
  opts: {
    name?: string;
    tools?: unknown[];
    resultId?: string;
    user?: string;
    source?: string;
  } = {},
) {
  return JSON.stringify({
    tools: opts.tools ?? [WEATHER],
    messages: [
      { role: "user", content: opts.user ?? "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: { name: opts.name ?? "get_weather", arguments: args },
          },
        ],
      },
      { role: "tool", tool_call_id: opts.resultId ?? "call_1", content: '{"temp_c": 21}' },
      { role: "assistant", content: "It is 21 °C." },
    ],
    ...(opts.source ? { metadata: { source: opts.source } } : {}),
  });
}

const chat = (...m: [string, string | null][]) =>
  JSON.stringify({ messages: m.map(([role, content]) => ({ role, content })) });

/** line → [code, severity]; the tests assert exactly these lines and codes. */
export const DEFECTS: { text: string; code: string; severity: "error" | "warning" }[] = [
  { text: '{"messages": [', code: "invalid_json", severity: "error" },
  { text: "[1,2]", code: "not_an_object", severity: "error" },
  { text: '{"text":"hello"}', code: "unknown_format", severity: "error" },
  {
    text: '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":42}]}',
    code: "invalid_shape",
    severity: "error",
  },
  {
    text: chat(["user", "a"], ["user", "b"], ["assistant", "c"]),
    code: "role_order",
    severity: "error",
  },
  { text: chat(["system", "s"], ["user", "hello?"]), code: "no_assistant_turn", severity: "error" },
  { text: chat(["user", "hi"], ["assistant", ""]), code: "assistant_empty", severity: "error" },
  {
    text: chat(["user", "   "], ["assistant", "Did you mean to send something?"]),
    code: "empty_content",
    severity: "warning",
  },
  {
    text: toolRow('{"city":"Paris"}', { name: "get_wether" }),
    code: "undeclared_tool",
    severity: "error",
  },
  { text: toolRow("{city: Paris}"), code: "arguments_invalid_json", severity: "error" },
  {
    text: toolRow(JSON.stringify('{"city":"Paris"}')),
    code: "arguments_not_object",
    severity: "error",
  },
  { text: toolRow('{"town":"Paris"}'), code: "arguments_schema", severity: "error" },
  {
    text: toolRow('{"city":"Paris"}', { tools: [BROKEN_TOOL] }),
    code: "invalid_tool_schema",
    severity: "error",
  },
  {
    text: toolRow('{"city":"Paris"}', { resultId: "call_9" }),
    code: "orphan_tool_message",
    severity: "error",
  },
  {
    text: chat(["user", `tell me ${"about tokens ".repeat(400)}`], ["assistant", "ok"]),
    code: "exceeds_context",
    severity: "error",
  },
  {
    text: chat(["user", "mail me at jane.doe@example.com"], ["assistant", "Sure."]),
    code: "pii_email",
    severity: "warning",
  },
  {
    text: chat(["user", "call +1 415 555 0134 please"], ["assistant", "Will do."]),
    code: "pii_phone",
    severity: "warning",
  },
  {
    text: chat(
      ["user", "my card is 4111 1111 1111 1111"],
      ["assistant", "Never share card numbers."],
    ),
    code: "pii_card",
    severity: "warning",
  },
];

export const GOOD = [
  toolRow('{"city":"Paris"}', { user: "Weather in Paris today?" }),
  toolRow('{"city":"Lagos"}', { user: "And Lagos?" }),
  chat(
    ["system", "Be brief."],
    ["user", "What is LoRA?"],
    ["assistant", "Low-rank adapters on frozen weights."],
  ),
  chat(["user", "Thanks!"], ["assistant", "Any time."]),
];
