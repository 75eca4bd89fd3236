/**
 * Agreement of retune's tool-call scorer with BFCL's AST checker (issue #16, acceptance 2).
 *
 * For every question of the checked-in BFCL sample (test/data/bfcl), the converter makes the
 * eval row, eval-row.ts reads it back as a case, and perturb.ts generates a correct output and
 * perturbed ones (wrong type, missing/extra argument, alternative value, omitted optional,
 * reordered parallel calls, whitespace/case/punctuation variants, integral floats, …), each
 * with the verdict BFCL's own rules give (ast-rules.ts, a port of BFCL's checker). The `bfcl`
 * profile must agree on every one; the `retune` profile's agreement is printed per kind for
 * information only — it differs on purpose (whitespace, parallel pairing, ints in float lists).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { expectedFromRow, scoreToolCalls } from "@/lib/domain/scoring";
import type { ScoringProfile } from "@/lib/schemas/eval-metrics";
import { bfclToRows, readBfclAnswers, readBfclQuestions } from "./convert";
import { bfclVerdict } from "./ast-rules";
import { generateOutputs, PERTURBATION_KINDS, typedAnswer, type GeneratedOutput } from "./perturb";
import { PyFloat, renderPy, type PyValue } from "./py-values";
import { BFCL_SAMPLE_FILES } from "./sample-files";

const DATA = path.resolve(import.meta.dirname, "../../../test/data/bfcl");
const read = (file: string) => readFileSync(path.join(DATA, file), "utf8");

type Scored = { category: string; id: string; output: GeneratedOutput; bfcl: 0 | 1; retune: 0 | 1 };

function scoreSample(): Scored[] {
  const scored: Scored[] = [];
  for (const files of BFCL_SAMPLE_FILES) {
    const questionsText = read(files.questions);
    const answersText = files.answers ? read(files.answers) : null;
    const { rows, errors } = bfclToRows(questionsText, answersText, { category: files.category });
    expect(errors).toEqual([]);
    const questions = new Map(
      readBfclQuestions(questionsText).items.map((i) => [i.value.id, i.value]),
    );
    const answers = new Map(
      answersText
        ? readBfclAnswers(answersText).items.map((i) => [i.value.id, i.value.ground_truth])
        : [],
    );
    for (const row of rows) {
      const id = row.metadata.bfcl_id;
      const read = expectedFromRow(row);
      if (!read.ok) throw new Error(`${files.category} ${id}: ${read.error}`);
      const { expected, tools } = read.case;
      const outputs = generateOutputs(questions.get(id)!, answers.get(id) ?? null, files.category);
      for (const output of outputs) {
        const score = (profile: ScoringProfile) =>
          scoreToolCalls(expected, output.toolCalls, tools, {
            profile,
            rawArguments: output.rawArguments,
          }).tool_call_accuracy.score;
        scored.push({
          category: files.category,
          id,
          output,
          bfcl: score("bfcl"),
          retune: score("retune"),
        });
      }
    }
  }
  return scored;
}

const pct = (n: number, d: number) => (d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`);

describe("agreement with BFCL's AST checker on the BFCL v4 sample", () => {
  const scored = scoreSample();
  const expectedScore = (s: Scored) => (s.output.verdict.valid ? 1 : 0);

  test("the generated outputs do what they were built to do (BFCL's rules say so)", () => {
    const off = scored
      .filter((s) => s.output.intended !== "depends")
      .filter((s) =>
        s.output.intended === null
          ? !s.output.verdict.valid
          : s.output.verdict.valid || s.output.verdict.rule !== s.output.intended,
      )
      .map(
        (s) =>
          `${s.id} ${s.output.kind} (${s.output.note}): intended ${s.output.intended ?? "valid"}, BFCL says ${s.output.verdict.valid ? "valid" : s.output.verdict.rule}`,
      );
    expect(off).toEqual([]);
  });

  test("the sample covers every perturbation kind, passing and failing verdicts", () => {
    const kinds = new Set(scored.map((s) => s.output.kind));
    expect([...PERTURBATION_KINDS].filter((k) => !kinds.has(k))).toEqual([]);
    expect(scored.some((s) => s.output.verdict.valid)).toBe(true);
    expect(scored.some((s) => !s.output.verdict.valid)).toBe(true);
  });

  test("the bfcl profile agrees with BFCL on every output; the retune profile is reported", () => {
    const lines: string[] = [];
    let bfclAgree = 0;
    let retuneAgree = 0;
    for (const kind of PERTURBATION_KINDS) {
      const of = scored.filter((s) => s.output.kind === kind);
      const b = of.filter((s) => s.bfcl === expectedScore(s)).length;
      const r = of.filter((s) => s.retune === expectedScore(s)).length;
      const passing = of.filter((s) => s.output.verdict.valid).length;
      bfclAgree += b;
      retuneAgree += r;
      lines.push(
        `${kind.padEnd(22)} ${String(of.length).padStart(4)} outputs (${String(passing).padStart(3)} pass BFCL)  bfcl ${pct(b, of.length).padStart(6)}  retune ${pct(r, of.length).padStart(6)}`,
      );
    }
    const questions = new Set(scored.map((s) => `${s.category}/${s.id}`)).size;
    lines.push(
      `all: ${scored.length} outputs over ${questions} questions — bfcl ${bfclAgree}/${scored.length} (${pct(bfclAgree, scored.length)}), retune ${retuneAgree}/${scored.length} (${pct(retuneAgree, scored.length)})`,
    );
    console.log(`Agreement with BFCL's AST checker, per perturbation kind:\n${lines.join("\n")}`);

    const disagreements = scored
      .filter((s) => s.bfcl !== expectedScore(s))
      .map(
        (s) =>
          `${s.id} ${s.output.kind} (${s.output.note}): BFCL ${s.output.verdict.valid ? "valid" : `invalid (${s.output.verdict.rule})`}, bfcl profile scored ${s.bfcl}; raw ${JSON.stringify(s.output.rawArguments)}`,
      );
    expect(disagreements).toEqual([]);
  });
});

/**
 * BFCL rules its published data rarely or never exercises in the sample, on small questions
 * written here in BFCL's format, each output with the verdict BFCL's checker gives (stated, and
 * derived again by ast-rules.ts). The same pipeline: converter → eval row → scorer.
 */
