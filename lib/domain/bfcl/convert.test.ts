import { Ajv } from "ajv";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { testContext } from "@/lib/domain/datasets/test-context";
import { validateExample } from "@/lib/domain/datasets/validate-example";
import { expectedFromRow } from "@/lib/domain/scoring";
import {
  ANY_CALL_REFERENCE,
  bfclToRows,
  expectationOf,
  NO_CALL_REFERENCE,
  type BfclFileError,
} from "./convert";
import { castProperties, toOpenAiTool } from "./openai-tools";
import { BFCL_SAMPLE_FILES } from "./sample-files";
import { bfclFunctionSchema, type BfclParam } from "./schemas";

const DATA = path.resolve(import.meta.dirname, "../../../test/data/bfcl");
const read = (file: string) => readFileSync(path.join(DATA, file), "utf8");

const fn = (name: string, properties: Record<string, BfclParam>, required: string[] = []) => ({
  name,
  description: `${name} does something.`,
  parameters: { type: "dict", properties, required },
});
const question = (id: string, functions: object[], extra: object = {}) =>
  JSON.stringify({
    id,
    question: [[{ role: "user", content: `question ${id}` }]],
    function: functions,
    ...extra,
  });
const answer = (id: string, groundTruth: object[]) =>
  JSON.stringify({ id, ground_truth: groundTruth });
const lines = (...l: string[]) => l.join("\n") + "\n";

describe("BFCL types → JSON Schema, as BFCL's OpenAI handler casts them", () => {
  test("scalar types: integer, float (format and note), boolean, string, any, none, unknown", () => {
    expect(
      castProperties({
        n: { type: "integer", description: "A count." },
        x: { type: "float", description: "A ratio." },
        y: { type: "float" },
        b: { type: "boolean", description: "A flag.", default: false },
        s: { type: "string", description: "A name.", enum: ["a", "b"] },
        a: { type: "any", description: "Anything." },
        none: { description: "No type." },
        odd: { type: "complex", description: "Not a BFCL type." },
      }),
    ).toEqual({
      n: { type: "integer", description: "A count." },
      x: { type: "number", format: "float", description: "A ratio. This is a float type value." },
      y: { type: "number", format: "float", description: "This is a float type value." },
      b: { type: "boolean", description: "A flag.", default: false },
      s: { type: "string", description: "A name.", enum: ["a", "b"] },
      a: { type: "string", description: "Anything." },
      none: { type: "string", description: "No type." },
      odd: { type: "string", description: "Not a BFCL type." },
    });
  });

  test("containers: tuple and array items, dict properties, nesting at every level", () => {
    expect(
      castProperties({
        coords: { type: "tuple", items: { type: "float" } },
        grid: { type: "array", items: { type: "array", items: { type: "integer" } } },
        deep: {
          type: "array",
          items: { type: "array", items: { type: "array", items: { type: "dict" } } },
        },
        rows: {
          type: "array",
          items: { type: "dict", properties: { w: { type: "float" }, tag: { type: "any" } } },
        },
        budget: {
          type: "dict",
          properties: {
            min: { type: "float", description: "Minimum." },
            range: { type: "tuple", items: { type: "integer" } },
          },
        },
        free: { type: "dict", description: "Any keys." },
      }),
    ).toEqual({
      // Items get the type only: BFCL adds the float format and note to properties, not items.
      coords: { type: "array", items: { type: "number" } },
      grid: { type: "array", items: { type: "array", items: { type: "integer" } } },
      deep: {
        type: "array",
        items: { type: "array", items: { type: "array", items: { type: "object" } } },
      },
      rows: {
        type: "array",
        items: {
          type: "object",
          properties: {
            w: { type: "number", format: "float", description: "This is a float type value." },
            tag: { type: "string" },
          },
        },
      },
      budget: {
        type: "object",
        properties: {
          min: {
            type: "number",
            format: "float",
            description: "Minimum. This is a float type value.",
          },
          range: { type: "array", items: { type: "integer" } },
        },
      },
      free: { type: "object", description: "Any keys." },
    });
  });

  test("a function: dotted name to underscores, parameters an object, required and extras kept", () => {
    const doc = bfclFunctionSchema.parse({
      name: "math.stats.mean",
      description: "Mean of numbers.",
      parameters: {
        type: "dict",
        properties: { xs: { type: "array", items: { type: "float" } } },
        required: ["xs"],
        optional: ["ddof"],
      },
    });
    expect(toOpenAiTool(doc)).toEqual({
      type: "function",
      function: {
        name: "math_stats_mean",
        description: "Mean of numbers.",
        parameters: {
          type: "object",
          properties: { xs: { type: "array", items: { type: "number" } } },
          required: ["xs"],
          optional: ["ddof"],
        },
      },
    });
  });

  test("the input doc is not changed", () => {
    const props: Record<string, BfclParam> = { x: { type: "float", description: "X." } };
    castProperties(props);
    expect(props).toEqual({ x: { type: "float", description: "X." } });
  });
});

