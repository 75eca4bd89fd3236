import { describe, expect, it } from "vitest";
import type { ToolDef } from "@/lib/domain/datasets/types";
import type { AcceptableCall, CaseExpected, ScoringProfile } from "@/lib/schemas/eval-metrics";
import { scoreToolCalls } from "./tool-calls";

/**
 * Every BFCL rule issue #16 lists, judged in both profiles. Rows marked "simple_python_N" or
 * "parallel_N" are BFCL v4's own (gorilla, berkeley-function-call-leaderboard/bfcl_eval/data/):
 * functions from BFCL_v4_simple_python.json @3ab55a9b and BFCL_v4_parallel.json @b82e73a5, the
 * acceptable sets from possible_answer/BFCL_v4_simple_python.json @1f38130c and
 * possible_answer/BFCL_v4_parallel.json @4986e026, copied as published (BFCL's type words:
 * "dict", "float"). The verdicts expected of `bfcl` follow ast_checker.py @a6da28ee; the
 * comment on each says which of its rules decides. Rows not marked are made up where BFCL's data
 * has no example of the rule.
 */

type Fn = { name: string; parameters: Record<string, unknown> };
const tool = (fn: Fn): ToolDef => ({ type: "function", function: fn });
const entry = (name: string, args: Record<string, unknown[]>): AcceptableCall => ({
  name,
  arguments: args,
});

// simple_python_0
const triangleArea = tool({
  name: "calculate_triangle_area",
  parameters: {
    type: "dict",
    properties: {
      base: { type: "integer", description: "The base of the triangle." },
      height: { type: "integer", description: "The height of the triangle." },
      unit: {
        type: "string",
        description: "The unit of measure (defaults to 'units' if not specified)",
      },
    },
    required: ["base", "height"],
  },
});
const triangleAnswer = entry("calculate_triangle_area", {
  base: [10],
  height: [5],
  unit: ["units", ""],
});

// simple_python_7
const circumference = tool({
  name: "calculate_circumference",
  parameters: {
    type: "dict",
    properties: {
      radius: { type: "integer", description: "The radius of the circle in the unit given." },
      unit: {
        type: "string",
        description: "The unit of measurement for the radius. Default is 'cm'.",
      },
    },
    required: ["radius"],
  },
});
const circumferenceAnswer = entry("calculate_circumference", {
  radius: [4],
  unit: ["inches", "in"],
});

// simple_python_13
const areaUnderCurve = tool({
  name: "calculate_area_under_curve",
  parameters: {
    type: "dict",
    properties: {
      function: { type: "string", description: "The mathematical function as a string." },
      interval: { type: "array", items: { type: "float" } },
      method: { type: "string" },
    },
    required: ["function", "interval"],
  },
});
const areaUnderCurveAnswer = entry("calculate_area_under_curve", {
  function: ["x**2", "lambda x: x**2", "y=x**2"],
  interval: [[1.0, 3.0]],
  method: ["", "trapezoidal"],
});

// simple_python_17: "formatted" is required although its acceptable values include "".
const primeFactors = tool({
  name: "get_prime_factors",
  parameters: {
    type: "dict",
    properties: { number: { type: "integer" }, formatted: { type: "boolean" } },
    required: ["number", "formatted"],
  },
});
const primeFactorsAnswer = entry("get_prime_factors", { number: [450], formatted: [true, ""] });

// simple_python_37
const routeTime = tool({
  name: "route.estimate_time",
  parameters: {
    type: "dict",
    properties: {
      start_location: { type: "string" },
      end_location: { type: "string" },
      stops: { type: "array", items: { type: "string" } },
    },
    required: ["start_location", "end_location"],
  },
});
const routeAnswer = entry("route.estimate_time", {
  start_location: ["San Francisco"],
  end_location: ["Los Angeles"],
  stops: [
    ["Santa Barbara", "Monterey"],
    ["Monterey", "Santa Barbara"],
  ],
});

