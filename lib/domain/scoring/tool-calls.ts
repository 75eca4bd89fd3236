import type { ToolDef } from "@/lib/domain/datasets/types";
import {
  DEFAULT_SCORING_PROFILE,
  type AcceptableCall,
  type CaseExpected,
  type ScoringProfile,
  type ToolCall,
} from "@/lib/schemas/eval-metrics";
import { checkAcceptableArguments, toAcceptable } from "./acceptable";
import { checkArguments } from "./arguments";
import { checkBfclCall } from "./bfcl-checker";
import { greedyMatching, maxMatching } from "./matching";
import { fail, PASS, type Outcome } from "./outcome";
import { typedArguments } from "./raw-numbers";

export type ToolCallOutcomes = { tool_call_accuracy: Outcome; tool_name_accuracy: Outcome };

export type ScoreToolCallsOptions = {
  /** How calls are judged; DEFAULT_SCORING_PROFILE ("retune") when absent. */
  profile?: ScoringProfile;
  /**
   * The produced calls' raw argument JSON, aligned with `produced` (CaseOutput.rawArguments).
   * The `bfcl` profile reads integral floats (`5.0`) from it; without it they read as integers.
   */
  rawArguments?: readonly string[];
};

const UNPARSEABLE = "the model attempted a tool call that could not be parsed";

/**
 * tool_call_accuracy and tool_name_accuracy, the way BFCL's AST checker scores calls, under a
 * scoring profile (PROFILE_DIFFERENCES says where each departs from BFCL).
 *
 * - `expect: "no_call"` (BFCL's irrelevance): passes without a call. An unparseable attempt
 *   passes under `bfcl` (BFCL counts what does not decode as no call) and fails under `retune`.
 *   A reference without any expected call is judged the same way.
 * - `expect: "any_call"` (BFCL's relevance): any parseable, non-empty list of calls passes.
 * - Otherwise the expected calls are `acceptable` when the case has them (one entry per call,
 *   BFCL's possible answer), else `toolCalls`. An unparseable attempt or a text answer fails
 *   both metrics. The produced calls must match the expected ones one to one, in any order
 *   (parallel calls): `retune` finds the pairing by maximum matching, `bfcl` as BFCL does (each
 *   expected call takes the first unused produced call that fits), so a wrong number of calls
 *   fails either way.
 * - Each pair is judged by `checkArguments` (a plain reference under `retune`, with its
 *   schema-default rule), `checkAcceptableArguments` (acceptable sets under `retune`) or
 *   `checkBfclCall` (everything under `bfcl`; a plain reference is the one-value set).
 * - tool_name_accuracy compares only the multisets of names.
 */
export function scoreToolCalls(
  expected: Pick<CaseExpected, "toolCalls" | "acceptable" | "expect">,
  produced: readonly ToolCall[] | null,
  tools: readonly ToolDef[],
  opts: ScoreToolCallsOptions = {},
): ToolCallOutcomes {
  const profile = opts.profile ?? DEFAULT_SCORING_PROFILE;
  if (expected.expect === "no_call") {
    return scoreNoCall(produced, profile, "the case expects no call");
  }
  if (expected.expect === "any_call") return scoreAnyCall(produced);

  const wanted: readonly { name: string }[] = expected.acceptable ?? expected.toolCalls;
  if (wanted.length === 0) {
    return scoreNoCall(produced, profile, "the reference answers in text without calling a tool");
  }
  if (produced === null) {
    return { tool_call_accuracy: fail(UNPARSEABLE), tool_name_accuracy: fail(UNPARSEABLE) };
  }
  if (produced.length === 0) {
    const r = `expected a call to ${names(wanted)}, got a text answer`;
    return { tool_call_accuracy: fail(r), tool_name_accuracy: fail(r) };
  }
  const check = pairChecker(expected, produced, tools, profile, opts.rawArguments);
  return {
    tool_call_accuracy: matchCalls(wanted, produced, check, profile),
    tool_name_accuracy: matchNames(wanted, produced),
  };
}

function scoreNoCall(
  produced: readonly ToolCall[] | null,
  profile: ScoringProfile,
  why: string,
): ToolCallOutcomes {
  if (produced === null) {
    if (profile === "bfcl") return { tool_call_accuracy: PASS, tool_name_accuracy: PASS };
    return { tool_call_accuracy: fail(UNPARSEABLE), tool_name_accuracy: fail(UNPARSEABLE) };
  }
  if (produced.length === 0) return { tool_call_accuracy: PASS, tool_name_accuracy: PASS };
  const r = `unexpected call to ${names(produced)}; ${why}`;
  return { tool_call_accuracy: fail(r), tool_name_accuracy: fail(r) };
}

function scoreAnyCall(produced: readonly ToolCall[] | null): ToolCallOutcomes {
  if (produced === null) {
    const r = `${UNPARSEABLE}; the case expects a call (any call)`;
    return { tool_call_accuracy: fail(r), tool_name_accuracy: fail(r) };
  }
  if (produced.length === 0) {
    const r = "expected a call (any call is fine), got a text answer";
    return { tool_call_accuracy: fail(r), tool_name_accuracy: fail(r) };
  }
  return { tool_call_accuracy: PASS, tool_name_accuracy: PASS };
}

/** Why produced call j is not expected call i (empty = it is), per the profile. */
type PairCheck = (i: number, j: number) => string[];

