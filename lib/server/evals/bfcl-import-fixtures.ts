/**
 * For app/api/v1/eval-suites/import-bfcl/import-bfcl.int.test.ts: BFCL v4 test files as the
 * Berkeley Function Calling Leaderboard publishes them (the checked-in sample in test/data/bfcl:
 * `BFCL_v4_<category>.json` and `possible_answer/BFCL_v4_<category>.json`, JSON lines), and what
 * a fake OpenAI-compatible endpoint answers to each case: a correct call, or one perturbed in a
 * known way whose verdict under BFCL's AST checker is stated beside it. Not a test file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { FakeReply, FakeToolCall } from "@/test/fakes/openai-server";

const DATA = path.resolve(import.meta.dirname, "../../../test/data/bfcl");

type BfclParam = { type?: string; items?: BfclParam; properties?: Record<string, BfclParam> };
type BfclFunction = { name: string; parameters: BfclParam };
type Question = {
  id: string;
  question: { role: string; content: string }[][];
  function: BfclFunction[];
};
type GroundTruth = Record<string, Record<string, unknown[]>>[];
export type BfclCase = { category: string; question: Question; answer: GroundTruth };

/** A category's two files as published, and its cases read from them. */
export function bfclCategory(category: string) {
  const questions = readFileSync(path.join(DATA, `BFCL_v4_${category}.json`), "utf8");
  const answers = readFileSync(
    path.join(DATA, "possible_answer", `BFCL_v4_${category}.json`),
    "utf8",
  );
  const lines = (text: string) =>
    text
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const truth = new Map(lines(answers).map((a) => [a.id as string, a.ground_truth as GroundTruth]));
  const cases: BfclCase[] = lines(questions).map((q) => ({
    category,
    question: q as Question,
    answer: truth.get(q.id as string)!,
  }));
  return { files: { category, questions, answers }, cases };
}

/**
 * The offered tool that stands for a BFCL function: the same name, or the name with the
 * characters OpenAI function names may not hold replaced by `_` (BFCL's own conversion for
 * OpenAI-format models); whichever the converter chose, the endpoint answers with the name it
 * was offered, as a model does.
 */
function offeredName(bfclName: string, offered: string[]): string {
  const underscored = bfclName.replace(/[^A-Za-z0-9_-]/g, "_");
  return offered.find((n) => n === bfclName) ?? offered.find((n) => n === underscored) ?? bfclName;
}

/**
 * JSON text of a value the way a model that follows BFCL's types writes it: a `float` (also
 * inside arrays and dicts) with a decimal point even when it is integral. JSON.parse has turned
 * the answer file's `1.0` into 1; BFCL's checker, reading the model's text, tells 1 from 1.0
 * (an int inside a list of floats is refused), so a correct endpoint must print `1.0`.
 */
export function printAs(value: unknown, param: BfclParam | undefined): string {
  if (typeof value === "number")
    return param?.type === "float" && Number.isInteger(value)
      ? `${value}.0`
      : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => printAs(v, param?.items)).join(", ")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${printAs(v, param?.properties?.[k])}`)
      .join(", ")}}`;
  return JSON.stringify(value);
}

type Call = { fn: BfclFunction; name: string; arguments: Record<string, unknown> };

/** The correct calls BFCL's checker meets first: every argument's first acceptable value. */
function correctCalls(c: BfclCase, offered: string[]): Call[] {
  return c.answer.map((entry) => {
    const [name, args] = Object.entries(entry)[0]!;
    const chosen: Record<string, unknown> = {};
    // "" first: the argument may be left out, and leaving it out is the first correct answer.
    for (const [arg, values] of Object.entries(args)) if (values[0] !== "") chosen[arg] = values[0];
    const fn = c.question.function.find((f) => f.name === name)!;
    return { fn, name: offeredName(name, offered), arguments: chosen };
  });
}

const wire = (c: Call): FakeToolCall => ({
  name: c.name,
  arguments: printAs(c.arguments, c.fn.parameters),
});

/**
 * The perturbed endpoint's answers where they differ from the correct ones, and BFCL's verdict
 * on each (its AST checker: `simple_function_checker`, `type_checker`, `standardize_string`,
 * `parallel_function_checker_no_order`). Every other case is answered correctly.
 */
