import { describe, expect, it } from "vitest";
import { checkBfclCall } from "./bfcl-checker";
import { IntegralFloat } from "./raw-numbers";

/**
 * The finer points of BFCL's ast_checker.py (gorilla @a6da28ee) that the rule tests
 * (bfcl-rules.test.ts) do not reach: Python's equality and type() on JSON values, its
 * "variable" rule, and what it does with "" in the structured checkers.
 */
const schema = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: "dict",
  properties,
  required,
});
const check = (
  parameters: unknown,
  answers: Record<string, unknown[]>,
  actual: Record<string, unknown>,
) => checkBfclCall({ name: "f", arguments: answers }, "f", actual, parameters);

describe("checkBfclCall", () => {
  it("compares with Python's ==: numbers numerically, a bool as 0 or 1", () => {
    const p = schema({ x: { type: "float" }, b: { type: "boolean" } });
    expect(check(p, { x: [2] }, { x: new IntegralFloat(2, "2.0") })).toEqual([]);
    expect(check(p, { x: [2.5] }, { x: 2 })).toEqual([
      'argument "x": expected 2.5, got 2 (value not in the acceptable set)',
    ]);
    // `True in [1]` is True in Python; the bool type already passed.
    expect(check(p, { b: [1] }, { b: true })).toEqual([]);
  });

  it("accepts a value of the acceptable values' type instead of the schema's (a 'variable')", () => {
    // BFCL keeps variable names as strings in possible answers: the schema says integer, the
    // answer is "x", and "x" passes, compared as is (no string standardisation).
    const p = schema({ n: { type: "integer" } });
    expect(check(p, { n: ["x"] }, { n: "x" })).toEqual([]);
    expect(check(p, { n: ["x"] }, { n: "X" })).toEqual([
      'argument "n": expected "x", got "X" (value not in the acceptable set)',
    ]);
    // An int where the only values are strings is still an int: compared as is, and fails.
    expect(check(p, { n: ["x"] }, { n: 3 })).toEqual([
      'argument "n": expected "x", got 3 (value not in the acceptable set)',
    ]);
  });

  it('passes any array in the item type check when "" is among the values', () => {
    // type_checker only checks items against acceptable entries that are lists; "" is not one.
    const p = schema({ xs: { type: "array", items: { type: "float" } } });
    expect(check(p, { xs: [[1.5], ""] }, { xs: [1.5] })).toEqual([]);
    expect(check(p, { xs: [[1.5], ""] }, { xs: [1] })[0]).toContain(
      "not among the acceptable lists",
    );
    expect(check(p, { xs: [[1.5]] }, { xs: [1] })[0]).toContain("an integer among floats");
  });

  it('skips "" among an object argument\'s values and does not look inside nested values', () => {
    const p = schema({ o: { type: "dict" } });
    expect(check(p, { o: ["", { a: [["x", "Y"]] }] }, { o: { a: ["x", "Y"] } })).toEqual([]);
    // dict_checker standardizes only string values: a list inside compares exactly.
    expect(check(p, { o: [{ a: [["x", "Y"]] }] }, { o: { a: ["x", "y"] } })[0]).toContain(
      'field "a"',
    );
    expect(check(p, { o: [""] }, { o: {} })[0]).toContain("no acceptable object");
  });

  it("judges a tool without a schema by the value's own type", () => {
    expect(check(undefined, { q: ["New York"], n: [2] }, { q: "new-york", n: 2 })).toEqual([]);
    expect(check(undefined, { q: ["x"] }, { q: "x", extra: 1 })).toEqual([
      'unexpected argument "extra" (the reference does not list it, so it must be left out)',
    ]);
  });

  it("takes the member of a JSON Schema union that fits, and null where the union has it", () => {
    const p = schema({ v: { type: ["integer", "string"] }, w: { type: ["string", "null"] } });
    expect(check(p, { v: ["three", 3] }, { v: "Three" })).toEqual([]);
    expect(check(p, { v: ["three", 3] }, { v: 3 })).toEqual([]);
    // With 3 listed first the string is a "variable" (the first value's type is int), compared
    // as is, without standardize_string.
    expect(check(p, { v: [3, "three"] }, { v: "Three" })).toHaveLength(1);
    expect(check(p, { w: [null] }, { w: null })).toEqual([]);
  });
});
