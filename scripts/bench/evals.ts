/**
 * npm run bench:evals [-- <cases>]
 * Tool-call scoring throughput (issue #16): <cases> (default 100,000) BFCL-style cases scored by
 * scoreToolCalls under the `retune` and `bfcl` profiles, next to plain `JSON.parse` of the same
 * outputs' argument strings (what an endpoint target does to every output anyway, so the floor
 * any scorer is compared with). Printed: cases/s of each side (median of BENCH_ROUNDS rounds,
 * default 5, after a warm-up round), the scorer's cost as a multiple of JSON.parse, and each
 * profile's pass rate on the mix as a check that the work is real.
 *
 * The mix, drawn from a seeded PRNG so runs compare: simple calls with integer arguments and an
 * omittable unit (some written 10.0, some with the unit left out or wrong), float arrays (some
 * written with integers), strings with several acceptable values (some with a tab inside), an
 * object argument, and 2–3 parallel calls in shuffled order. Half the cases carry acceptable
 * sets, half a plain reference. Every output keeps its raw argument text, as endpoint targets do,
 * so the `bfcl` profile reads number lexemes on each case that has a float in it.
 *
 * Then the routing calibration's threshold sweep (issue #17): 10,000 cases × ~100 thresholds
 * through sweepThresholds, next to a plain loop of applyRule per threshold over the same cases.
 */
import { performance } from "node:perf_hooks";
import type { ToolDef } from "@/lib/domain/datasets/types";
import { mulberry32 } from "@/lib/domain/prng";
import { applyRule, sweepThresholds } from "@/lib/domain/economics/routing";
import { scoreToolCalls } from "@/lib/domain/scoring";
import type { CalibrationCase } from "@/lib/schemas/economics";
import type {
  AcceptableCall,
  CaseExpected,
  ScoringProfile,
  ToolCall,
} from "@/lib/schemas/eval-metrics";

const CASES = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

type BenchCase = {
  expected: Pick<CaseExpected, "toolCalls" | "acceptable">;
  tools: ToolDef[];
  raw: string[];
  calls: ToolCall[];
};

const tool = (name: string, properties: Record<string, unknown>, required: string[]): ToolDef => ({
  type: "function",
  function: { name, parameters: { type: "object", properties, required } },
});
const TRIANGLE = tool(
  "calculate_triangle_area",
  { base: { type: "integer" }, height: { type: "integer" }, unit: { type: "string" } },
  ["base", "height"],
);
const CURVE = tool(
  "calculate_area_under_curve",
  {
    function: { type: "string" },
    interval: { type: "array", items: { type: "number" } },
    method: { type: "string" },
  },
  ["function", "interval"],
);
const CENSUS = tool(
  "database_us_census.get_population",
  { area: { type: "string" }, type: { type: "string" }, year: { type: "integer", default: 2000 } },
  ["area", "type"],
);
const USER = tool(
  "update_user_info",
  {
    user_id: { type: "integer" },
    update_info: {
      type: "object",
      properties: { name: { type: "string" }, email: { type: "string" } },
    },
  },
  ["user_id", "update_info"],
);
const SPOTIFY = tool(
  "spotify.play",
  { artist: { type: "string" }, duration: { type: "integer" } },
  ["artist", "duration"],
);
const ARTISTS = ["Taylor Swift", "Maroon 5", "Adele", "Coldplay", "Drake", "Beyonce"];
const CITIES = [
  ["New York City", "NYC", "New York City, NY"],
  ["Los Angeles", "LA", "Los Angeles, CA"],
  ["San Francisco", "SF", "San Francisco, CA"],
];

