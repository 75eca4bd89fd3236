import { describe, expect, it } from "vitest";
import { assistantSpans, ChatRenderError, chatRendererFor, renderChat } from "./chat-render";

const TOOLS = [
  {
    type: "function",
    function: {
      name: "lookup_order",
      description: "Find an order by its id.",
      parameters: {
        type: "object",
        properties: { order_id: { type: "string" } },
        required: ["order_id"],
      },
    },
  },
  {
    type: "function",
    function: {
      name: "create_ticket",
      description: "Open a support ticket.",
      parameters: {
        type: "object",
        properties: { subject: { type: "string" } },
        required: ["subject"],
      },
    },
  },
];
const SIMPLE = [
  { role: "system", content: "You are a support agent." },
  { role: "user", content: "Where is my order?" },
  { role: "assistant", content: "Let me check." },
];
/** OpenAI-style: arguments are a JSON string. */
const TOOL_ROW = [
  { role: "system", content: "Use the tools; never invent order data." },
  { role: "user", content: "Status of ORD-000123, please." },
  {
    role: "assistant",
    content: null,
    tool_calls: [
      {
        id: "call_1",
        type: "function",
        function: { name: "lookup_order", arguments: '{"order_id":"ORD-000123"}' },
      },
    ],
  },
  { role: "tool", tool_call_id: "call_1", content: '{"status":"shipped"}' },
  { role: "assistant", content: "Order ORD-000123 has shipped. ✓" },
];
const TWO_TURNS = [
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello" },
  { role: "user", content: "Bye" },
  { role: "assistant", content: "Bye." },
];

// Expected renderings produced by Python: transformers 5.17
// `transformers.utils.chat_template_utils.render_jinja_template` (trainers/.venv), on the same
// rows; for Llama and Qwen with the arguments parsed to an object, as renderChat passes them.
const TINY_SIMPLE =
  "<|system|>You are a support agent.<|end|><|user|>Where is my order?<|end|><|assistant|>Let me check.<|end|>";

const TINY_TOOL =
  '<|system|>Use the tools; never invent order data.<|end|><|tools|>lookup_order create_ticket<|end|><|user|>Status of ORD-000123, please.<|end|><|assistant|><|call|>lookup_order {"order_id":"ORD-000123"}<|end|><|tool|>{"status":"shipped"}<|end|><|assistant|>Order ORD-000123 has shipped. ✓<|end|>';

const TINY_PROMPT =
  "<|system|>Use the tools; never invent order data.<|end|><|tools|>lookup_order create_ticket<|end|><|user|>Status of ORD-000123, please.<|end|><|assistant|>";

const LLAMA_3_1_TOOL = [
  "<|begin_of_text|><|start_header_id|>system<|end_header_id|>",
  "",
  "Environment: ipython",
  "Cutting Knowledge Date: December 2023",
  "Today Date: 26 Jul 2024",
  "",
  "Use the tools; never invent order data.<|eot_id|><|start_header_id|>user<|end_header_id|>",
  "",
  "Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.",
  "",
  'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.Do not use variables.',
  "",
  "{",
  '    "type": "function",',
  '    "function": {',
  '        "name": "lookup_order",',
  '        "description": "Find an order by its id.",',
  '        "parameters": {',
  '            "type": "object",',
  '            "properties": {',
  '                "order_id": {',
  '                    "type": "string"',
  "                }",
  "            },",
  '            "required": [',
  '                "order_id"',
  "            ]",
  "        }",
  "    }",
  "}",
  "",
  "{",
  '    "type": "function",',
  '    "function": {',
  '        "name": "create_ticket",',
  '        "description": "Open a support ticket.",',
  '        "parameters": {',
  '            "type": "object",',
  '            "properties": {',
  '                "subject": {',
  '                    "type": "string"',
  "                }",
  "            },",
  '            "required": [',
  '                "subject"',
  "            ]",
  "        }",
  "    }",
  "}",
  "",
  "Status of ORD-000123, please.<|eot_id|><|start_header_id|>assistant<|end_header_id|>",
  "",
  '{"name": "lookup_order", "parameters": {"order_id": "ORD-000123"}}<|eot_id|><|start_header_id|>ipython<|end_header_id|>',
  "",
  '"{\\"status\\":\\"shipped\\"}"<|eot_id|><|start_header_id|>assistant<|end_header_id|>',
  "",
  "Order ORD-000123 has shipped. ✓<|eot_id|>",
].join("\n");