describe("BFCL rules the sample does not reach", () => {
  const doc = (name: string, properties: object, required: string[] = []) => ({
    name,
    description: name,
    parameters: { type: "dict", properties, required },
  });
  const cases: {
    what: string;
    category: string;
    fn: object;
    answer: object[];
    outputs: { args: Record<string, PyValue>[]; bfcl: string | null }[];
  }[] = [
    {
      what: "first-come pairing: x=1 is taken by the answer that also allows 2, so x=2 finds no match",
      category: "parallel",
      fn: doc("f.g", { x: { type: "integer" } }, ["x"]),
      answer: [{ "f.g": { x: [1, 2] } }, { "f.g": { x: [1] } }],
      outputs: [
        {
          args: [{ x: 1 }, { x: 2 }],
          bfcl: "parallel_function_checker_no_order:cannot_find_match",
        },
        { args: [{ x: 2 }, { x: 1 }], bfcl: null },
      ],
    },
    {
      what: 'ints in a list of floats pass when "" is among the acceptable values (the element check is skipped)',
      category: "simple",
      fn: doc("g", { v: { type: "array", items: { type: "float" } } }),
      answer: [{ g: { v: [[1.0, 2.0], ""] } }],
      outputs: [
        { args: [{ v: [1, 2] }], bfcl: null },
        { args: [{ v: [new PyFloat(1), new PyFloat(2)] }], bfcl: null },
      ],
    },
    {
      what: "a string answer for an integer parameter is a variable: the string passes, the int does not",
      category: "simple",
      fn: doc("h", { year: { type: "integer" } }, ["year"]),
      answer: [{ h: { year: ["2022"] } }],
      outputs: [
        { args: [{ year: "2022" }], bfcl: null },
        { args: [{ year: 2022 }], bfcl: "value_error:others" },
      ],
    },
    {
      what: 'null acceptable: null or nothing passes; a string is compared raw against ["", null]',
      category: "simple",
      fn: doc("k", { s: { type: "string" } }),
      answer: [{ k: { s: ["", null] } }],
      outputs: [
        { args: [{ s: null }], bfcl: null },
        { args: [{}], bfcl: null },
        { args: [{ s: "x" }], bfcl: "value_error:others" },
      ],
    },
    {
      what: 'a dict field may be left out when "" is among its values; an unknown field fails',
      category: "simple",
      fn: doc(
        "d",
        { q: { type: "dict", properties: { a: { type: "string" }, b: { type: "integer" } } } },
        ["q"],
      ),
      answer: [{ d: { q: [{ a: ["New York"], b: [1, ""] }] } }],
      outputs: [
        { args: [{ q: { a: "new york" } }], bfcl: null },
        { args: [{ q: { a: "NewYork", b: 1 } }], bfcl: null },
        { args: [{ q: { a: "New York", c: 1 } }], bfcl: "value_error:dict_key" },
      ],
    },
  ];

  test.each(cases)("$what", ({ category, fn, answer, outputs }) => {
    const questionLine = JSON.stringify({
      id: "case_0",
      question: [[{ role: "user", content: "a question" }]],
      function: [fn],
    });
    const answerLine = JSON.stringify({ id: "case_0", ground_truth: answer });
    const { rows, errors } = bfclToRows(questionLine, answerLine, { category });
    expect(errors).toEqual([]);
    const read = expectedFromRow(rows[0]);
    if (!read.ok) throw new Error(read.error);
    const question = readBfclQuestions(questionLine).items[0]!.value;
    const typed = typedAnswer(
      question.function,
      readBfclAnswers(answerLine).items[0]!.value.ground_truth,
    );
    const name = rows[0]!.tools[0]!.function.name;
    for (const output of outputs) {
      const calls = output.args.map((args) => ({ name, args }));
      const raw = calls.map((c) => renderPy(c.args));
      const verdict = bfclVerdict(category, question.function, typed, calls);
      expect(verdict.valid ? null : verdict.rule, raw.join(" | ")).toBe(output.bfcl);
      const produced = calls.map((c, i) => ({ name, arguments: JSON.parse(raw[i]!) }));
      const score = scoreToolCalls(read.case.expected, produced, read.case.tools, {
        profile: "bfcl",
        rawArguments: raw,
      }).tool_call_accuracy.score;
      expect(score, raw.join(" | ")).toBe(output.bfcl === null ? 1 : 0);
    }
  });
});
