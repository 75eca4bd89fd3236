import { describe, expect, it } from "vitest";
import { type AttrValue, mapGenAiSpans, type SpanView } from "./otlp-genai";

const OPTS = { modelAttribute: "retune.model", escalatedAttribute: "retune.escalated" };
let seq = 0;
function span(attrs: Record<string, AttrValue>, over: Partial<SpanView> = {}): SpanView {
  seq++;
  return {
    traceId: "a".repeat(32),
    spanId: seq.toString(16).padStart(16, "0"),
    parentSpanId: "f".repeat(16),
    name: "span",
    startMs: 1_700_000_000_000 + seq * 1_000,
    endMs: 1_700_000_000_000 + seq * 1_000 + 250,
    attributes: new Map(Object.entries(attrs)),
    resource: new Map(),
    events: [],
    status: { code: 0, message: "" },
    ...over,
  };
}

describe("mapGenAiSpans", () => {
  it("makes one event per inference span and none for agent, tool or embedding spans", () => {
    const calls = mapGenAiSpans(
      [
        span({ "gen_ai.operation.name": "invoke_agent" }),
        span({ "gen_ai.operation.name": "chat", "gen_ai.request.model": "m" }),
        span({ "gen_ai.operation.name": "embeddings", "gen_ai.request.model": "e" }),
        span({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" }),
        // An instrumentation older than gen_ai.operation.name.
        span({ "gen_ai.request.model": "m" }),
        span({ "http.method": "GET" }),
      ],
      OPTS,
    );
    expect(calls.map((c) => c.index)).toEqual([1, 4]);
    expect(calls[0]!.event).toMatchObject({ outcome: "success", latencyMs: 250, tool: "t" });
  });

  it("takes the configured attribute alone when set, else the request then response model", () => {
    const resource = new Map<string, AttrValue>([["my.model", "from resource"]]);
    const [configured, fallback] = mapGenAiSpans(
      [
        span({ "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt" }, { resource }),
        span({
          "gen_ai.operation.name": "chat",
          "gen_ai.request.model": "gpt",
          "gen_ai.response.model": "gpt-2024",
        }),
      ],
      { ...OPTS, modelAttribute: "my.model" },
    );
    expect(configured).toMatchObject({ modelRefs: ["from resource"], modelFrom: "attribute" });
    expect(fallback).toMatchObject({ modelRefs: ["gpt", "gpt-2024"], modelFrom: "model name" });
  });

  it("reads outcome from status or error.type, escalation from the configured attribute, and judges the tool call", () => {
    const out = (name: string, args: string) =>
      JSON.stringify([
        { role: "assistant", parts: [{ type: "tool_call", id: "c1", name, arguments: args }] },
      ]);
    const defs = JSON.stringify([{ type: "function", name: "refund", parameters: {} }]);
    const calls = mapGenAiSpans(
      [
        span({ "gen_ai.operation.name": "chat", "error.type": "rate_limited" }),
        span({ "gen_ai.operation.name": "chat" }, { status: { code: 2, message: "boom" } }),
        span({
          "gen_ai.operation.name": "chat",
          "gen_ai.output.messages": out("refund", '{"id":1}'),
          "gen_ai.tool.definitions": defs,
          "route.escalated": "true",
        }),
        span({
          "gen_ai.operation.name": "chat",
          "gen_ai.output.messages": out("delete_everything", "{}"),
          "gen_ai.tool.definitions": defs,
        }),
        span({ "gen_ai.operation.name": "chat", "gen_ai.output.messages": out("refund", "{oops") }),
      ],
      { ...OPTS, escalatedAttribute: "route.escalated" },
    );
    expect(calls.map((c) => c.event.outcome)).toEqual([
      "failure",
      "failure",
      "success",
      "success",
      "success",
    ]);
    expect(calls[2]!.event).toMatchObject({ tool: "refund", toolCallValid: true, escalated: true });
    expect(calls[3]!.event).toMatchObject({ tool: "delete_everything", toolCallValid: false });
    expect(calls[4]!.event).toMatchObject({ tool: "refund", toolCallValid: false });
    expect(calls[0]!.event.toolCallValid).toBeUndefined();
  });

  it("reads the oldest recording, gen_ai.prompt and gen_ai.completion events", () => {
    const [call] = mapGenAiSpans(
      [
        span(
          { "gen_ai.request.model": "m", "gen_ai.usage.input_tokens": 12 },
          {
            events: [
              {
                name: "gen_ai.content.prompt",
                timeMs: 0,
                attributes: new Map([
                  ["gen_ai.prompt", JSON.stringify([{ role: "user", content: "hi" }])],
                ]),
              },
              {
                name: "gen_ai.content.completion",
                timeMs: 0,
                attributes: new Map([
                  ["gen_ai.completion", JSON.stringify([{ role: "assistant", content: "hello" }])],
                ]),
              },
            ],
          },
        ),
      ],
      OPTS,
    );
    expect(call!.trace?.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
    ]);
    expect(call!.trace?.metadata).toMatchObject({ source: "otlp", inputTokens: 12 });
  });
});