export const PERTURBATIONS: Record<
  string,
  {
    passes: boolean;
    why: string;
    /** What the scorer's reason for a refusal must name (the argument, the value or the call). */
    reason?: RegExp;
    calls: (correct: Call[]) => FakeToolCall[];
  }
> = {
  simple_python_0: {
    passes: true,
    why: "unit left out: its acceptable values include ''",
    calls: ([c]) => [wire({ ...c!, arguments: { base: 10, height: 5 } })],
  },
  simple_python_1: {
    passes: false,
    reason: /"number".*5\.0/,
    why: "5.0 where an integer is required: parsed as a float, the type check fails",
    calls: ([c]) => [{ name: c!.name, arguments: '{"number": 5.0}' }],
  },
  simple_python_2: {
    passes: true,
    why: "z = 0, the second acceptable value",
    calls: ([c]) => [wire({ ...c!, arguments: { x: 4, y: 5, z: 0 } })],
  },
  simple_python_3: {
    passes: false,
    reason: /"b".*-4/,
    why: "b = -4 is not among the acceptable values [-3]",
    calls: ([c]) => [wire({ ...c!, arguments: { a: 1, b: -4, c: 2 } })],
  },
  simple_python_7: {
    passes: true,
    why: "unit 'in', the second acceptable value",
    calls: ([c]) => [wire({ ...c!, arguments: { radius: 4, unit: "in" } })],
  },
  simple_python_8: {
    passes: true,
    why: "'METERS': standardize_string lower-cases both sides",
    calls: ([c]) => [wire({ ...c!, arguments: { radius: 10, units: "METERS" } })],
  },
  simple_python_13: {
    passes: false,
    reason: /"interval"/,
    why: "interval [1, 3]: ints inside a list of floats (only a top-level int is taken as a float)",
    calls: ([c]) => [{ name: c!.name, arguments: '{"function": "x**2", "interval": [1, 3]}' }],
  },
  simple_python_19: {
    passes: false,
    reason: /"num1".*"40"/,
    why: "num1 '40' is a string where an integer is required",
    calls: ([c]) => [wire({ ...c!, arguments: { num1: "40", num2: 50 } })],
  },
  parallel_0: {
    passes: true,
    why: "the two calls in the other order: matched regardless of order",
    calls: (calls) => [...calls].reverse().map(wire),
  },
  parallel_1: {
    passes: false,
    reason: /missing call to calculate_em_force/,
    why: "one of the two expected calls is missing",
    calls: ([c]) => [wire(c!)],
  },
  parallel_4: {
    passes: true,
    why: "height 6 (an int) where a float is required: a top-level int is taken as a float",
    calls: ([a, b]) => [{ name: a!.name, arguments: '{"height": 6, "weight": 80}' }, wire(b!)],
  },
  parallel_5: {
    passes: true,
    why: "Hulu's show_list in the other order, which the answer lists as acceptable",
    calls: ([a, b]) => [
      wire(a!),
      wire({ ...b!, arguments: { ...b!.arguments, show_list: ["Stranger Things", "The Office"] } }),
    ],
  },
  parallel_7: {
    passes: false,
    reason: /"precise"/,
    why: "an argument the function does not declare (precise) in one of the three calls",
    calls: ([a, b, c]) => [
      wire(a!),
      wire({ ...b!, arguments: { ...b!.arguments, precise: true } }),
      wire(c!),
    ],
  },
};

/**
 * The fake endpoint's answer to a request: every case's correct calls when `perfect`, else its
 * perturbation (correct calls where it has none). The case is found by its question; call names
 * are the offered tools'.
 */
export function bfclReply(
  cases: BfclCase[],
  body: { messages?: unknown[]; tools?: unknown[] } | null,
  perfect: boolean,
): FakeReply {
  const messages = (body?.messages ?? []) as { role: string; content: unknown }[];
  const user = messages.filter((m) => m.role === "user").at(-1)?.content;
  const c = cases.find((x) => x.question.question[0]!.at(-1)!.content === user);
  if (!c) return { text: `no BFCL case asks ${JSON.stringify(user)}` };
  const offered = ((body?.tools ?? []) as { function?: { name?: string } }[]).map(
    (t) => t.function?.name ?? "",
  );
  const correct = correctCalls(c, offered);
  const perturbation = perfect ? undefined : PERTURBATIONS[c.question.id];
  return { toolCalls: perturbation ? perturbation.calls(correct) : correct.map(wire) };
}
