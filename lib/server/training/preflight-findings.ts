/**
 * The preflight's verdict: what the scan found, as findings the console lists (error, warning or
 * info), each naming the lines to look at and what to do about them.
 */
import type { ChatTemplate } from "@/lib/domain/chat-templates";
import type {
  Preflight,
  PreflightFinding,
  RenderedExample,
} from "@/lib/schemas/training-preflight";
import type { TokenCounter } from "@/lib/server/datasets/tokenizers";
import {
  type LeakScan,
  PREFLIGHT_SCAN_LIMIT,
  type PreflightInput,
  type TrainScan,
} from "./preflight-scan";

/** Every assistant span of every rendered example holds the end-of-turn token. */
export function eotTrained(samples: RenderedExample[]): boolean {
  if (samples.length === 0) return false;
  return samples.every(
    (s) => s.assistantSpans.length > 0 && s.assistantSpans.every((a) => a.containsEndOfTurn),
  );
}

export function findings(
  input: PreflightInput,
  template: ChatTemplate,
  counter: TokenCounter,
  scan: TrainScan,
  leak: LeakScan,
  report: Preflight,
): PreflightFinding[] {
  const out: PreflightFinding[] = [];
  const add = (
    severity: PreflightFinding["severity"],
    code: PreflightFinding["code"],
    message: string,
  ) => out.push({ severity, code, message });
  const t = template.name;

  if (scan.rows === 0) {
    add("error", "empty_dataset", "the training file has no chat examples to render");
  }
  for (const [message, f] of scan.renderFailures) {
    add(
      "error",
      "render_failed",
      `${plural(f.count, "example")} cannot be rendered with the ${t} chat template (${lineList(f.lines, f.count)}): ${message}. The trainer skips them; fix or drop these rows`,
    );
  }
  const checked = scan.turnsChecked;
  const { turn, prompt } = scan.mismatch;
  if (turn.count > 0) {
    add(
      turn.count === checked ? "error" : "warning",
      "turn_mismatch",
      `${turn.count} of the first ${checked} examples would be skipped by the trainer: the ${t} template renders the conversation cut after an assistant turn differently from the whole conversation, so that turn's loss cannot be placed (first: line ${turn.first}, assistant message ${turn.messageIndex}). ${MISMATCH_HINT[template.id] ?? ""}`.trimEnd(),
    );
  }
  if (prompt.count > 0) {
    add(
      prompt.count === checked ? "error" : "warning",
      "prompt_mismatch",
      `in ${prompt.count} of the first ${checked} examples the trainer would put loss on prompt text: the ${t} template renders the prompt before an assistant turn differently from the same place in the whole conversation, so the trained span starts inside the prompt (first: line ${prompt.first}, assistant message ${prompt.messageIndex}). ${MISMATCH_HINT[template.id] ?? ""}`.trimEnd(),
    );
  }
  const noEot = report.renderedExamples.filter((s) =>
    s.assistantSpans.some((a) => !a.containsEndOfTurn),
  );
  if (noEot.length > 0) {
    add(
      "error",
      "eot_not_trained",
      `the end-of-turn token ${template.endOfTurn} is outside the trained span of an assistant turn (line ${noEot.map((s) => s.line).join(", ")}): the model would never learn to stop`,
    );
  }
  if (scan.noAssistant.count > 0) {
    add(
      "warning",
      "no_assistant_turns",
      `${plural(scan.noAssistant.count, "example")} (first at line ${scan.noAssistant.first}) ${verb(scan.noAssistant.count, "has", "have")} no assistant turn: there is nothing to train on, and the trainer skips such rows`,
    );
  }
  if (scan.truncated > 0) {
    const pct = ((100 * scan.truncated) / Math.max(1, scan.counted)).toFixed(1);
    add(
      "warning",
      "truncated",
      `${scan.truncated} of ${scan.counted} examples (${pct}%) are longer than sequenceLen ${input.sequenceLen} tokens (longest ${scan.maxTokens}); the trainer cuts their ends, final assistant turn and end-of-turn token included (${lineList(scan.truncatedLines, scan.truncated)}). Raise sequenceLen or shorten these examples`,
    );
  }
  if (leak.count > 0) {
    const first = leak.pairs[0]!;
    const where = input.evalPath ? "eval file" : "eval split";
    add(
      "warning",
      "leakage",
      `${plural(leak.count, "eval example")} also ${verb(leak.count, "occurs", "occur")} in the training set (same messages; first: ${where} line ${first.evalLine} = training line ${first.trainLine}): eval loss on them measures memorization, not generalization`,
    );
  }
  if (scan.toolRows.count > 0) {
    add(
      "warning",
      "tools_unsupported",
      `${plural(scan.toolRows.count, "example")} (first at line ${scan.toolRows.first}) ${verb(scan.toolRows.count, "uses", "use")} tools, but the ${t} chat template has no tool format: tool definitions are dropped and tool turns are rendered as plain text or fail`,
    );
  }
  const unreadable = scan.unreadable.count + leak.unreadable.count;
  if (unreadable > 0) {
    const first = scan.unreadable.first ?? leak.unreadable.first!;
    const where = scan.unreadable.first ? "training" : "eval";
    add(
      "warning",
      "unreadable_rows",
      `${plural(unreadable, "row")} ${verb(unreadable, "is", "are")} not trained on: dataset validation rejects ${verb(unreadable, "it", "them")}, or ${verb(unreadable, "it is a prompt/completion row", "they are prompt/completion rows")}, which the trainer skips (first: ${where} line ${first.line}, ${first.reason}); the dataset validation report has the details`,
    );
  }
  if (!counter.exact) {
    add(
      "info",
      "token_count_estimated",
      `${input.baseModel} has no tokenizer in retune; token counts are ${counter.name} estimates, so the truncation count is approximate`,
    );
  }
  if (scan.capped || leak.capped) {
    const limit = input.scanLimit ?? PREFLIGHT_SCAN_LIMIT;
    add(
      "info",
      "scan_capped",
      `only the first ${limit} rows of ${scan.capped && leak.capped ? "each file" : scan.capped ? "the training file" : "the eval file"} were checked; counts cover those rows`,
    );
  }
  return out;
}

/** Why a template's turns stop lining up, where it is known. */
const MISMATCH_HINT: Partial<Record<ChatTemplate["id"], string>> = {
  "phi-3":
    "Phi-3's template ends a conversation with eos_token, so only single-turn examples line up; split multi-turn conversations into one example per assistant turn",
  "mistral-v0.3":
    "Mistral's template writes the system prompt only into a final user turn (a prompt, never a training conversation) and the tool list before the last user turn: fold the system message into the first user turn, and split multi-turn conversations with tools into one example per assistant turn",
};

function lineList(lines: number[], count: number): string {
  const head = `line${lines.length > 1 ? "s" : ""} ${lines.join(", ")}`;
  return count > lines.length ? `${head}, …` : head;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function verb(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
