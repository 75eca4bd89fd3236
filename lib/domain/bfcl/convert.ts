import type { PossibleAnswer } from "@/lib/schemas/possible-answer";
import { readJsonLines, type BfclFileError, type Numbered } from "./jsonl";
import { openAiFunctionName, toOpenAiTool } from "./openai-tools";
import { referenceArguments, renderArguments } from "./reference-call";
import {
  bfclAnswerSchema,
  bfclQuestionSchema,
  type BfclAnswer,
  type BfclQuestion,
  type BfclRow,
} from "./schemas";

export type { BfclFileError } from "./jsonl";
export type { BfclRow } from "./schemas";

/**
 * BFCL test files → retune eval rows (issue #16): one OpenAI chat row per question, in the
 * question file's order, pure (no I/O). See bfclToRows.
 */

/** The reference turn of a relevance case: BFCL names no call, any call passes. */
export const ANY_CALL_REFERENCE =
  "(BFCL relevance case: any call to one of the offered tools answers it; no particular call is expected.)";
/** The reference turn of an irrelevance case: no offered tool fits, the answer is not a call. */
export const NO_CALL_REFERENCE =
  "None of the offered tools can answer this request, so no tool should be called.";

/**
 * How BFCL checks a category, from its name as BFCL itself decides it (eval_runner.py:
 * `"irrelevance" in test_category`, then `"relevance" in …`): "no_call" (irrelevance,
 * live_irrelevance), "any_call" (live_relevance), else "calls" against possible answers.
 */
export function expectationOf(category: string): "calls" | "any_call" | "no_call" {
  if (category.includes("irrelevance")) return "no_call";
  if (category.includes("relevance")) return "any_call";
  return "calls";
}

/** Reads a question file (JSON lines) with its line numbers; see readJsonLines. */
export function readBfclQuestions(text: string) {
  return readJsonLines(text, "questions", bfclQuestionSchema);
}

/** Reads a possible_answer file (JSON lines) with its line numbers; see readJsonLines. */
export function readBfclAnswers(text: string) {
  return readJsonLines(text, "answers", bfclAnswerSchema);
}

/**
 * Converts one BFCL category: `questionsJsonl` is `BFCL_v4_<category>.json`, `answersJsonl`
 * its `possible_answer/BFCL_v4_<category>.json` (null for the categories BFCL checks without
 * answers: relevance and irrelevance). Each question becomes a row
 * `{messages, tools, metadata: {category, bfcl_id, possible_answer?, expect?, bfcl_names?}}`:
 *
 * - messages: the question's one turn, then a reference assistant turn — the calls built from
 *   each argument's first acceptable value (reference-call.ts; arguments as JSON text with
 *   floats written as floats), or for relevance/irrelevance a text turn;
 * - tools: the functions as OpenAI tools, typed the way BFCL's OpenAI handler types them and
 *   with "." in names replaced by "_" (openai-tools.ts);
 * - metadata.possible_answer: the answer's `ground_truth` with the same renamed functions, so it
 *   names the tools the row offers; metadata.bfcl_names maps a renamed tool back.
 *
 * Malformed input yields errors naming the file, the 1-based line (0: the file as a whole) and
 * what is wrong — bad JSON, a missing or repeated id, a shape BFCL does not publish, a
 * multi-turn question, two functions whose names collide once renamed, an answer without a
 * question or naming a function its question does not offer, a question without an answer.
 * Rows come back for the questions that converted; a caller that wants all or nothing checks
 * `errors`.
 */
