import { describe, expect, it } from "vitest";
import { scoreJsonValidity } from "./json-validity";
import { output } from "./test-helpers";

const expectsCall = { text: null, toolCalls: [{ name: "f", arguments: { a: 1 } }] };

describe("scoreJsonValidity", () => {
  it("passes parsed calls, judged on raw arguments when present", () => {
    const calls = [{ name: "f", arguments: { a: 1 } }];
    expect(scoreJsonValidity(expectsCall, output({ toolCalls: calls }))).toEqual({
      score: 1,
      reason: null,
    });
    expect(
      scoreJsonValidity(expectsCall, output({ toolCalls: calls, rawArguments: ['{"a": 1}'] }))
        ?.score,
    ).toBe(1);
  });

  it("fails raw arguments that are not JSON or not an object", () => {
    const bad = scoreJsonValidity(
      expectsCall,
      output({ toolCalls: null, rawArguments: ["{a: 1}"] }),
    );
    expect(bad?.score).toBe(0);
    expect(bad?.reason).toMatch(/^call 1: arguments are not valid JSON \(.+\): "\{a: 1\}"$/);
    const doubled = scoreJsonValidity(
      expectsCall,
      output({ toolCalls: null, rawArguments: ['"{\\"a\\":1}"'] }),
    );
    expect(doubled?.reason).toContain("double-encoded");
    expect(
      scoreJsonValidity(expectsCall, output({ toolCalls: null, rawArguments: ["[1]"] }))?.reason,
    ).toBe("call 1: arguments decode to an array, not an object");
  });

  it("fails an unparseable call and a text answer when a call is expected", () => {
    expect(scoreJsonValidity(expectsCall, output({ toolCalls: null }))?.reason).toBe(
      "the model's tool call could not be parsed",
    );
    expect(scoreJsonValidity(expectsCall, output({ text: "hi" }))?.reason).toBe(
      "expected a tool call, got a text answer",
    );
  });

  it("is absent for a plain-text reference, whatever the output", () => {
    const text = { text: "Hello", toolCalls: [] };
    expect(scoreJsonValidity(text, output({ text: "Hello" }))).toBeNull();
    expect(scoreJsonValidity(text, output({ toolCalls: null }))).toBeNull();
    expect(scoreJsonValidity({ text: "42", toolCalls: [] }, output({ text: "x" }))).toBeNull();
  });

  it("checks the answer text when the reference text is JSON", () => {
    const json = { text: '{"status": "ok"}', toolCalls: [] };
    expect(scoreJsonValidity(json, output({ text: ' {"status":"done"}\n' }))?.score).toBe(1);
    const r = scoreJsonValidity(json, output({ text: "status: ok" }));
    expect(r?.score).toBe(0);
    expect(r?.reason).toMatch(/^the answer is not valid JSON/);
  });
});
