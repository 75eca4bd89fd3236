import { describe, expect, it } from "vitest";
import {
  checkAcceptableArguments,
  describeAcceptable,
  matchesAlternative,
  toAcceptable,
} from "./acceptable";

describe("describeAcceptable", () => {
  it("names the values and whether the argument may be left out", () => {
    expect(describeAcceptable(["celsius", "c", ""])).toBe(
      'expected one of "celsius", "c" (or omitted)',
    );
    expect(describeAcceptable(["celsius"])).toBe('expected "celsius"');
    expect(describeAcceptable([""])).toBe("expected it omitted");
    expect(describeAcceptable([1, 2, 3, 4], undefined, 2)).toBe("expected one of 1, 2, … (2 more)");
  });
});

describe("toAcceptable", () => {
  it("gives each argument its one value, objects as BFCL's field lists", () => {
    expect(
      toAcceptable({
        name: "f",
        arguments: { a: 1, b: ["x", "y"], c: { k: "v" }, d: [{ k: 1 }] },
      }),
    ).toEqual({
      name: "f",
      arguments: { a: [1], b: [["x", "y"]], c: [{ k: ["v"] }], d: [[{ k: [1] }]] },
    });
  });
});

describe("matchesAlternative", () => {
  it("compares literals with retune's normalisation and lists in order", () => {
    expect(matchesAlternative("San Francisco, CA", "san\tfrancisco ca")).toBe(true);
    expect(matchesAlternative(["a", "b"], ["a", "b"])).toBe(true);
    expect(matchesAlternative(["a", "b"], ["b", "a"])).toBe(false);
  });

  it("reads an object of lists as acceptable fields, and still takes the literal", () => {
    const alt = { name: ["John Doe", "John"], email: ["", "j@x.io"] };
    expect(matchesAlternative(alt, { name: "john" })).toBe(true);
    expect(matchesAlternative(alt, { name: "john", email: "j@x.io" })).toBe(true);
    expect(matchesAlternative(alt, { email: "j@x.io" })).toBe(false);
    expect(matchesAlternative(alt, { name: "john", phone: "1" })).toBe(false);
    expect(matchesAlternative({ tags: ["x"] }, { tags: ["x"] })).toBe(true);
  });
});

describe("checkAcceptableArguments", () => {
  const schema = {
    type: "object",
    properties: {
      city: { type: "string" },
      unit: { type: "string", default: "celsius" },
      days: { type: "integer" },
      note: { type: ["string", "null"] },
    },
    required: ["city"],
    additionalProperties: false,
  };

  it("ignores schema defaults: the set alone says what may be left out", () => {
    expect(
      checkAcceptableArguments(schema, { city: ["Paris"], unit: ["celsius"] }, { city: "Paris" }),
    ).toEqual([
      'argument "unit": expected "celsius", got nothing (omitted, and the reference does not allow leaving it out)',
    ]);
    expect(
      checkAcceptableArguments(schema, { city: ["Paris"] }, { city: "Paris", unit: "celsius" }),
    ).toEqual([
      'unexpected argument "unit" (the reference does not list it, so it must be left out)',
    ]);
  });

  it("type-checks by the JSON Schema, leniently, before the values", () => {
    expect(
      checkAcceptableArguments(
        schema,
        { city: ["Paris"], days: [3] },
        { city: "Paris", days: 3.0 },
      ),
    ).toEqual([]);
    expect(
      checkAcceptableArguments(
        schema,
        { city: ["Paris"], days: [3] },
        { city: "Paris", days: "3" },
      ),
    ).toEqual(['argument "days": expected integer, got string "3"']);
    expect(
      checkAcceptableArguments(
        schema,
        { city: ["Paris"], note: [null, ""] },
        { city: "Paris", note: null },
      ),
    ).toEqual([]);
  });

  it("lets keys outside the schema through only with additionalProperties", () => {
    const open = { ...schema, additionalProperties: true };
    expect(
      checkAcceptableArguments(
        schema,
        { city: ["Paris"], zip: ["1"] },
        { city: "Paris", zip: "1" },
      ),
    ).toEqual(['unexpected argument "zip"']);
    expect(
      checkAcceptableArguments(open, { city: ["Paris"], zip: ["1"] }, { city: "Paris", zip: "1" }),
    ).toEqual([]);
  });

  it("compares every key without a schema", () => {
    expect(checkAcceptableArguments(undefined, { q: ["x", "y"] }, { q: "Y" })).toEqual([]);
    expect(checkAcceptableArguments(undefined, { q: ["x"] }, { q: "z", r: 1 })).toEqual([
      'argument "q": expected "x", got "z" (value not in the acceptable set)',
      'unexpected argument "r" (the reference does not list it, so it must be left out)',
    ]);
  });
});
