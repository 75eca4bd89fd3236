import { describe, expect, it } from "vitest";
import { scoreContainsMatch, scoreExactMatch } from "./text-match";
import { output } from "./test-helpers";

const ref = { text: "Your order  ships\ntomorrow.", toolCalls: [] };
const call = { text: null, toolCalls: [{ name: "f", arguments: {} }] };

describe("scoreExactMatch", () => {
  it("compares with whitespace collapsed and trimmed, case-sensitively", () => {
    expect(scoreExactMatch(ref, output({ text: " Your order ships tomorrow. " }))?.score).toBe(1);
    expect(scoreExactMatch(ref, output({ text: "your order ships tomorrow." }))).toEqual({
      score: 0,
      reason: 'expected "Your order ships tomorrow.", got "your order ships tomorrow."',
    });
  });

  it("says when the model called a tool instead", () => {
    expect(
      scoreExactMatch(ref, output({ toolCalls: [{ name: "track", arguments: {} }] }))?.reason,
    ).toBe("expected a text answer, got a call to track");
  });

  it("is absent when the reference is a call", () => {
    expect(scoreExactMatch(call, output({ text: "x" }))).toBeNull();
  });
});

describe("scoreContainsMatch", () => {
  it("finds the reference inside the answer, case-insensitively", () => {
    expect(
      scoreContainsMatch(ref, output({ text: "Good news! YOUR ORDER ships tomorrow. Thanks" }))
        ?.score,
    ).toBe(1);
    expect(scoreContainsMatch(ref, output({ text: "It ships soon" }))?.score).toBe(0);
  });

  it("is absent for a call reference or a blank reference", () => {
    expect(scoreContainsMatch(call, output())).toBeNull();
    expect(scoreContainsMatch({ text: "  ", toolCalls: [] }, output())).toBeNull();
  });
});
