import { describe, expect, it } from "vitest";
import type { ToolDef } from "@/lib/domain/datasets/types";
import type { ToolCall } from "@/lib/schemas/eval-metrics";
import { scoreToolCalls } from "./tool-calls";

function tool(name: string, parameters: Record<string, unknown>): ToolDef {
  return { type: "function", function: { name, parameters } };
}

const getWeather = tool("get_weather", {
  type: "object",
  properties: {
    city: { type: "string", description: "City and state, e.g. San Francisco, CA" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"], default: "celsius" },
    days: { type: "integer" },
  },
  required: ["city"],
});

// BFCL simple_0 style, with its own type words ("dict", "float" appear in BFCL's function docs).
const triangleArea = tool("calculate_triangle_area", {
  type: "dict",
  properties: {
    base: { type: "integer" },
    height: { type: "integer" },
    unit: { type: "string", default: "units" },
  },
  required: ["base", "height"],
});
const circleArea = tool("calc_circle_area", {
  type: "object",
  properties: { radius: { type: "float" }, scale: { type: "number" } },
  required: ["radius"],
});
const getTime = tool("get_time", {
  type: "object",
  properties: { timezone: { type: "string" } },
  required: ["timezone"],
});
const bookFlight = tool("book_flight", {
  type: "object",
  properties: {
    passenger: {
      type: "object",
      properties: { name: { type: "string" }, age: { type: "integer" } },
      required: ["name"],
    },
    legs: {
      type: "array",
      items: {
        type: "object",
        properties: { from: { type: "string" }, to: { type: "string" } },
        required: ["from", "to"],
      },
    },
    seats: { type: "array", items: { type: "integer" } },
    note: { type: ["string", "null"] },
  },
  required: ["passenger", "legs"],
});
const TOOLS = [getWeather, triangleArea, circleArea, getTime, bookFlight];

const call = (name: string, args: Record<string, unknown>): ToolCall => ({ name, arguments: args });

function score(expected: ToolCall[], produced: ToolCall[] | null, tools = TOOLS) {
  const r = scoreToolCalls({ toolCalls: expected }, produced, tools);
  return {
    call: r.tool_call_accuracy.score,
    name: r.tool_name_accuracy.score,
    reason: r.tool_call_accuracy.reason,
    nameReason: r.tool_name_accuracy.reason,
  };
}

describe("scoreToolCalls: simple calls", () => {
  it("passes an identical call", () => {
    const c = call("calculate_triangle_area", { base: 10, height: 5, unit: "units" });
    expect(score([c], [c])).toMatchObject({ call: 1, name: 1, reason: null });
  });

  it("fails a wrong function name on both metrics", () => {
    const r = score(
      [call("get_weather", { city: "Paris" })],
      [call("get_time", { timezone: "CET" })],
    );
    expect(r).toMatchObject({ call: 0, name: 0 });
    expect(r.reason).toBe("expected a call to get_weather, got a call to get_time");
    expect(r.nameReason).toBe("expected calls to [get_weather], got [get_time]");
  });

  it("fails a missing required argument", () => {
    const r = score([call("get_weather", { city: "Paris" })], [call("get_weather", {})]);
    expect(r.call).toBe(0);
    expect(r.name).toBe(1);
    expect(r.reason).toContain('get_weather: missing required argument "city"');
  });

  it("fails an argument the schema does not declare", () => {
    const r = score(
      [call("get_weather", { city: "Paris" })],
      [call("get_weather", { city: "Paris", zip: "75001" })],
    );
    expect(r.call).toBe(0);
    expect(r.reason).toBe('get_weather: unexpected argument "zip"');
  });

  it("fails a wrong value and names argument and values", () => {
    const r = score(
      [call("get_weather", { city: "Paris", unit: "celsius" })],
      [call("get_weather", { city: "Paris", unit: "fahrenheit" })],
    );
    expect(r.reason).toBe('get_weather: argument "unit": expected "celsius", got "fahrenheit"');
  });
});

describe("scoreToolCalls: types", () => {
  it("fails a string where an integer is expected", () => {
    const r = score(
      [call("get_weather", { city: "Paris", days: 3 })],
      [call("get_weather", { city: "Paris", days: "3" })],
    );
    expect(r.call).toBe(0);
    expect(r.reason).toBe('get_weather: argument "days": expected integer, got string "3"');
  });

  it("fails a float where an integer is expected", () => {
    const r = score(
      [call("calculate_triangle_area", { base: 10, height: 5 })],
      [call("calculate_triangle_area", { base: 10.5, height: 5 })],
    );
    expect(r.call).toBe(0);
    expect(r.reason).toContain('argument "base": expected integer, got number 10.5');
  });

  it("accepts an integer where a float is expected, compared numerically", () => {
    expect(
      score([call("calc_circle_area", { radius: 5.0 })], [call("calc_circle_area", { radius: 5 })])
        .call,
    ).toBe(1);
    expect(
      score([call("calc_circle_area", { radius: 2.5 })], [call("calc_circle_area", { radius: 2 })])
        .reason,
    ).toBe('calc_circle_area: argument "radius": expected 2.5, got 2');
  });

  it("fails a boolean or string where a number is expected", () => {
    const r = score(
      [call("calc_circle_area", { radius: 1, scale: 2 })],
      [call("calc_circle_area", { radius: true, scale: "2" })],
    );
    expect(r.reason).toBe(
      'calc_circle_area: argument "radius": expected float, got boolean true; ' +
        'calc_circle_area: argument "scale": expected number, got string "2"',
    );
  });

  it("accepts any of a union of types", () => {
    const base = { passenger: { name: "Ann" }, legs: [] };
    const c = call("book_flight", { ...base, note: null });
    expect(score([c], [c]).call).toBe(1);
    const r = score([c], [call("book_flight", { ...base, note: 5 })]);
    expect(r.reason).toBe('book_flight: argument "note": expected string or null, got integer 5');
  });
});

describe("scoreToolCalls: value normalisation", () => {
  it("compares strings as BFCL's standardize_string does", () => {
    expect(
      score(
        [call("get_weather", { city: "San Francisco, CA" })],
        [call("get_weather", { city: "  san francisco ca" })],
      ).call,
    ).toBe(1);
    expect(
      score(
        [call("get_weather", { city: "New-York/NY" })],
        [call("get_weather", { city: "new_york ny." })],
      ).call,
    ).toBe(1);
    expect(
      score([call("get_weather", { city: "Paris" })], [call("get_weather", { city: "Parris" })])
        .call,
    ).toBe(0);
  });
});

describe("scoreToolCalls: optional arguments", () => {
  it("accepts an omitted optional argument the reference also omits", () => {
    expect(
      score(
        [call("calculate_triangle_area", { base: 10, height: 5 })],
        [call("calculate_triangle_area", { base: 10, height: 5 })],
      ).call,
    ).toBe(1);
  });

  it("accepts omitting an optional argument whose expected value is the schema default", () => {
    expect(
      score(
        [call("calculate_triangle_area", { base: 10, height: 5, unit: "units" })],
        [call("calculate_triangle_area", { base: 10, height: 5 })],
      ).call,
    ).toBe(1);
  });

  it("fails omitting an optional argument the reference sets to a non-default value", () => {
    const r = score(
      [call("get_weather", { city: "Paris", unit: "fahrenheit" })],
      [call("get_weather", { city: "Paris" })],
    );
    expect(r.reason).toBe(
      'get_weather: argument "unit": expected "fahrenheit", got nothing (omitted)',
    );
  });

  it("accepts an optional argument the reference omits when it equals the default", () => {
    expect(
      score(
        [call("get_weather", { city: "Paris" })],
        [call("get_weather", { city: "Paris", unit: "Celsius" })],
      ).call,
    ).toBe(1);
  });

  it("fails an optional argument the reference omits when it is not the default", () => {
    expect(
      score(
        [call("get_weather", { city: "Paris" })],
        [call("get_weather", { city: "Paris", days: 3 })],
      ).reason,
    ).toBe('get_weather: argument "days": expected it omitted, got 3');
    expect(
      score(
        [call("get_weather", { city: "Paris" })],
        [call("get_weather", { city: "Paris", unit: "fahrenheit" })],
      ).reason,
    ).toBe(
      'get_weather: argument "unit": expected it omitted (default "celsius"), got "fahrenheit"',
    );
  });
});

describe("scoreToolCalls: nested objects and arrays", () => {
  const expected = call("book_flight", {
    passenger: { name: "Ann Lee", age: 30 },
    legs: [
      { from: "SFO", to: "JFK" },
      { from: "JFK", to: "LHR" },
    ],
    seats: [12, 13],
  });

  it("passes equal nested values, with string normalisation inside", () => {
    const produced = call("book_flight", {
      passenger: { name: "ann lee", age: 30 },
      legs: [
        { from: "sfo", to: "jfk" },
        { from: "JFK", to: "LHR" },
      ],
      seats: [12, 13],
    });
    expect(score([expected], [produced]).call).toBe(1);
  });

  it("type-checks nested fields and array items", () => {
    const r = score(
      [expected],
      [
        call("book_flight", {
          passenger: { name: "Ann Lee", age: "30" },
          legs: expected.arguments.legs,
          seats: [12, "13"],
        }),
      ],
    );
    expect(r.reason).toBe(
      'book_flight: argument "passenger.age": expected integer, got string "30"; ' +
        'book_flight: argument "seats[1]": expected integer, got string "13"',
    );
  });

  it("reports nested missing, unexpected and wrong values with their path", () => {
    const r = score(
      [expected],
      [
        call("book_flight", {
          passenger: { age: 30, email: "a@b.c" },
          legs: [
            { from: "SFO", to: "JFK" },
            { from: "JFK", to: "CDG" },
          ],
          seats: [12, 13],
        }),
      ],
    );
    expect(r.reason).toContain('missing required argument "passenger.name"');
    expect(r.reason).toContain('unexpected argument "passenger.email"');
    expect(r.reason).toContain('argument "legs[1].to": expected "LHR", got "CDG"');
  });

  it("treats arrays as ordered and checks their length", () => {
    const swapped = call("book_flight", { ...expected.arguments, seats: [13, 12] });
    expect(score([expected], [swapped]).reason).toContain(
      'argument "seats[0]": expected 12, got 13',
    );
    const short = call("book_flight", { ...expected.arguments, seats: [12] });
    expect(score([expected], [short]).reason).toBe(
      'book_flight: argument "seats": expected 2 items [12,13], got 1 [12]',
    );
  });

  it("compares a tool the case does not declare key by key", () => {
    const r = score([call("lookup", { q: "x" })], [call("lookup", { q: "X", extra: 1 })], []);
    expect(r.reason).toBe('lookup: argument "extra": expected it omitted, got 1');
  });
});

describe("scoreToolCalls: parallel calls", () => {
  const expected = [
    call("get_weather", { city: "Boston, MA" }),
    call("get_weather", { city: "San Francisco, CA" }),
    call("get_time", { timezone: "America/New_York" }),
  ];

  it("passes the same calls in another order", () => {
    const produced = [expected[2]!, expected[1]!, expected[0]!];
    expect(score(expected, produced)).toMatchObject({ call: 1, name: 1 });
  });

  it("fails when one of them is wrong and says which", () => {
    const produced = [
      call("get_time", { timezone: "America/New_York" }),
      call("get_weather", { city: "San Francisco, CA" }),
      call("get_weather", { city: "Boston", unit: "celsius" }),
    ];
    const r = score(expected, produced);
    expect(r).toMatchObject({ call: 0, name: 1 });
    expect(r.reason).toBe('get_weather: argument "city": expected "Boston, MA", got "Boston"');
  });

  it("fails a missing call and an extra call", () => {
    const missing = score(expected, expected.slice(0, 2));
    expect(missing).toMatchObject({ call: 0, name: 0 });
    expect(missing.reason).toBe("missing call to get_time");
    expect(missing.nameReason).toBe(
      "expected calls to [get_time, get_weather, get_weather], got [get_weather, get_weather]",
    );
    const extra = score(expected.slice(0, 1), expected.slice(0, 2));
    expect(extra.reason).toBe("unexpected extra call to get_weather");
  });

  it("fails the same call made twice where two different ones are expected", () => {
    const r = score(expected.slice(0, 2), [expected[0]!, expected[0]!]);
    expect(r).toMatchObject({ call: 0, name: 1 });
    expect(r.reason).toContain('expected "San Francisco, CA", got "Boston, MA"');
  });
});

describe("scoreToolCalls: relevance and unparseable output", () => {
  it("passes no call where none is expected", () => {
    expect(score([], [])).toMatchObject({ call: 1, name: 1 });
  });

  it("fails a call where the reference answers in text", () => {
    const r = score([], [call("get_weather", { city: "Paris" })]);
    expect(r).toMatchObject({ call: 0, name: 0 });
    expect(r.reason).toBe(
      "unexpected call to get_weather; the reference answers in text without calling a tool",
    );
  });

  it("fails a text answer where a call is expected", () => {
    const r = score([call("get_weather", { city: "Paris" })], []);
    expect(r).toMatchObject({ call: 0, name: 0 });
    expect(r.reason).toBe("expected a call to get_weather, got a text answer");
  });

  it("fails an unparseable attempt, whatever was expected", () => {
    expect(score([call("get_weather", { city: "Paris" })], null)).toMatchObject({
      call: 0,
      name: 0,
    });
    const r = score([], null);
    expect(r).toMatchObject({ call: 0, name: 0 });
    expect(r.reason).toContain("could not be parsed");
  });
});