// simple_python_94
const updateUser = tool({
  name: "update_user_info",
  parameters: {
    type: "dict",
    properties: {
      user_id: { type: "integer" },
      update_info: {
        type: "dict",
        properties: { name: { type: "string" }, email: { type: "string" } },
      },
      database: { type: "string", default: "CustomerInfo" },
    },
    required: ["user_id", "update_info"],
  },
});
const updateUserAnswer = entry("update_user_info", {
  user_id: [43523],
  update_info: [{ name: ["John Doe"], email: ["johndoe@email.com"] }],
  database: ["CustomerInfo", ""],
});

// simple_python_96
const dbQuery = tool({
  name: "database.query",
  parameters: {
    type: "dict",
    properties: {
      table: { type: "string" },
      conditions: {
        type: "array",
        items: {
          type: "dict",
          properties: {
            field: { type: "string" },
            operation: { type: "string", enum: ["<", ">", "=", ">=", "<="] },
            value: { type: "string" },
          },
          required: ["field", "operation", "value"],
        },
      },
    },
    required: ["table", "conditions"],
  },
});
const dbQueryAnswer = entry("database.query", {
  table: ["user"],
  conditions: [
    [
      { field: ["age"], operation: [">"], value: ["25"] },
      { field: ["job"], operation: ["="], value: ["engineer"] },
    ],
  ],
});

// parallel_0
const spotify = tool({
  name: "spotify.play",
  parameters: {
    type: "dict",
    properties: { artist: { type: "string" }, duration: { type: "integer" } },
    required: ["artist", "duration"],
  },
});
const spotifyAnswer = [
  entry("spotify.play", { artist: ["Taylor Swift"], duration: [20] }),
  entry("spotify.play", { artist: ["Maroon 5"], duration: [15] }),
];

// parallel_4
const bmi = tool({
  name: "calculate_bmi",
  parameters: {
    type: "dict",
    properties: { height: { type: "float" }, weight: { type: "integer" } },
    required: ["height", "weight"],
  },
});
const bmiAnswer = [
  entry("calculate_bmi", { height: [6.0], weight: [80] }),
  entry("calculate_bmi", { height: [5.6], weight: [60] }),
];

// parallel_8 (the first entry)
const census = tool({
  name: "database_us_census.get_population",
  parameters: {
    type: "dict",
    properties: {
      area: { type: "string" },
      type: { type: "string" },
      year: { type: "integer", default: 2000 },
    },
    required: ["area", "type"],
  },
});
const censusAnswer = entry("database_us_census.get_population", {
  area: ["New York City", "NY", "New York City, NY", "NYC"],
  type: ["city"],
  year: ["", 2000],
});

type Call = [name: string, rawArguments: string];

/**
 * Scores the produced calls (name and raw argument text, as an endpoint returns them) in both
 * profiles; null is an unparseable attempt.
 */
function judge(
  expected: Partial<Pick<CaseExpected, "toolCalls" | "acceptable" | "expect">>,
  produced: Call[] | null,
  tools: ToolDef[],
  opts: { keepRaw?: boolean } = {},
) {
  const calls = produced?.map(([name, raw]) => ({
    name,
    arguments: JSON.parse(raw) as Record<string, unknown>,
  }));
  const raw = opts.keepRaw === false ? undefined : produced?.map(([, r]) => r);
  const one = (profile: ScoringProfile) => {
    const r = scoreToolCalls({ toolCalls: [], ...expected }, calls ?? null, tools, {
      profile,
      rawArguments: raw,
    });
    return { score: r.tool_call_accuracy.score, reason: r.tool_call_accuracy.reason };
  };
  return { retune: one("retune"), bfcl: one("bfcl") };
}

const both = (score: 0 | 1) => ({ retune: { score }, bfcl: { score } });

