import { describe, expect, it } from "vitest";
import { IntegralFloat, parseRawArguments, showTyped, typedArguments } from "./raw-numbers";

describe("parseRawArguments", () => {
  it("keeps a whole number written with a fraction or an exponent as an IntegralFloat", () => {
    const args = parseRawArguments(
      '{"a": 5.0, "b": 5, "c": 2.5, "d": 1e3, "e": [1.0, 2], "f": "7.0"}',
    );
    expect(args).toEqual({
      a: new IntegralFloat(5, "5.0"),
      b: 5,
      c: 2.5,
      d: new IntegralFloat(1000, "1e3"),
      e: [new IntegralFloat(1, "1.0"), 2],
      f: "7.0",
    });
  });

  it("has nothing to add when the text holds no float lexeme, or is not a JSON object", () => {
    expect(parseRawArguments('{"a": 5, "b": "x"}')).toBeNull();
    expect(parseRawArguments('{"a": 5.0')).toBeNull();
    expect(parseRawArguments("[1.0]")).toBeNull();
  });

  it("keeps the last of repeated keys, as JSON.parse and Python's json.loads do", () => {
    expect(parseRawArguments('{"a": 1.0, "a": 2}')).toEqual({ a: 2 });
  });
});

describe("typedArguments", () => {
  const produced = [
    { name: "f", arguments: { n: 5 } },
    { name: "g", arguments: { m: 1 } },
  ];

  it("reads each call's raw text when it is aligned with the calls", () => {
    expect(typedArguments(produced, ['{"n": 5.0}', '{"m": 1}'])).toEqual([
      { n: new IntegralFloat(5, "5.0") },
      { m: 1 },
    ]);
  });

  it("falls back to the parsed arguments without raw text, misaligned or disagreeing", () => {
    expect(typedArguments(produced, undefined)).toEqual([{ n: 5 }, { m: 1 }]);
    expect(typedArguments(produced, ['{"n": 5.0}'])).toEqual([{ n: 5 }, { m: 1 }]);
    expect(typedArguments(produced, ['{"x": 5.0}', '{"m": 1}'])).toEqual([{ n: 5 }, { m: 1 }]);
  });
});

describe("showTyped", () => {
  it("writes an integral float as the model did", () => {
    expect(showTyped({ a: [new IntegralFloat(5, "5.0"), "x"] })).toBe('{"a":[5.0,"x"]}');
    expect(JSON.stringify({ a: new IntegralFloat(5, "5.0") })).toBe('{"a":5}');
  });
});
