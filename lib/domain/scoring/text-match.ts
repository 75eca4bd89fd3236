import type { CaseExpected, CaseOutput } from "@/lib/schemas/eval-metrics";
import { collapseWhitespace } from "./normalize";
import { fail, PASS, show, type Outcome } from "./outcome";

/**
 * exact_match and contains_match are text metrics: they apply when the reference answers in
 * text (no expected call) and are absent when it is a call — tool_call_accuracy scores those.
 */
function expectedText(expected: CaseExpected): string | null {
  return expected.toolCalls.length === 0 ? expected.text : null;
}

/** Why a non-text output lost the point, when it made a call instead of answering. */
function callInstead(output: CaseOutput): string | null {
  if (output.toolCalls === null) return "expected a text answer, got an unparseable tool call";
  if (output.toolCalls.length > 0) {
    return `expected a text answer, got a call to ${output.toolCalls.map((c) => c.name).join(", ")}`;
  }
  return null;
}

/** Equal after collapsing whitespace runs to one space and trimming; case-sensitive. */
export function scoreExactMatch(expected: CaseExpected, output: CaseOutput): Outcome | null {
  const want = expectedText(expected);
  if (want === null) return null;
  const a = collapseWhitespace(want);
  const b = collapseWhitespace(output.text);
  if (a === b) return PASS;
  return fail(callInstead(output) ?? `expected ${show(a, 80)}, got ${show(b, 80)}`);
}

/**
 * The reference text occurs in the answer, case-insensitively and with whitespace collapsed.
 * Absent when the reference text is blank, since "" is contained in everything.
 */
export function scoreContainsMatch(expected: CaseExpected, output: CaseOutput): Outcome | null {
  const want = expectedText(expected);
  if (want === null) return null;
  const needle = collapseWhitespace(want).toLowerCase();
  if (needle === "") return null;
  if (collapseWhitespace(output.text).toLowerCase().includes(needle)) return PASS;
  return fail(
    callInstead(output) ??
      `the answer does not contain ${show(needle, 80)}: ${show(collapseWhitespace(output.text), 80)}`,
  );
}