describe("acceptable sets (possible_answer semantics)", () => {
  it('passes the reference values and an omitted argument whose set has "" (simple_python_0)', () => {
    const acceptable = [triangleAnswer];
    const tools = [triangleArea];
    expect(
      judge(
        { acceptable },
        [[triangleAnswer.name, '{"base": 10, "height": 5, "unit": "units"}']],
        tools,
      ),
    ).toMatchObject(both(1));
    expect(
      judge({ acceptable }, [[triangleAnswer.name, '{"base": 10, "height": 5}']], tools),
    ).toMatchObject(both(1));
  });

  it("fails a value outside the set and says which set, what came and the rule (simple_python_0)", () => {
    const v = judge(
      { acceptable: [triangleAnswer] },
      [[triangleAnswer.name, '{"base": 10, "height": 5, "unit": "cm"}']],
      [triangleArea],
    );
    expect(v).toMatchObject(both(0));
    expect(v.retune.reason).toBe(
      'calculate_triangle_area: argument "unit": expected "units" (or omitted), got "cm" (value not in the acceptable set)',
    );
    expect(v.bfcl.reason).toBe(
      'calculate_triangle_area: argument "unit": expected "units" (or omitted), got "cm" (value not in the acceptable set, compared after BFCL\'s standardize_string)',
    );
  });

  it('accepts any listed alternative; without "" the argument may not be left out (simple_python_7)', () => {
    const acceptable = [circumferenceAnswer];
    const tools = [circumference];
    const name = circumferenceAnswer.name;
    expect(judge({ acceptable }, [[name, '{"radius": 4, "unit": "in"}']], tools)).toMatchObject(
      both(1),
    );
    expect(judge({ acceptable }, [[name, '{"radius": 4, "unit": "Inches"}']], tools)).toMatchObject(
      both(1),
    );
    // "unit" is optional in the schema, but the set lists no "" (BFCL: missing_optional).
    const omitted = judge({ acceptable }, [[name, '{"radius": 4}']], tools);
    expect(omitted).toMatchObject(both(0));
    expect(omitted.retune.reason).toBe(
      'calculate_circumference: argument "unit": expected one of "inches", "in", got nothing (omitted, and the reference does not allow leaving it out)',
    );
    expect(omitted.bfcl.reason).toBe(omitted.retune.reason);
  });

  it('fails a required argument left out even when its set has "" (simple_python_17)', () => {
    // BFCL checks the schema's required list before the acceptable sets (missing_required).
    const v = judge(
      { acceptable: [primeFactorsAnswer] },
      [["get_prime_factors", '{"number": 450}']],
      [primeFactors],
    );
    expect(v).toMatchObject(both(0));
    expect(v.bfcl.reason).toBe('get_prime_factors: missing required argument "formatted"');
    expect(v.retune.reason).toBe(v.bfcl.reason);
  });

  it("refuses an argument the schema declares but the entry does not list", () => {
    // simple_python_0's entry without its "unit" line (BFCL: unexpected_param).
    const acceptable = [entry("calculate_triangle_area", { base: [10], height: [5] })];
    const v = judge(
      { acceptable },
      [["calculate_triangle_area", '{"base": 10, "height": 5, "unit": "units"}']],
      [triangleArea],
    );
    expect(v).toMatchObject(both(0));
    expect(v.bfcl.reason).toBe(
      'calculate_triangle_area: unexpected argument "unit" (the reference does not list it, so it must be left out)',
    );
    expect(v.retune.reason).toBe(v.bfcl.reason);
  });

  it("refuses an argument outside the schema", () => {
    const v = judge(
      { acceptable: [triangleAnswer] },
      [["calculate_triangle_area", '{"base": 10, "height": 5, "color": "red"}']],
      [triangleArea],
    );
    expect(v).toMatchObject(both(0));
    expect(v.bfcl.reason).toBe(
      'calculate_triangle_area: unexpected argument "color" (not in the tool\'s schema)',
    );
    expect(v.retune.reason).toBe('calculate_triangle_area: unexpected argument "color"');
  });

  it("takes either listed order of a list argument, and no other (simple_python_37)", () => {
    const acceptable = [routeAnswer];
    const tools = [routeTime];
    const args = (stops: string) =>
      `{"start_location": "San Francisco", "end_location": "Los Angeles"${stops}}`;
    for (const stops of ['["Santa Barbara", "Monterey"]', '["monterey", "santa-barbara"]']) {
      expect(
        judge({ acceptable }, [[routeAnswer.name, args(`, "stops": ${stops}`)]], tools),
      ).toMatchObject(both(1));
    }
    const short = judge(
      { acceptable },
      [[routeAnswer.name, args(', "stops": ["Monterey"]')]],
      tools,
    );
    expect(short).toMatchObject(both(0));
    expect(short.bfcl.reason).toContain('got ["Monterey"] (not among the acceptable lists');
    // No "" among the stops' values: leaving them out fails (the schema says optional).
    expect(judge({ acceptable }, [[routeAnswer.name, args("")]], tools)).toMatchObject(both(0));
  });

  it("checks an object argument field by field against its acceptable fields (simple_python_94)", () => {
    const acceptable = [updateUserAnswer];
    const tools = [updateUser];
    const call = (info: string) =>
      [[updateUserAnswer.name, `{"user_id": 43523, "update_info": ${info}}`]] as Call[];
    expect(
      judge({ acceptable }, call('{"name": "john doe", "email": "johndoe@email.com"}'), tools),
    ).toMatchObject(both(1));
    const missing = judge({ acceptable }, call('{"name": "John Doe"}'), tools);
    expect(missing).toMatchObject(both(0));
    expect(missing.bfcl.reason).toContain('missing field "email"');
    const extra = judge(
      { acceptable },
      call('{"name": "John Doe", "email": "johndoe@email.com", "phone": "1"}'),
      tools,
    );
    expect(extra).toMatchObject(both(0));
    expect(extra.bfcl.reason).toContain('unexpected field "phone"');
  });

  it("checks a list of objects in order, each against its acceptable fields (simple_python_96)", () => {
    const acceptable = [dbQueryAnswer];
    const tools = [dbQuery];
    const age = '{"field": "age", "operation": ">", "value": "25"}';
    const job = '{"field": "job", "operation": "=", "value": "engineer"}';
    const call = (conditions: string) =>
      [[dbQueryAnswer.name, `{"table": "user", "conditions": ${conditions}}`]] as Call[];
    expect(judge({ acceptable }, call(`[${age}, ${job}]`), tools)).toMatchObject(both(1));
    const swapped = judge({ acceptable }, call(`[${job}, ${age}]`), tools);
    expect(swapped).toMatchObject(both(0));
    expect(swapped.bfcl.reason).toContain('item 0: field "field": expected "age", got "job"');
  });

  it("accepts null where the set lists it; bfcl only when it is the first value (its variable rule)", () => {
    const note = tool({
      name: "set_note",
      parameters: { type: "dict", properties: { note: { type: "string" } }, required: [] },
    });
    const first = [entry("set_note", { note: [null, "none"] })];
    const second = [entry("set_note", { note: ["none", null] })];
    const call: Call[] = [["set_note", '{"note": null}']];
    expect(judge({ acceptable: first }, call, [note])).toMatchObject(both(1));
    const v = judge({ acceptable: second }, call, [note]);
    expect(v).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
    expect(v.bfcl.reason).toBe('set_note: argument "note": expected string, got null');
  });

  it("reads a plain reference as the one-value set; retune keeps its schema-default rule", () => {
    // The plain form of parallel_8's first call, with the schema's default year given.
    const toolCalls = [
      {
        name: census.function.name,
        arguments: { area: "New York City", type: "city", year: 2000 },
      },
    ];
    const v = judge(
      { toolCalls },
      [[census.function.name, '{"area": "NYC", "type": "city"}']],
      [census],
    );
    // "NYC" is not the reference's one value, so both fail on it; leaving out the year passes
    // only in retune, whose omitted argument takes the schema's default (2000).
    expect(v.retune.reason).toBe(
      'database_us_census.get_population: argument "area": expected "New York City", got "NYC"',
    );
    expect(v.bfcl.reason).toBe(
      'database_us_census.get_population: argument "area": expected "New York City", got "NYC" (value not in the acceptable set, compared after BFCL\'s standardize_string); ' +
        'database_us_census.get_population: argument "year": expected 2000, got nothing (omitted, and the reference does not allow leaving it out)',
    );
    const omittedYear = judge(
      { toolCalls },
      [[census.function.name, '{"area": "New York City", "type": "city"}']],
      [census],
    );
    expect(omittedYear).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
    // The acceptable form of the same row says the year may be left out: both pass.
    expect(
      judge(
        { acceptable: [censusAnswer] },
        [[census.function.name, '{"area": "NYC", "type": "city"}']],
        [census],
      ),
    ).toMatchObject(both(1));
  });

  it('reads "" as the empty list in bfcl, not in retune', () => {
    // simple_python_37's schema with a made-up set where the stops may be left out.
    const acceptable = [
      entry("route.estimate_time", {
        start_location: ["San Francisco"],
        end_location: ["Los Angeles"],
        stops: [["Monterey"], ""],
      }),
    ];
    const v = judge(
      { acceptable },
      [
        [
          "route.estimate_time",
          '{"start_location": "San Francisco", "end_location": "Los Angeles", "stops": []}',
        ],
      ],
      [routeTime],
    );
    expect(v).toMatchObject({ retune: { score: 0 }, bfcl: { score: 1 } });
  });
});