describe("rows", () => {
  const q = question("simple_python_1", [
    fn(
      "geo.area",
      {
        radius: { type: "integer", description: "Radius." },
        scale: { type: "float", description: "Scale." },
        units: { type: "string", description: "Units." },
        tags: { type: "array", items: { type: "float" } },
        box: { type: "dict", properties: { w: { type: "float" }, label: { type: "string" } } },
        mode: { type: "string" },
      },
      ["radius", "mode"],
    ),
  ]);
  const a = answer("simple_python_1", [
    {
      "geo.area": {
        radius: [10],
        scale: [2.0, ""],
        units: ["", "meters"],
        tags: [[1.0, 2.5]],
        box: [{ w: [3.0], label: ["", "big"] }],
        // Required, yet "" first: the reference takes the first other value.
        mode: ["", "fast"],
      },
    },
  ]);

  test("a question with its answer: messages, reference turn, tools, metadata", () => {
    const { rows, errors } = bfclToRows(lines(q), lines(a), { category: "simple_python" });
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row!.messages).toEqual([
      { role: "user", content: "question simple_python_1" },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "call_1",
            type: "function",
            function: {
              name: "geo_area",
              // First acceptable values, "" left out, floats written as floats.
              arguments:
                '{"radius": 10, "scale": 2.0, "tags": [1.0, 2.5], "box": {"w": 3.0}, "mode": "fast"}',
            },
          },
        ],
      },
    ]);
    expect(row!.tools.map((t) => t.function.name)).toEqual(["geo_area"]);
    expect(row!.metadata).toEqual({
      category: "simple_python",
      bfcl_id: "simple_python_1",
      possible_answer: [
        {
          geo_area: {
            radius: [10],
            scale: [2.0, ""],
            units: ["", "meters"],
            tags: [[1.0, 2.5]],
            box: [{ w: [3.0], label: ["", "big"] }],
            mode: ["", "fast"],
          },
        },
      ],
      bfcl_names: { geo_area: "geo.area" },
    });
  });

  test("eval-row reads the row back: acceptable calls under the tools' names", () => {
    const { rows } = bfclToRows(lines(q), lines(a), { category: "simple_python" });
    const read = expectedFromRow(rows[0]);
    if (!read.ok) throw new Error(read.error);
    expect(read.case.expected.acceptable).toEqual([
      { name: "geo_area", arguments: expect.objectContaining({ radius: [10] }) },
    ]);
    expect(read.case.expected.toolCalls[0]!.name).toBe("geo_area");
    expect(read.case.slice.category).toBe("simple_python");
    expect(read.case.messages).toEqual([{ role: "user", content: "question simple_python_1" }]);
  });

  test("parallel answers become one reference call each, in the answer's order", () => {
    const pq = question("parallel_0", [
      fn("spotify.play", { artist: { type: "string" } }, ["artist"]),
    ]);
    const pa = answer("parallel_0", [
      { "spotify.play": { artist: ["Taylor Swift"] } },
      { "spotify.play": { artist: ["Maroon 5"] } },
    ]);
    const { rows } = bfclToRows(pq, pa, { category: "parallel" });
    expect(rows[0]!.messages[1]!.tool_calls!.map((c) => c.function)).toEqual([
      { name: "spotify_play", arguments: '{"artist": "Taylor Swift"}' },
      { name: "spotify_play", arguments: '{"artist": "Maroon 5"}' },
    ]);
  });

  test("system messages of a question are kept, in order", () => {
    const sq = JSON.stringify({
      id: "live_simple_9",
      question: [
        [
          { role: "system", content: "You are a bot." },
          { role: "user", content: "Hi" },
        ],
      ],
      function: [fn("f", {})],
    });
    const { rows } = bfclToRows(sq, answer("live_simple_9", [{ f: {} }]), {
      category: "live_simple",
    });
    expect(rows[0]!.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
  });

  test("irrelevance: no answers, a text reference, expect no_call", () => {
    const { rows, errors } = bfclToRows(question("irrelevance_0", [fn("f", {})]), null, {
      category: "irrelevance",
    });
    expect(errors).toEqual([]);
    expect(rows[0]!.messages.at(-1)).toEqual({ role: "assistant", content: NO_CALL_REFERENCE });
    expect(rows[0]!.metadata).toEqual({
      category: "irrelevance",
      bfcl_id: "irrelevance_0",
      expect: "no_call",
    });
    const read = expectedFromRow(rows[0]);
    expect(read.ok && read.case.expected.expect).toBe("no_call");
  });

  test("relevance: expect any_call; eval-row reads it", () => {
    const { rows } = bfclToRows(question("live_relevance_0", [fn("f", {})]), null, {
      category: "live_relevance",
    });
    expect(rows[0]!.messages.at(-1)).toEqual({ role: "assistant", content: ANY_CALL_REFERENCE });
    expect(rows[0]!.metadata.expect).toBe("any_call");
    const read = expectedFromRow(rows[0]);
    expect(read.ok && read.case.expected.expect).toBe("any_call");
  });

  test("categories: how BFCL reads their names", () => {
    expect(expectationOf("simple_python")).toBe("calls");
    expect(expectationOf("live_parallel_multiple")).toBe("calls");
    expect(expectationOf("irrelevance")).toBe("no_call");
    expect(expectationOf("live_irrelevance")).toBe("no_call");
    expect(expectationOf("live_relevance")).toBe("any_call");
  });
});