function makeCases(n: number): BenchCase[] {
  const rand = mulberry32(16);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const cases: BenchCase[] = [];
  for (let k = 0; k < n; k++) {
    const withSets = chance(0.5);
    const kind = rand();
    let acceptable: AcceptableCall[];
    let plain: ToolCall[];
    let tools: ToolDef[];
    let raw: string[];
    if (kind < 0.35) {
      const base = 1 + Math.floor(rand() * 50);
      const height = 1 + Math.floor(rand() * 50);
      acceptable = [
        {
          name: TRIANGLE.function.name,
          arguments: { base: [base], height: [height], unit: ["units", ""] },
        },
      ];
      plain = [{ name: TRIANGLE.function.name, arguments: { base, height, unit: "units" } }];
      tools = [TRIANGLE];
      const b = chance(0.1) ? `${base}.0` : String(chance(0.05) ? base + 1 : base);
      const unit = chance(0.2) ? "" : `, "unit": "${chance(0.05) ? "cm" : "units"}"`;
      raw = [`{"base": ${b}, "height": ${height}${unit}}`];
    } else if (kind < 0.55) {
      const lo = Math.floor(rand() * 10);
      const hi = lo + 1 + Math.floor(rand() * 10);
      acceptable = [
        {
          name: CURVE.function.name,
          arguments: {
            function: ["x**2", "lambda x: x**2"],
            interval: [[lo, hi]],
            method: ["", "trapezoidal"],
          },
        },
      ];
      plain = [{ name: CURVE.function.name, arguments: { function: "x**2", interval: [lo, hi] } }];
      tools = [CURVE];
      const interval = chance(0.3) ? `[${lo}, ${hi}]` : `[${lo}.0, ${hi}.0]`;
      raw = [`{"function": "x**2", "interval": ${interval}}`];
    } else if (kind < 0.75) {
      const city = pick(CITIES);
      acceptable = [
        {
          name: CENSUS.function.name,
          arguments: { area: city, type: ["city"], year: ["", 2000] },
        },
      ];
      plain = [{ name: CENSUS.function.name, arguments: { area: city[0]!, type: "city" } }];
      tools = [CENSUS];
      let area = withSets ? pick(city) : city[0]!;
      if (chance(0.1)) area = area.replace(" ", "\\t");
      raw = [`{"area": "${area}", "type": "city"${chance(0.3) ? ', "year": 2000' : ""}}`];
    } else if (kind < 0.85) {
      const id = 1000 + Math.floor(rand() * 9000);
      acceptable = [
        {
          name: USER.function.name,
          arguments: {
            user_id: [id],
            update_info: [{ name: ["John Doe"], email: ["john@x.io", ""] }],
          },
        },
      ];
      plain = [
        {
          name: USER.function.name,
          arguments: { user_id: id, update_info: { name: "John Doe", email: "john@x.io" } },
        },
      ];
      tools = [USER];
      const email = chance(0.8) ? ', "email": "john@x.io"' : "";
      raw = [`{"user_id": ${id}, "update_info": {"name": "john doe"${email}}}`];
    } else {
      const count = 2 + Math.floor(rand() * 2);
      const plays = Array.from({ length: count }, (_, i) => ({
        artist: ARTISTS[(k + i) % ARTISTS.length]!,
        duration: 5 + Math.floor(rand() * 30),
      }));
      acceptable = plays.map((p) => ({
        name: SPOTIFY.function.name,
        arguments: { artist: [p.artist], duration: [p.duration] },
      }));
      plain = plays.map((p) => ({ name: SPOTIFY.function.name, arguments: { ...p } }));
      tools = [SPOTIFY];
      raw = plays
        .map((p) => `{"artist": "${p.artist}", "duration": ${p.duration}}`)
        .sort(() => (chance(0.5) ? 1 : -1));
    }
    const calls = raw.map((r) => ({
      name: tools[0]!.function.name,
      arguments: JSON.parse(r) as Record<string, unknown>,
    }));
    cases.push({
      expected: withSets ? { toolCalls: plain, acceptable } : { toolCalls: plain },
      tools,
      raw,
      calls,
    });
  }
  return cases;
}

/** One timed pass; returns cases/s and a checksum the work feeds, so none of it is skipped. */
function timed(run: () => number): { rate: number; sum: number } {
  const start = performance.now();
  const sum = run();
  const seconds = (performance.now() - start) / 1000;
  return { rate: CASES / seconds, sum };
}