describe("types, read on the raw argument text", () => {
  it("refuses an integral float where an integer is required in bfcl only (simple_python_0)", () => {
    const acceptable = [triangleAnswer];
    for (const base of ["10.0", "1e1", "1.0E1"]) {
      const v = judge(
        { acceptable },
        [[triangleAnswer.name, `{"base": ${base}, "height": 5}`]],
        [triangleArea],
      );
      expect(v).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
      expect(v.bfcl.reason).toBe(
        `calculate_triangle_area: argument "base": expected integer, got ${base} (an integral float; the bfcl profile refuses it)`,
      );
    }
  });

  it("cannot see an integral float without the raw text: 10.0 arrived as 10", () => {
    const v = judge(
      { acceptable: [triangleAnswer] },
      [[triangleAnswer.name, '{"base": 10.0, "height": 5}']],
      [triangleArea],
      { keepRaw: false },
    );
    expect(v).toMatchObject(both(1));
  });

  it("refuses a fractional float, a string and a bool where an integer is required", () => {
    const acceptable = [triangleAnswer];
    const name = triangleAnswer.name;
    const tools = [triangleArea];
    const frac = judge({ acceptable }, [[name, '{"base": 10.5, "height": 5}']], tools);
    expect(frac).toMatchObject(both(0));
    expect(frac.bfcl.reason).toBe(
      'calculate_triangle_area: argument "base": expected integer, got float 10.5',
    );
    expect(judge({ acceptable }, [[name, '{"base": "10", "height": 5}']], tools)).toMatchObject(
      both(0),
    );
    // Python's bool is an int subclass, but BFCL compares type() exactly.
    const flag = judge(
      { acceptable: [primeFactorsAnswer] },
      [["get_prime_factors", '{"number": true, "formatted": true}']],
      [primeFactors],
    );
    expect(flag).toMatchObject(both(0));
    expect(flag.bfcl.reason).toBe(
      'get_prime_factors: argument "number": expected integer, got boolean true',
    );
  });

  it("accepts an integer where a float is required, at the top level (parallel_4)", () => {
    const v = judge(
      { acceptable: bmiAnswer },
      [
        ["calculate_bmi", '{"height": 6, "weight": 80}'],
        ["calculate_bmi", '{"height": 5.6, "weight": 60}'],
      ],
      [bmi],
    );
    expect(v).toMatchObject(both(1));
  });

  it("refuses integers inside a float array in bfcl; retune accepts them (simple_python_13)", () => {
    const acceptable = [areaUnderCurveAnswer];
    const name = areaUnderCurveAnswer.name;
    const tools = [areaUnderCurve];
    expect(
      judge({ acceptable }, [[name, '{"function": "x**2", "interval": [1.0, 3.0]}']], tools),
    ).toMatchObject(both(1));
    const ints = judge({ acceptable }, [[name, '{"function": "x**2", "interval": [1, 3]}']], tools);
    expect(ints).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
    expect(ints.bfcl.reason).toBe(
      'calculate_area_under_curve: argument "interval": expected array of float, got [1,3] (item 0 is integer 1: an integer among floats; the bfcl profile refuses it)',
    );
  });

  it("reads JSON Schema words as BFCL's (number as float, object as dict)", () => {
    const jsonSchemaTool = tool({
      name: "calculate_area_under_curve",
      parameters: {
        type: "object",
        properties: {
          function: { type: "string" },
          interval: { type: "array", items: { type: "number" } },
          method: { type: "string" },
        },
        required: ["function", "interval"],
      },
    });
    const v = judge(
      { acceptable: [areaUnderCurveAnswer] },
      [[areaUnderCurveAnswer.name, '{"function": "x**2", "interval": [1, 3]}']],
      [jsonSchemaTool],
    );
    expect(v).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
  });

  it("types array items one level deep only in bfcl", () => {
    const grid = tool({
      name: "set_grid",
      parameters: {
        type: "dict",
        properties: {
          rows: { type: "array", items: { type: "array", items: { type: "integer" } } },
        },
        required: ["rows"],
      },
    });
    // The made-up reference lists the strings; BFCL checks that the items are lists, no deeper,
    // and then compares values, so only retune's schema check refuses them.
    const acceptable = [entry("set_grid", { rows: [[["1", "2"]]] })];
    const v = judge({ acceptable }, [["set_grid", '{"rows": [["1", "2"]]}']], [grid]);
    expect(v).toMatchObject({ retune: { score: 0 }, bfcl: { score: 1 } });
    expect(v.retune.reason).toBe(
      'set_grid: argument "rows[0][0]": expected integer, got string "1"',
    );
  });
});