function pairChecker(
  expected: Pick<CaseExpected, "toolCalls" | "acceptable">,
  produced: readonly ToolCall[],
  tools: readonly ToolDef[],
  profile: ScoringProfile,
  rawArguments: readonly string[] | undefined,
): PairCheck {
  if (profile === "bfcl") {
    const entries: readonly AcceptableCall[] =
      expected.acceptable ?? expected.toolCalls.map(toAcceptable);
    const typed = typedArguments(produced, rawArguments);
    return (i, j) => {
      const entry = entries[i]!;
      const call = produced[j]!;
      if (entry.name !== call.name) return [nameMismatch(entry.name, call.name)];
      const parameters = parametersOf(tools, call.name);
      return prefixed(call.name, checkBfclCall(entry, call.name, typed[j]!, parameters));
    };
  }
  const acceptable = expected.acceptable;
  if (acceptable) {
    return (i, j) => {
      const entry = acceptable[i]!;
      const call = produced[j]!;
      if (entry.name !== call.name) return [nameMismatch(entry.name, call.name)];
      const parameters = parametersOf(tools, call.name);
      return prefixed(
        call.name,
        checkAcceptableArguments(parameters, entry.arguments, call.arguments),
      );
    };
  }
  return (i, j) => checkCall(expected.toolCalls[i]!, produced[j]!, tools);
}

function parametersOf(tools: readonly ToolDef[], name: string): unknown {
  for (const t of tools) if (t.function.name === name) return t.function.parameters;
  return undefined;
}

function prefixed(name: string, problems: string[]): string[] {
  return problems.length === 0 ? problems : problems.map((p) => `${name}: ${p}`);
}

function nameMismatch(expected: string, got: string): string {
  return `expected a call to ${expected}, got a call to ${got}`;
}

/**
 * Why `actual` is not the plain `expected` call under the `retune` profile (empty = it is),
 * each problem prefixed with the function name: `get_weather: missing required argument "city"`.
 */
export function checkCall(
  expected: ToolCall,
  actual: ToolCall,
  tools: readonly ToolDef[],
): string[] {
  if (expected.name !== actual.name) return [nameMismatch(expected.name, actual.name)];
  // A tool the case does not declare is compared without a schema: all keys must agree.
  const parameters = tools.find((t) => t.function.name === expected.name)?.function.parameters;
  return checkArguments(parameters, expected.arguments, actual.arguments).map(
    (p) => `${actual.name}: ${p}`,
  );
}

function matchCalls(
  expected: readonly { name: string }[],
  produced: readonly ToolCall[],
  check: PairCheck,
  profile: ScoringProfile,
): Outcome {
  const n = expected.length;
  const m = produced.length;
  // One expected call and one produced: the pair's problems are the reasons (most cases).
  if (n === 1 && m === 1) {
    const p = check(0, 0);
    return p.length === 0 ? PASS : fail(p.join("; "));
  }
  // Pairs are judged lazily: BFCL's first-come pairing rarely needs the whole matrix.
  const memo = new Array<string[] | undefined>(n * m);
  const problems = (i: number, j: number) => (memo[i * m + j] ??= check(i, j));
  const fits = (i: number, j: number) => problems(i, j).length === 0;
  const pair = profile === "bfcl" ? greedyMatching : maxMatching;
  const match = pair(n, m, fits);
  const usedRight = new Array<boolean>(m).fill(false);
  for (const j of match) if (j >= 0) usedRight[j] = true;
  const openLeft = expected.map((_, i) => i).filter((i) => match[i] === -1);
  const openRight = produced.map((_, j) => j).filter((j) => !usedRight[j]);
  if (openLeft.length === 0 && openRight.length === 0) return PASS;

  // Explain the leftovers: pair each unmatched expected call with the unmatched produced call
  // of the same name that comes closest, then report what is still missing or extra.
  const reasons: string[] = [];
  const leftoverLeft: number[] = [];
  for (const i of openLeft) {
    let best = -1;
    for (const j of openRight) {
      if (produced[j]!.name !== expected[i]!.name) continue;
      if (best === -1 || problems(i, j).length < problems(i, best).length) best = j;
    }
    if (best === -1) {
      leftoverLeft.push(i);
      continue;
    }
    openRight.splice(openRight.indexOf(best), 1);
    reasons.push(...problems(i, best));
  }
  while (leftoverLeft.length > 0 && openRight.length > 0) {
    const i = leftoverLeft.shift()!;
    const j = openRight.shift()!;
    reasons.push(nameMismatch(expected[i]!.name, produced[j]!.name));
  }
  for (const i of leftoverLeft) reasons.push(`missing call to ${expected[i]!.name}`);
  for (const j of openRight) reasons.push(`unexpected extra call to ${produced[j]!.name}`);
  if (
    profile === "bfcl" &&
    expected.length === produced.length &&
    maxMatching(expected.length, produced.length, fits).every((j) => j >= 0)
  ) {
    reasons.push(
      "another pairing of the calls matches every one; the bfcl profile pairs them first-come, as BFCL does (retune would pass this)",
    );
  }
  return fail(reasons.join("; "));
}

function matchNames(expected: readonly { name: string }[], produced: readonly ToolCall[]): Outcome {
  const a = expected.map((c) => c.name).sort();
  const b = produced.map((c) => c.name).sort();
  if (a.length === b.length && a.every((n, i) => n === b[i])) return PASS;
  return fail(`expected calls to [${a.join(", ")}], got [${b.join(", ")}]`);
}

function names(calls: readonly { name: string }[]): string {
  return [...new Set(calls.map((c) => c.name))].join(", ");
}
