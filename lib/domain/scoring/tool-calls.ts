import type { ToolDef } from "@/lib/domain/datasets/types";
import type { ToolCall } from "@/lib/schemas/eval-metrics";
import { checkArguments } from "./arguments";
import { maxMatching } from "./matching";
import { fail, PASS, type Outcome } from "./outcome";

export type ToolCallOutcomes = { tool_call_accuracy: Outcome; tool_name_accuracy: Outcome };

const UNPARSEABLE = "the model attempted a tool call that could not be parsed";

/**
 * tool_call_accuracy and tool_name_accuracy, the way BFCL's AST checker scores calls.
 *
 * - `produced` null (an unparseable attempt) fails both.
 * - Relevance: no call expected and none made passes both; a call where the reference answers
 *   in text, or a text answer where a call is expected, fails both.
 * - Otherwise the produced calls must match the expected ones as a multiset, in any order
 *   (parallel calls): each pair agrees on the name and passes `checkCall`. A maximum matching,
 *   not first-fit, finds the pairing.
 * - tool_name_accuracy compares only the multisets of names.
 */
export function scoreToolCalls(
  expected: readonly ToolCall[],
  produced: readonly ToolCall[] | null,
  tools: readonly ToolDef[],
): ToolCallOutcomes {
  if (produced === null) {
    return { tool_call_accuracy: fail(UNPARSEABLE), tool_name_accuracy: fail(UNPARSEABLE) };
  }
  if (expected.length === 0 && produced.length === 0) {
    return { tool_call_accuracy: PASS, tool_name_accuracy: PASS };
  }
  if (expected.length === 0) {
    const r = `unexpected call to ${names(produced)}; the reference answers in text without calling a tool`;
    return { tool_call_accuracy: fail(r), tool_name_accuracy: fail(r) };
  }
  if (produced.length === 0) {
    const r = `expected a call to ${names(expected)}, got a text answer`;
    return { tool_call_accuracy: fail(r), tool_name_accuracy: fail(r) };
  }
  return {
    tool_call_accuracy: matchCalls(expected, produced, tools),
    tool_name_accuracy: matchNames(expected, produced),
  };
}

/**
 * Why `actual` is not the `expected` call (empty = it is), each problem prefixed with the
 * function name: `get_weather: missing required argument "city"`.
 */
export function checkCall(
  expected: ToolCall,
  actual: ToolCall,
  tools: readonly ToolDef[],
): string[] {
  if (expected.name !== actual.name) {
    return [`expected a call to ${expected.name}, got a call to ${actual.name}`];
  }
  // A tool the case does not declare is compared without a schema: all keys must agree.
  const parameters = tools.find((t) => t.function.name === expected.name)?.function.parameters;
  return checkArguments(parameters, expected.arguments, actual.arguments).map(
    (p) => `${actual.name}: ${p}`,
  );
}

function matchCalls(
  expected: readonly ToolCall[],
  produced: readonly ToolCall[],
  tools: readonly ToolDef[],
): Outcome {
  const problems = expected.map((e) => produced.map((p) => checkCall(e, p, tools)));
  const fits = (i: number, j: number) => problems[i]![j]!.length === 0;
  const match = maxMatching(expected.length, produced.length, fits);
  const usedRight = new Set(match.filter((j) => j >= 0));
  const openLeft = expected.map((_, i) => i).filter((i) => match[i] === -1);
  const openRight = produced.map((_, j) => j).filter((j) => !usedRight.has(j));
  if (openLeft.length === 0 && openRight.length === 0) return PASS;

  // Explain the leftovers: pair each unmatched expected call with the unmatched produced call
  // of the same name that comes closest, then report what is still missing or extra.
  const reasons: string[] = [];
  const leftoverLeft: number[] = [];
  for (const i of openLeft) {
    let best = -1;
    for (const j of openRight) {
      if (produced[j]!.name !== expected[i]!.name) continue;
      if (best === -1 || problems[i]![j]!.length < problems[i]![best]!.length) best = j;
    }
    if (best === -1) {
      leftoverLeft.push(i);
      continue;
    }
    openRight.splice(openRight.indexOf(best), 1);
    reasons.push(...problems[i]![best]!);
  }
  while (leftoverLeft.length > 0 && openRight.length > 0) {
    const i = leftoverLeft.shift()!;
    const j = openRight.shift()!;
    reasons.push(`expected a call to ${expected[i]!.name}, got a call to ${produced[j]!.name}`);
  }
  for (const i of leftoverLeft) reasons.push(`missing call to ${expected[i]!.name}`);
  for (const j of openRight) reasons.push(`unexpected extra call to ${produced[j]!.name}`);
  return fail(reasons.join("; "));
}

function matchNames(expected: readonly ToolCall[], produced: readonly ToolCall[]): Outcome {
  const a = expected.map((c) => c.name).sort();
  const b = produced.map((c) => c.name).sort();
  if (a.length === b.length && a.every((n, i) => n === b[i])) return PASS;
  return fail(`expected calls to [${a.join(", ")}], got [${b.join(", ")}]`);
}

function names(calls: readonly ToolCall[]): string {
  return [...new Set(calls.map((c) => c.name))].join(", ");
}
