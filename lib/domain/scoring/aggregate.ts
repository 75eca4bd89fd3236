import {
  CASE_METRICS,
  type CaseOutput,
  type CaseScores,
  type RunMetrics,
  type Scorer,
  type TokenPrices,
} from "@/lib/schemas/eval-metrics";
import { SLICE_BYS, type SliceBy } from "@/lib/schemas/gates";
import type { RunSlices } from "@/lib/schemas/evals";
import { computeRunMetrics } from "./run-metrics";

export type AggregateOptions = {
  scorers: readonly Scorer[];
  prices: TokenPrices | null;
  /**
   * Each case's conversation (its row), in case order, for a multi-turn suite whose cases are
   * turns: given, the run gets conversation_success. The evaluation worker passes them for
   * "all"-turn suites only: in a first-turn suite every conversation is one case, and the
   * metric would repeat tool_call_accuracy under another name.
   */
  conversations?: readonly number[];
};

/**
 * Each case metric as the mean of its 0/1 scores over the cases where it is present (absent
 * when no case has it), plus `counts`, the number of cases behind each mean, which gates need
 * for their minimum sample size.
 */
export function meanCaseMetrics(cases: readonly CaseScores[]): {
  metrics: RunMetrics;
  counts: Partial<Record<(typeof CASE_METRICS)[number], number>>;
} {
  const metrics: RunMetrics = {};
  const counts: Partial<Record<(typeof CASE_METRICS)[number], number>> = {};
  for (const metric of CASE_METRICS) {
    let n = 0;
    let sum = 0;
    for (const c of cases) {
      const s = c.scores[metric];
      if (s === undefined) continue;
      n++;
      sum += s;
    }
    if (n > 0) {
      metrics[metric] = sum / n;
      counts[metric] = n;
    }
  }
  return { metrics, counts };
}

/**
 * Whether a turn was right, for conversation success: its tool_call_accuracy when it has one
 * (the turn-level accuracy of a tool-using workflow: the right call, or rightly no call), else
 * every case metric that applies to it (a suite scored without the tool_call scorer). Null when
 * no metric applies: such a turn neither makes nor breaks its conversation.
 */
export function turnRight(c: CaseScores): boolean | null {
  const toolCall = c.scores.tool_call_accuracy;
  if (toolCall !== undefined) return toolCall === 1;
  const scores = Object.values(c.scores);
  if (scores.length === 0) return null;
  return scores.every((s) => s === 1);
}

/**
 * conversation_success: the share of conversations (cases grouped by `conversations[i]`, the
 * row each turn came from) whose every judged turn was right (`turnRight`). Conversations with
 * no judged turn are left out; undefined when none is left. `conversations` must be as long as
 * `cases`.
 */
export function conversationSuccess(
  cases: readonly CaseScores[],
  conversations: readonly number[],
): { value: number; conversations: number } | undefined {
  if (conversations.length !== cases.length)
    throw new Error(
      `${conversations.length} conversation keys for ${cases.length} cases: one per case is needed`,
    );
  // Conversation → every judged turn right so far.
  const right = new Map<number, boolean>();
  for (const [i, c] of cases.entries()) {
    const turn = turnRight(c);
    if (turn === null) continue;
    const key = conversations[i]!;
    right.set(key, (right.get(key) ?? true) && turn);
  }
  if (right.size === 0) return undefined;
  let passed = 0;
  for (const ok of right.values()) if (ok) passed++;
  return { value: passed / right.size, conversations: right.size };
}

/**
 * A run's metrics: case-metric means (over turns, in a multi-turn suite), conversation_success
 * when conversation keys are given, plus the run metrics of the enabled scorers.
 */
export function aggregateRun(
  cases: readonly CaseScores[],
  outputs: readonly CaseOutput[],
  opts: AggregateOptions,
): RunMetrics {
  const metrics: RunMetrics = { ...meanCaseMetrics(cases).metrics };
  if (opts.conversations) {
    const success = conversationSuccess(cases, opts.conversations);
    if (success) metrics.conversation_success = success.value;
  }
  return { ...metrics, ...computeRunMetrics(outputs, opts.scorers, opts.prices) };
}

/**
 * Case-metric means per slice value ("get_weather", "(no call)", an intent, a category, a turn
 * position "1", "2", …), for per-slice gate conditions. Cases without the key (no intent, no
 * category, a first-turn suite's cases for "turn") are left out of that slicing.
 */
export function sliceMetrics(
  cases: readonly CaseScores[],
  by: SliceBy,
): Record<string, { cases: number; metrics: RunMetrics }> {
  const groups = new Map<string, CaseScores[]>();
  for (const c of cases) {
    const key = c.slice[by];
    if (key === null || key === undefined) continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(c);
  }
  const out: Record<string, { cases: number; metrics: RunMetrics }> = {};
  for (const [key, group] of groups) {
    out[key] = { cases: group.length, metrics: meanCaseMetrics(group).metrics };
  }
  return out;
}

/**
 * Every slicing of a run's cases that has keys (by tool, intent, category, turn): stored with the
 * run so its page reads per-turn and per-category scores without a gate or a pass over its cases.
 */
export function runSlices(cases: readonly CaseScores[]): RunSlices {
  const out: RunSlices = {};
  for (const by of SLICE_BYS) {
    const slices = sliceMetrics(cases, by);
    if (Object.keys(slices).length > 0) out[by] = slices;
  }
  return out;
}