function parseAll(cases: BenchCase[]): number {
  let keys = 0;
  for (const c of cases) {
    for (const r of c.raw) keys += Object.keys(JSON.parse(r) as object).length;
  }
  return keys;
}

function scoreAll(cases: BenchCase[], profile: ScoringProfile): number {
  let passed = 0;
  for (const c of cases) {
    const r = scoreToolCalls(c.expected, c.calls, c.tools, { profile, rawArguments: c.raw });
    passed += r.tool_call_accuracy.score;
  }
  return passed;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const cases = makeCases(CASES);
const sides = {
  "JSON.parse (arguments)": () => parseAll(cases),
  "scoreToolCalls retune": () => scoreAll(cases, "retune"),
  "scoreToolCalls bfcl": () => scoreAll(cases, "bfcl"),
} as const;
type Side = keyof typeof sides;
const rates: Record<Side, number[]> = {
  "JSON.parse (arguments)": [],
  "scoreToolCalls retune": [],
  "scoreToolCalls bfcl": [],
};
const sums = {} as Record<Side, number>;
for (const run of Object.values(sides)) run(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  // Sides alternate within each round, so load from other work falls on all of them.
  for (const [side, run] of Object.entries(sides) as [Side, () => number][]) {
    const t = timed(run);
    rates[side].push(t.rate);
    sums[side] = t.sum;
  }
}

const calls = cases.reduce((n, c) => n + c.raw.length, 0);
console.log(
  `${CASES.toLocaleString("en-US")} cases, ${calls.toLocaleString("en-US")} calls; median of ${ROUNDS} rounds (node ${process.version})`,
);
const floor = median(rates["JSON.parse (arguments)"]);
for (const side of Object.keys(sides) as Side[]) {
  const rate = median(rates[side]);
  const note =
    side === "JSON.parse (arguments)"
      ? ""
      : `  ${(floor / rate).toFixed(1)}× JSON.parse's time; passed ${((100 * sums[side]) / CASES).toFixed(1)}%`;
  console.log(
    `${side.padEnd(24)} ${Math.round(rate).toLocaleString("en-US").padStart(12)} cases/s${note}`,
  );
}

// ── Routing calibration (issue #17): the sweep of escalation thresholds over 10,000 cases ──
// sweepThresholds (sorted once, prefix sums) next to the plain loop it replaces: applyRule over
// every case for each of the same thresholds. Both must agree on every point; the figure is ms.
{
  const N = 10_000;
  const rand = mulberry32(20261205);
  const routing: CalibrationCase[] = Array.from({ length: N }, () => {
    const mean = -Math.abs(rand() * 1.5);
    return {
      candidateCorrect: rand() < 0.6 + 0.3 * Math.exp(mean) ? 1 : 0,
      frontierCorrect: rand() < 0.92 ? 1 : 0,
      meanLogprob: rand() < 0.02 ? null : mean,
      minLogprob: mean * (1 + rand() * 3),
      valid: rand() > 0.03,
      candidateCostUsd: 0.0006,
      frontierCostUsd: 0.012,
    };
  });
  const sweep = () => sweepThresholds(routing, { quantiles: 100 });
  const curve = sweep();
  const plain = () =>
    curve.points.map((pt) =>
      applyRule(
        { escalateWhenInvalid: true, minConfidence: pt.minConfidence, signal: "mean_logprob" },
        routing,
      ),
    );
  const check = plain();
  curve.points.forEach((pt, i) => {
    if (pt.kept !== check[i]!.kept) throw new Error(`sweep and plain loop disagree at point ${i}`);
  });
  const ms = (f: () => unknown) => {
    f();
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now();
      f();
      times.push(performance.now() - t0);
    }
    return median(times);
  };
  const sweepMs = ms(sweep);
  const plainMs = ms(plain);
  console.log(
    `routing sweep, ${N.toLocaleString("en-US")} cases × ${curve.points.length} thresholds: sweepThresholds ${sweepMs.toFixed(1)} ms; plain loop (applyRule per threshold) ${plainMs.toFixed(1)} ms`,
  );
}