describe("string standardisation", () => {
  const acceptable = [censusAnswer];
  const call = (area: string): Call[] => [
    [census.function.name, JSON.stringify({ area, type: "city" })],
  ];

  it("ignores case, spaces and , . / - _ * ^ in both profiles (parallel_8)", () => {
    for (const area of ["new york city", "NewYorkCity", "New-York_City.", "new york city, ny"]) {
      expect(judge({ acceptable }, call(area), [census])).toMatchObject(both(1));
    }
  });

  it("reads ' as \" in both profiles", () => {
    const quote = [entry("get_quote", { text: ['say "hi"'] })];
    const quoteTool = tool({
      name: "get_quote",
      parameters: { type: "dict", properties: { text: { type: "string" } }, required: ["text"] },
    });
    expect(
      judge({ acceptable: quote }, [["get_quote", `{"text": "say 'hi'"}`]], [quoteTool]),
    ).toMatchObject(both(1));
  });

  it("keeps tabs, newlines and non-breaking spaces in bfcl; retune drops every whitespace", () => {
    for (const area of ["New\tYork City", "New York\nCity", "New\u00a0York City"]) {
      const v = judge({ acceptable }, call(area), [census]);
      expect(v).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
      expect(v.bfcl.reason).toContain("compared after BFCL's standardize_string");
    }
  });

  it("compares a type-'any' argument as a string in bfcl (simple_python_109)", () => {
    const train = tool({
      name: "random_forest.train",
      parameters: {
        type: "dict",
        properties: {
          n_estimators: { type: "integer" },
          max_depth: { type: "integer" },
          data: { type: "any" },
        },
        required: ["n_estimators", "max_depth", "data"],
      },
    });
    const acceptable = [
      entry("random_forest.train", { n_estimators: [100], max_depth: [5], data: ["my_data"] }),
    ];
    const args = (data: string) => `{"n_estimators": 100, "max_depth": 5, "data": ${data}}`;
    expect(
      judge({ acceptable }, [["random_forest.train", args('"My-Data"')]], [train]),
    ).toMatchObject(both(1));
    const v = judge({ acceptable }, [["random_forest.train", args("7")]], [train]);
    expect(v).toMatchObject(both(0));
    expect(v.bfcl.reason).toBe('random_forest.train: argument "data": expected any, got integer 7');
  });
});