describe("malformed input: errors name the file, the line and what is wrong", () => {
  const ok = question("q1", [fn("f", { x: { type: "integer" } }, ["x"])]);
  const okAnswer = answer("q1", [{ f: { x: [1] } }]);
  const convert = (questions: string, answers: string | null, category = "simple_python") =>
    bfclToRows(questions, answers, { category });
  const errorsOf = (questions: string, answers: string | null, category?: string) =>
    convert(questions, answers, category).errors;

  test("bad JSON, with blank lines counted in the line numbers", () => {
    const errors = errorsOf(lines(ok, "", "{not json"), lines(okAnswer));
    expect(errors).toEqual([
      { file: "questions", line: 3, message: expect.stringMatching(/^not valid JSON \(/) },
    ]);
  });

  test("a line that is not an object; a missing, empty or repeated id", () => {
    const errors = errorsOf(
      lines(ok, "[1, 2]", JSON.stringify({ question: [] }), JSON.stringify({ id: "" }), ok),
      lines(okAnswer, JSON.stringify({ ground_truth: [] })),
    );
    expect(errors).toEqual<BfclFileError[]>([
      { file: "questions", line: 2, message: "expected a JSON object, found an array" },
      { file: "questions", line: 3, message: 'missing "id"' },
      { file: "questions", line: 4, message: '"id" must be a non-empty string, found ""' },
      { file: "questions", line: 5, message: 'id "q1" already appears on line 1' },
      { file: "answers", line: 2, message: 'missing "id"' },
    ]);
  });

  test("shapes BFCL does not publish name the field", () => {
    const errors = errorsOf(
      lines(
        JSON.stringify({
          id: "q1",
          question: [[{ role: "user", content: "hi" }]],
          function: [{ parameters: {} }],
        }),
        JSON.stringify({ id: "q2", question: "hi", function: [fn("f", {})] }),
      ),
      lines(
        answer("q1", [{ f: {} }]),
        JSON.stringify({ id: "q2", ground_truth: [{ f: { x: 1 } }] }),
      ),
    );
    expect(errors.map((e) => [e.file, e.line])).toEqual([
      ["questions", 1],
      ["questions", 2],
      ["answers", 2],
    ]);
    expect(errors[0]!.message).toMatch(/^id "q1": function\[0\]\.name: /);
    expect(errors[1]!.message).toMatch(/^id "q2": question: /);
    expect(errors[2]!.message).toMatch(/^id "q2": ground_truth\[0\]\.f\.x: expected a list/);
  });

  test("a multi-turn question; a turn without a user message", () => {
    const errors = errorsOf(
      lines(
        question("q1", [fn("f", {})], {
          question: [[{ role: "user", content: "a" }], [{ role: "user", content: "b" }]],
        }),
        question("q2", [fn("f", {})], { question: [[{ role: "system", content: "s" }]] }),
      ),
      lines(answer("q1", [{ f: {} }]), answer("q2", [{ f: {} }])),
    );
    expect(errors).toEqual([
      { file: "questions", line: 1, message: expect.stringContaining("2 turns; only single-turn") },
      { file: "questions", line: 2, message: 'id "q2": the question\'s turn has no user message' },
    ]);
  });

  test("function names that collide once dots become underscores, or repeat", () => {
    const errors = errorsOf(
      lines(
        question("q1", [fn("a.b", {}), fn("a_b", {})]),
        question("q2", [fn("f", {}), fn("f", {})]),
      ),
      lines(answer("q1", [{ "a.b": {} }]), answer("q2", [{ f: {} }])),
    );
    expect(errors.map((e) => e.message)).toEqual([
      'id "q1": functions "a.b" and "a_b" are both "a_b" once "." becomes "_" for OpenAI-format tools',
      'id "q2": function "f" is declared twice',
    ]);
  });

  test("an answer without a question; a question without an answer", () => {
    const { rows, errors } = convert(
      lines(ok, question("q2", [fn("f", {})])),
      lines(okAnswer, answer("q9", [{ f: {} }])),
    );
    expect(errors).toEqual([
      { file: "answers", line: 2, message: 'id "q9" has no question in the question file' },
      { file: "questions", line: 2, message: 'id "q2" has no possible answer in the answer file' },
    ]);
    // The question that converted still makes its row.
    expect(rows.map((r) => r.metadata.bfcl_id)).toEqual(["q1"]);
  });

  test("an answer naming a function its question does not offer", () => {
    const errors = errorsOf(lines(ok), lines(answer("q1", [{ g: { x: [1] } }])));
    expect(errors).toEqual([
      {
        file: "answers",
        line: 1,
        message:
          'id "q1": ground_truth[0] names function "g", which the question does not offer (it offers "f")',
      },
    ]);
  });

  test("a line already reported is not reported again from the other file", () => {
    const errors = errorsOf(
      lines(JSON.stringify({ id: "q1", question: [], function: [] })),
      lines(okAnswer),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]!.file).toBe("questions");
  });

  test("file-level: answers missing, answers where BFCL has none, multi-turn categories", () => {
    expect(errorsOf(lines(ok), null)).toEqual([
      {
        file: "answers",
        line: 0,
        message:
          'category "simple_python" needs its possible_answer file (possible_answer/BFCL_v4_simple_python.json)',
      },
    ]);
    expect(errorsOf(lines(ok), lines(okAnswer), "irrelevance")).toEqual([
      { file: "answers", line: 0, message: expect.stringContaining("send no answer file") },
    ]);
    expect(errorsOf(lines(ok), lines(okAnswer), "multi_turn_base")).toEqual([
      { file: "questions", line: 0, message: expect.stringContaining("multi-turn") },
    ]);
  });
});

