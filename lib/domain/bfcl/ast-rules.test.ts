import { describe, expect, test } from "vitest";
import { bfclVerdict, pyEquals, standardizeString, type PyCall } from "./ast-rules";
import { typedAnswer } from "./perturb";
import { PyFloat } from "./py-values";
import { bfclFunctionSchema } from "./schemas";

/**
 * The port of BFCL's AST checker that derives the agreement test's verdicts. Besides these
 * cases, its verdicts on all 1,092 generated outputs of the sample were compared with BFCL's
 * own Python checker once, by hand (test/data/bfcl/README.md): all agreed, error types included.
 */
const doc = (name: string, properties: object, required: string[] = []) =>
  bfclFunctionSchema.parse({ name, parameters: { type: "dict", properties, required } });

describe("standardize_string", () => {
  test("BFCL's own example: April 1, 2024 vs April 1,2024 vs April 1 2024", () => {
    const forms = ["April 1, 2024", "April 1,2024", "April 1 2024"].map(standardizeString);
    expect(new Set(forms).size).toBe(1);
  });

  test("drops spaces and , . / - _ * ^, lower-cases, reads ' as \"; keeps other whitespace", () => {
    expect(standardizeString("San_Francisco, C.A. 9/4-1*^")).toBe("sanfranciscoca941");
    expect(standardizeString("McDonald's")).toBe('mcdonald"s');
    expect(standardizeString("New\tYork")).toBe("new\tyork");
    expect(standardizeString("New\u00a0York")).toBe("new\u00a0york");
  });
});

test("Python ==: ints equal floats, True equals 1, lists element-wise", () => {
  expect(pyEquals(5, new PyFloat(5))).toBe(true);
  expect(pyEquals(true, 1)).toBe(true);
  expect(pyEquals("1", 1)).toBe(false);
  expect(pyEquals([1, "a"], [new PyFloat(1), "a"])).toBe(true);
  expect(pyEquals({ a: 1 }, { a: 1, b: 2 })).toBe(false);
});

describe("verdicts", () => {
  const area = doc(
    "calc.area",
    {
      n: { type: "integer" },
      x: { type: "float" },
      xs: { type: "array", items: { type: "float" } },
    },
    ["n"],
  );
  const answer = typedAnswer([area], [{ "calc.area": { n: [5], x: [2.0, ""], xs: [[1.0, 2.0]] } }]);
  const verdict = (args: PyCall["args"], name = "calc_area") =>
    bfclVerdict("simple_python", [area], answer, [{ name, args }]);

  test("the correct call, under the name with dots made underscores", () => {
    expect(verdict({ n: 5, x: new PyFloat(2), xs: [new PyFloat(1), new PyFloat(2)] })).toEqual({
      valid: true,
    });
    expect(verdict({ n: 5 }, "calc.area")).toEqual({
      valid: false,
      rule: "simple_function_checker:wrong_func_name",
    });
  });

  test("an int for a float passes at the top level, not inside a list", () => {
    const xs = [new PyFloat(1), new PyFloat(2)];
    expect(verdict({ n: 5, x: 2, xs })).toEqual({ valid: true });
    expect(verdict({ n: 5, xs: [1, 2] })).toEqual({ valid: false, rule: "type_error:nested" });
  });

  test("5.0 for an integer and True for an integer are type errors", () => {
    expect(verdict({ n: new PyFloat(5) })).toEqual({ valid: false, rule: "type_error:simple" });
    expect(verdict({ n: true })).toEqual({ valid: false, rule: "type_error:simple" });
  });

  test('an argument the answer lists without "" must be given', () => {
    expect(verdict({ n: 5 })).toEqual({
      valid: false,
      rule: "simple_function_checker:missing_optional",
    });
  });

  test("parallel: first-come pairing refuses an order that a maximum matching would accept", () => {
    const f = doc("f", { x: { type: "integer" } }, ["x"]);
    const typed = typedAnswer([f], [{ f: { x: [1, 2] } }, { f: { x: [1] } }]);
    const calls = (a: number, b: number) => [
      { name: "f", args: { x: a } },
      { name: "f", args: { x: b } },
    ];
    expect(bfclVerdict("parallel", [f], typed, calls(1, 2))).toEqual({
      valid: false,
      rule: "parallel_function_checker_no_order:cannot_find_match",
    });
    expect(bfclVerdict("parallel", [f], typed, calls(2, 1))).toEqual({ valid: true });
  });

  test("relevance and irrelevance look only at whether there is a call", () => {
    const call = [{ name: "calc_area", args: {} }];
    expect(bfclVerdict("live_relevance", [area], null, call)).toEqual({ valid: true });
    expect(bfclVerdict("live_relevance", [area], null, [])).toEqual({
      valid: false,
      rule: "relevance_error:decoder_failed",
    });
    expect(bfclVerdict("irrelevance", [area], null, [])).toEqual({ valid: true });
    expect(bfclVerdict("live_irrelevance", [area], null, call)).toEqual({
      valid: false,
      rule: "irrelevance_error:decoder_success",
    });
  });
});