describe("counts and parallel calls", () => {
  const spotifyCall = (artist: string, duration: number): Call => [
    "spotify.play",
    JSON.stringify({ artist, duration }),
  ];

  it("passes parallel calls in either order (parallel_0)", () => {
    for (const order of [
      [spotifyCall("Taylor Swift", 20), spotifyCall("Maroon 5", 15)],
      [spotifyCall("Maroon 5", 15), spotifyCall("Taylor Swift", 20)],
    ]) {
      expect(judge({ acceptable: spotifyAnswer }, order, [spotify])).toMatchObject(both(1));
    }
  });

  it("fails a wrong number of calls (parallel_0, and a simple row given two calls)", () => {
    const missing = judge(
      { acceptable: spotifyAnswer },
      [spotifyCall("Taylor Swift", 20)],
      [spotify],
    );
    expect(missing).toMatchObject(both(0));
    expect(missing.bfcl.reason).toBe("missing call to spotify.play");
    const twice = judge(
      { acceptable: [triangleAnswer] },
      [
        [triangleAnswer.name, '{"base": 10, "height": 5}'],
        [triangleAnswer.name, '{"base": 10, "height": 5}'],
      ],
      [triangleArea],
    );
    expect(twice).toMatchObject(both(0));
    expect(twice.bfcl.reason).toBe("unexpected extra call to calculate_triangle_area");
  });

  it("fails a call to another function (simple_python_7 answered with calculate_triangle_area)", () => {
    const v = judge(
      { acceptable: [circumferenceAnswer] },
      [["calculate_triangle_area", '{"base": 4, "height": 4}']],
      [circumference, triangleArea],
    );
    expect(v).toMatchObject(both(0));
    expect(v.bfcl.reason).toBe(
      "expected a call to calculate_circumference, got a call to calculate_triangle_area",
    );
  });

  it("pairs first-come in bfcl, so overlapping sets can fail a valid order; retune matches all", () => {
    // Made up: the first expected call accepts either artist, the second only Taylor Swift.
    // The model's first call (Taylor Swift) is taken by the first expected call, and the second
    // expected call then finds only Maroon 5. Another pairing fits every call.
    const acceptable = [
      entry("spotify.play", { artist: ["Taylor Swift", "Maroon 5"], duration: [20] }),
      entry("spotify.play", { artist: ["Taylor Swift"], duration: [20] }),
    ];
    const v = judge(
      { acceptable },
      [spotifyCall("Taylor Swift", 20), spotifyCall("Maroon 5", 20)],
      [spotify],
    );
    expect(v).toMatchObject({ retune: { score: 1 }, bfcl: { score: 0 } });
    expect(v.bfcl.reason).toBe(
      'spotify.play: argument "artist": expected "Taylor Swift", got "Maroon 5" (value not in the acceptable set, compared after BFCL\'s standardize_string); ' +
        "another pairing of the calls matches every one; the bfcl profile pairs them first-come, as BFCL does (retune would pass this)",
    );
  });
});