export function bfclToRows(
  questionsJsonl: string,
  answersJsonl: string | null,
  opts: { category: string },
): { rows: BfclRow[]; errors: BfclFileError[] } {
  const { category } = opts;
  const expect = expectationOf(category);
  if (category.includes("multi_turn")) {
    return {
      rows: [],
      errors: [
        {
          file: "questions",
          line: 0,
          message: `category "${category}": BFCL checks multi-turn categories by executing the calls against its simulated APIs, not against possible answers, so they cannot be imported as cases`,
        },
      ],
    };
  }
  const q = readBfclQuestions(questionsJsonl);
  const errors: BfclFileError[] = [...q.errors];
  const questions = new Map<string, Numbered<BfclQuestion>>();
  for (const item of q.items) {
    const problem = questionProblem(item.value);
    if (problem) errors.push({ file: "questions", line: item.line, message: problem });
    else questions.set(item.value.id, item);
  }

  const answers = new Map<string, BfclAnswer>();
  if (expect !== "calls") {
    if (answersJsonl !== null && answersJsonl.trim() !== "") {
      errors.push({
        file: "answers",
        line: 0,
        message: `category "${category}" is checked without possible answers (${expect === "no_call" ? "irrelevance: no call passes" : "relevance: any call passes"}); send no answer file`,
      });
    }
  } else if (answersJsonl === null) {
    errors.push({
      file: "answers",
      line: 0,
      message: `category "${category}" needs its possible_answer file (possible_answer/BFCL_v4_${category}.json)`,
    });
    return { rows: [], errors };
  } else {
    const a = readBfclAnswers(answersJsonl);
    errors.push(...a.errors);
    for (const item of a.items) {
      const { id } = item.value;
      const question = questions.get(id);
      if (!question) {
        // A question that failed to read was reported already; only a truly unknown id is news.
        if (!q.ids.has(id)) {
          errors.push({
            file: "answers",
            line: item.line,
            message: `id "${id}" has no question in the question file`,
          });
        }
        continue;
      }
      const problem = answerProblem(item.value, question.value);
      if (problem) errors.push({ file: "answers", line: item.line, message: problem });
      else answers.set(id, item.value);
    }
    for (const [id, question] of questions) {
      if (!answers.has(id) && !a.ids.has(id)) {
        errors.push({
          file: "questions",
          line: question.line,
          message: `id "${id}" has no possible answer in the answer file`,
        });
      }
    }
  }

  const rows: BfclRow[] = [];
  for (const [id, { value: question }] of questions) {
    const answer = answers.get(id);
    if (expect === "calls" && !answer) continue;
    rows.push(toRow(question, answer ?? null, category, expect));
  }
  return { rows, errors };
}

/** Why a question that matches the schema still cannot become a row, or null. */
function questionProblem(question: BfclQuestion): string | null {
  if (question.question.length !== 1) {
    return `id "${question.id}": ${question.question.length} turns; only single-turn questions (one turn in "question") are checked against possible answers`;
  }
  if (!question.question[0]!.some((m) => m.role === "user")) {
    return `id "${question.id}": the question's turn has no user message`;
  }
  const byName = new Map<string, string>();
  for (const fn of question.function) {
    const name = openAiFunctionName(fn.name);
    const other = byName.get(name);
    if (other !== undefined) {
      return other === fn.name
        ? `id "${question.id}": function "${fn.name}" is declared twice`
        : `id "${question.id}": functions "${other}" and "${fn.name}" are both "${name}" once "." becomes "_" for OpenAI-format tools`;
    }
    byName.set(name, fn.name);
  }
  return null;
}

/** Why an answer does not fit its question, or null. */
function answerProblem(answer: BfclAnswer, question: BfclQuestion): string | null {
  const declared = question.function.map((f) => f.name);
  for (const [k, entry] of answer.ground_truth.entries()) {
    const name = Object.keys(entry)[0]!;
    if (!declared.includes(name)) {
      return `id "${answer.id}": ground_truth[${k}] names function "${name}", which the question does not offer (it offers ${declared.map((d) => `"${d}"`).join(", ")})`;
    }
  }
  return null;
}

function toRow(
  question: BfclQuestion,
  answer: BfclAnswer | null,
  category: string,
  expect: "calls" | "any_call" | "no_call",
): BfclRow {
  const messages: BfclRow["messages"] = question.question[0]!.map((m) => ({
    role: m.role,
    content: m.content,
  }));
  const metadata: BfclRow["metadata"] = { category, bfcl_id: question.id };
  if (answer) {
    metadata.possible_answer = renamed(answer.ground_truth);
    messages.push({
      role: "assistant",
      content: null,
      tool_calls: answer.ground_truth.map((entry, k) => {
        const [name, args] = Object.entries(entry)[0]!;
        const fn = question.function.find((f) => f.name === name);
        return {
          id: `call_${k + 1}`,
          type: "function" as const,
          function: {
            name: openAiFunctionName(name),
            arguments: renderArguments(referenceArguments(fn, args)),
          },
        };
      }),
    });
  } else {
    messages.push({
      role: "assistant",
      content: expect === "no_call" ? NO_CALL_REFERENCE : ANY_CALL_REFERENCE,
    });
  }
  if (expect !== "calls") metadata.expect = expect;
  const changed = question.function.filter((f) => openAiFunctionName(f.name) !== f.name);
  if (changed.length > 0) {
    metadata.bfcl_names = Object.fromEntries(
      changed.map((f) => [openAiFunctionName(f.name), f.name]),
    );
  }
  return { messages, tools: question.function.map(toOpenAiTool), metadata };
}

/** A possible answer naming the functions as the row's tools do. */
function renamed(answer: PossibleAnswer): PossibleAnswer {
  return answer.map((entry) =>
    Object.fromEntries(
      Object.entries(entry).map(([name, args]) => [openAiFunctionName(name), args]),
    ),
  );
}
