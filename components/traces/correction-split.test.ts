import { describe, expect, it } from "vitest";
import { splitCorrection } from "./correction-split";

const system = { role: "system" as const, content: "You route tickets." };
const user = { role: "user" as const, content: "Refund order 42" };
const wrong = {
  role: "assistant" as const,
  content: null,
  tool_calls: [{ function: { name: "cancel", arguments: "{}" } }],
};
const right = {
  role: "assistant" as const,
  content: null,
  tool_calls: [{ function: { name: "refund", arguments: '{"order":42}' } }],
};

describe("splitCorrection", () => {
  it("shows the shared start once and the differing endings side by side", () => {
    const s = splitCorrection([system, user, wrong], [system, user, right]);
    expect(s.shared).toEqual([system, user]);
    expect(s.original).toEqual([wrong]);
    expect(s.corrected).toEqual([right]);
    expect(s.from).toBe(2);
  });

  it("ignores key order within a message", () => {
    const reordered = { content: "Refund order 42", role: "user" as const };
    expect(splitCorrection([system, user, wrong], [system, reordered, right]).from).toBe(2);
  });

  it("keeps everything on both sides when they differ from the first message", () => {
    const s = splitCorrection([user, wrong], [system, user, right]);
    expect(s.shared).toEqual([]);
    expect(s.original).toHaveLength(2);
    expect(s.corrected).toHaveLength(3);
  });

  it("handles a correction that only adds messages", () => {
    const s = splitCorrection([system, user], [system, user, right]);
    expect(s.original).toEqual([]);
    expect(s.corrected).toEqual([right]);
  });
});