const QWEN_2_5_TOOL = [
  "<|im_start|>system",
  "Use the tools; never invent order data.",
  "",
  "# Tools",
  "",
  "You may call one or more functions to assist with the user query.",
  "",
  "You are provided with function signatures within <tools></tools> XML tags:",
  "<tools>",
  '{"type": "function", "function": {"name": "lookup_order", "description": "Find an order by its id.", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}}}',
  '{"type": "function", "function": {"name": "create_ticket", "description": "Open a support ticket.", "parameters": {"type": "object", "properties": {"subject": {"type": "string"}}, "required": ["subject"]}}}',
  "</tools>",
  "",
  "For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:",
  "<tool_call>",
  '{"name": <function-name>, "arguments": <args-json-object>}',
  "</tool_call><|im_end|>",
  "<|im_start|>user",
  "Status of ORD-000123, please.<|im_end|>",
  "<|im_start|>assistant",
  "<tool_call>",
  '{"name": "lookup_order", "arguments": {"order_id": "ORD-000123"}}',
  "</tool_call><|im_end|>",
  "<|im_start|>user",
  "<tool_response>",
  '{"status":"shipped"}',
  "</tool_response><|im_end|>",
  "<|im_start|>assistant",
  "Order ORD-000123 has shipped. ✓<|im_end|>",
  "",
].join("\n");