describe("relevance and irrelevance", () => {
  const weather = tool({
    name: "get_weather",
    parameters: { type: "dict", properties: { city: { type: "string" } }, required: ["city"] },
  });
  const aCall: Call[] = [["get_weather", '{"city": "Paris"}']];

  it("any_call (relevance) passes any parseable call and fails text or an unparseable attempt", () => {
    expect(judge({ expect: "any_call" }, aCall, [weather])).toMatchObject(both(1));
    // Correctness of the call is not checked (BFCL: relevance only needs a decoded call).
    expect(
      judge({ expect: "any_call" }, [["get_weather", '{"town": 1}']], [weather]),
    ).toMatchObject(both(1));
    const text = judge({ expect: "any_call" }, [], [weather]);
    expect(text).toMatchObject(both(0));
    expect(text.retune.reason).toBe("expected a call (any call is fine), got a text answer");
    expect(judge({ expect: "any_call" }, null, [weather])).toMatchObject(both(0));
  });

  it("no_call (irrelevance) passes a text answer and fails a call", () => {
    expect(judge({ expect: "no_call" }, [], [weather])).toMatchObject(both(1));
    const v = judge({ expect: "no_call" }, aCall, [weather]);
    expect(v).toMatchObject(both(0));
    expect(v.bfcl.reason).toBe("unexpected call to get_weather; the case expects no call");
  });

  it("counts an unparseable attempt as no call in bfcl only", () => {
    const v = judge({ expect: "no_call" }, null, [weather]);
    expect(v).toMatchObject({ retune: { score: 0 }, bfcl: { score: 1 } });
    // A reference that answers in text is judged the same way.
    expect(judge({}, null, [weather])).toMatchObject({ retune: { score: 0 }, bfcl: { score: 1 } });
  });
});