describe("the checked-in BFCL sample", () => {
  // The dataset validator's argument check is ajv over the tool's parameters (lib/server's
  // tool-schemas.ts, which lib/domain may not import): the same check, here.
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const checkArguments = (
    tools: { function: { name: string; parameters?: unknown } }[],
    name: string,
    args: Record<string, unknown>,
  ) => {
    const parameters = tools.find((t) => t.function.name === name)?.function.parameters;
    const validate = ajv.compile((parameters ?? {}) as object);
    return validate(args) ? null : ajv.errorsText(validate.errors);
  };
  test.each(BFCL_SAMPLE_FILES)(
    "$category converts, validates as a dataset row and reads as a case",
    (files) => {
      const questions = read(files.questions);
      const { rows, errors } = bfclToRows(questions, files.answers ? read(files.answers) : null, {
        category: files.category,
      });
      expect(errors).toEqual([]);
      expect(rows).toHaveLength(questions.trim().split("\n").length);
      for (const [i, row] of rows.entries()) {
        const validated = validateExample(
          row,
          testContext({
            line: i + 1,
            format: "tool_calling",
            contextTokens: 1_000_000,
            checkArguments,
          }),
        );
        expect(
          validated.findings.filter((f) => f.severity === "error"),
          row.metadata.bfcl_id,
        ).toEqual([]);
        const read = expectedFromRow(row);
        expect(read.ok, row.metadata.bfcl_id).toBe(true);
      }
    },
  );
});