describe("renderChat", () => {
  it("renders retune/tiny-chat byte for byte as transformers does", async () => {
    expect(
      await renderChat("retune/tiny-chat", { messages: SIMPLE, addGenerationPrompt: false }),
    ).toBe(TINY_SIMPLE);
    expect(
      await renderChat("retune/tiny-chat", {
        messages: TOOL_ROW,
        tools: TOOLS,
        addGenerationPrompt: false,
      }),
    ).toBe(TINY_TOOL);
    expect(
      await renderChat("retune/tiny-chat", {
        messages: TOOL_ROW.slice(0, 2),
        tools: TOOLS,
        addGenerationPrompt: true,
      }),
    ).toBe(TINY_PROMPT);
  });

  it("renders a Llama 3.1 tool-calling row in Meta's JSON tool-call format", async () => {
    const text = await renderChat("meta-llama/Llama-3.1-8B-Instruct", {
      messages: TOOL_ROW,
      tools: TOOLS,
      addGenerationPrompt: false,
    });
    expect(text).toBe(LLAMA_3_1_TOOL);
    // Tools go into the first user turn; the call is a JSON object with "parameters".
    expect(text).toContain("Environment: ipython\n");
    expect(text).toContain(
      '<|start_header_id|>assistant<|end_header_id|>\n\n{"name": "lookup_order", "parameters": {"order_id": "ORD-000123"}}<|eot_id|>',
    );
    expect(text).toContain("<|start_header_id|>ipython<|end_header_id|>");
  });

  it("renders a Qwen2.5 tool-calling row with <tool_call> blocks", async () => {
    const text = await renderChat("Qwen/Qwen2.5-7B-Instruct", {
      messages: TOOL_ROW,
      tools: TOOLS,
      addGenerationPrompt: false,
    });
    expect(text).toBe(QWEN_2_5_TOOL);
    expect(text).toContain(
      '<|im_start|>assistant\n<tool_call>\n{"name": "lookup_order", "arguments": {"order_id": "ORD-000123"}}\n</tool_call><|im_end|>',
    );
  });

  it("gives every catalogue family a rendering with its own markers", async () => {
    const cases: [string, string][] = [
      ["meta-llama/Llama-3.2-3B-Instruct", "<|start_header_id|>assistant<|end_header_id|>\n\n"],
      ["microsoft/Phi-3-mini-4k-instruct", "<|assistant|>\n"],
      ["mistralai/Mistral-7B-Instruct-v0.3", "<s>[INST] Hi[/INST] Hello</s>[INST] Bye[/INST]"],
      ["google/gemma-2-9b-it", "<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n"],
    ];
    for (const [model, marker] of cases) {
      const text = await renderChat(model, { messages: TWO_TURNS, addGenerationPrompt: true });
      expect(text, model).toContain(marker);
    }
    // Llama 3.2 dates its system header with the day of rendering, as transformers does.
    const llama32 = await renderChat("meta-llama/Llama-3.2-1B-Instruct", {
      messages: TWO_TURNS,
      addGenerationPrompt: false,
    });
    expect(llama32).toMatch(/Today Date: \d{2} [A-Z][a-z]{2} \d{4}\n\n<\|eot_id\|>/);
  });

  it("drops a null or empty tool_calls instead of rendering a call", async () => {
    const messages = [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello", tool_calls: null },
      { role: "user", content: "Bye" },
      { role: "assistant", content: "Bye.", tool_calls: [] },
    ];
    const text = await renderChat("meta-llama/Llama-3.1-8B-Instruct", {
      messages,
      addGenerationPrompt: false,
    });
    expect(text).toContain("<|end_header_id|>\n\nHello<|eot_id|>");
    expect(text).toContain("<|end_header_id|>\n\nBye.<|eot_id|>");
  });

  it("normalizes rows as the trainer does before rendering", async () => {
    const messages = [
      { role: "user", content: null },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ type: "function", function: { name: "f", arguments: "" } }],
      },
      { role: "tool", content: { ok: true } },
      { role: "assistant", content: "done" },
    ];
    const text = await renderChat("Qwen/Qwen2.5-7B-Instruct", {
      messages,
      addGenerationPrompt: false,
    });
    expect(text).toContain("<|im_start|>user\n<|im_end|>"); // missing content: ""
    expect(text).toContain('{"name": "f", "arguments": {}}'); // empty arguments: {}
    expect(text).toContain('<tool_response>\n{"ok":true}\n</tool_response>'); // compact JSON
    // tiny-chat prints arguments verbatim, so objects become JSON strings.
    const tiny = await renderChat("retune/tiny-chat", {
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ type: "function", function: { name: "f", arguments: { a: 1 } } }],
        },
      ],
      addGenerationPrompt: false,
    });
    expect(tiny).toContain('<|call|>f {"a":1}<|end|>');
    await expect(
      renderChat("meta-llama/Llama-3.1-8B-Instruct", {
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ type: "function", function: { name: "f", arguments: "{oops" } }],
          },
        ],
        addGenerationPrompt: false,
      }),
    ).rejects.toThrow("tool call arguments are not JSON: {oops");
  });

  it("reports what the template refuses, with its own message", async () => {
    await expect(
      renderChat("google/gemma-2-2b-it", { messages: SIMPLE, addGenerationPrompt: false }),
    ).rejects.toThrow(new ChatRenderError("System role not supported", "Gemma 2 it"));
    const parallel = structuredClone(TOOL_ROW);
    const calls = parallel[2]!.tool_calls!;
    calls.push({ ...calls[0]!, id: "call_2" });
    await expect(
      renderChat("meta-llama/Llama-3.1-8B-Instruct", {
        messages: parallel,
        tools: TOOLS,
        addGenerationPrompt: false,
      }),
    ).rejects.toThrow("This model only supports single tool-calls at once!");
    await expect(chatRendererFor("openai/gpt-4o-mini")).rejects.toThrow(/no chat template/);
  });
});

describe("turnMismatch", () => {
  const check = async (model: string, messages: typeof TWO_TURNS) => {
    const r = await chatRendererFor(model);
    const full = r.render({ messages, addGenerationPrompt: false });
    return r.turnMismatch({ messages }, full);
  };

  it("finds the turns trainers/sft.py cannot place, as it does", async () => {
    expect(await check("meta-llama/Llama-3.1-8B-Instruct", TWO_TURNS)).toBeNull();
    expect(await check("Qwen/Qwen2.5-7B-Instruct", TWO_TURNS)).toBeNull();
    expect(await check("mistralai/Mistral-7B-Instruct-v0.3", TWO_TURNS)).toBeNull();
    // Phi-3 closes a conversation with eos_token: cut after turn 1, it ends differently.
    expect(await check("microsoft/Phi-3-mini-4k-instruct", TWO_TURNS)).toEqual({
      messageIndex: 1,
      kind: "turn",
    });
    expect(await check("microsoft/Phi-3-mini-4k-instruct", TWO_TURNS.slice(0, 2))).toBeNull();
    // Mistral writes the system prompt only into a final user turn, i.e. into prompts.
    const withSystem = [{ role: "system", content: "Be brief." }, ...TWO_TURNS];
    expect(await check("mistralai/Mistral-7B-Instruct-v0.3", withSystem)).toEqual({
      messageIndex: 2,
      kind: "prompt",
    });
  });
});

describe("assistantSpans", () => {
  const spanTexts = async (model: string, messages: typeof TOOL_ROW, tools?: typeof TOOLS) => {
    const { text, spans } = await assistantSpans(model, { messages, tools: tools ?? null });
    return spans.map((s) => ({
      i: s.messageIndex,
      text: text.slice(s.start, s.end),
      eot: s.containsEndOfTurn,
    }));
  };

  it("covers what the assistant writes, end-of-turn included, and no header", async () => {
    expect(await spanTexts("meta-llama/Llama-3.1-8B-Instruct", TOOL_ROW, TOOLS)).toEqual([
      {
        i: 2,
        text: '{"name": "lookup_order", "parameters": {"order_id": "ORD-000123"}}<|eot_id|>',
        eot: true,
      },
      { i: 4, text: "Order ORD-000123 has shipped. ✓<|eot_id|>", eot: true },
    ]);
    expect(await spanTexts("Qwen/Qwen2.5-0.5B-Instruct", TOOL_ROW, TOOLS)).toEqual([
      {
        i: 2,
        text: '<tool_call>\n{"name": "lookup_order", "arguments": {"order_id": "ORD-000123"}}\n</tool_call><|im_end|>\n',
        eot: true,
      },
      { i: 4, text: "Order ORD-000123 has shipped. ✓<|im_end|>\n", eot: true },
    ]);
    expect(await spanTexts("retune/tiny-chat", TOOL_ROW, TOOLS)).toEqual([
      { i: 2, text: '<|call|>lookup_order {"order_id":"ORD-000123"}<|end|>', eot: true },
      { i: 4, text: "Order ORD-000123 has shipped. ✓<|end|>", eot: true },
    ]);
    expect(await spanTexts("google/gemma-2-2b-it", TWO_TURNS)).toEqual([
      { i: 1, text: "Hello<end_of_turn>\n", eot: true },
      { i: 3, text: "Bye.<end_of_turn>\n", eot: true },
    ]);
  });

  it("ends a middle Phi-3 turn where the full text goes on, not inside the next token", async () => {
    // Rendered alone, a conversation ends with eos_token; further in, the next turn follows.
    expect(await spanTexts("microsoft/Phi-3-mini-4k-instruct", TWO_TURNS)).toEqual([
      { i: 1, text: "Hello<|end|>\n", eot: true },
      { i: 3, text: "Bye.<|end|>\n<|endoftext|>", eot: true },
    ]);
  });

  it("shows Mistral's trained span starting inside the prompt when a system prompt moves", async () => {
    expect(await spanTexts("mistralai/Mistral-7B-Instruct-v0.3", TWO_TURNS)).toEqual([
      { i: 1, text: " Hello</s>", eot: true },
      { i: 3, text: " Bye.</s>", eot: true },
    ]);
    // The prompt carries the system prompt, the conversation does not: the common part ends
    // right after "[INST] ", so the trainer's span takes in the user's words.
    const withSystem = [{ role: "system", content: "Be brief." }, ...TWO_TURNS];
    const spans = await spanTexts("mistralai/Mistral-7B-Instruct-v0.3", withSystem);
    expect(spans[0]).toEqual({ i: 2, text: "Hi[/INST] Hello</s>", eot: true });
    const messages = structuredClone(TOOL_ROW).slice(1);
    messages[1]!.tool_calls![0]!.id = "abc123xyz"; // Mistral wants 9-character ids
    messages[2]!.tool_call_id = "abc123xyz";
    expect(await spanTexts("mistralai/Mistral-7B-Instruct-v0.3", messages, TOOLS)).toEqual([
      {
        i: 1,
        text: '[TOOL_CALLS] [{"name": "lookup_order", "arguments": {"order_id": "ORD-000123"}, "id": "abc123xyz"}]</s>',
        eot: true,
      },
      { i: 3, text: " Order ORD-000123 has shipped. ✓</s>", eot: true },
    ]);
  });
});
