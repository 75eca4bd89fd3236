import { describe, expect, it } from "vitest";
import { statsSchema } from "@/lib/schemas/datasets";
import { hashString, splitOf } from "./example-hash";
import { bucketOf, DatasetStatsAccumulator, datasetFindings, OTHER_TOOLS } from "./stats";
import type { NormalizedExample } from "./types";
import type { ExampleResult } from "./validate-example";

const result = (
  example: NormalizedExample,
  total: number,
  assistant = Math.floor(total / 2),
): ExampleResult => ({
  findings: [],
  example,
  tokens: { total, assistant },
  detected: example.kind === "chat" ? "chat" : "completion",
});

const chatExample = (
  toolNames: string[] = [],
  source: string | null = null,
): NormalizedExample => ({
  kind: "chat",
  source,
  tools: [],
  messages: [
    { role: "system", content: "s" },
    { role: "user", content: "u" },
    ...(toolNames.length > 0
      ? [
          {
            role: "assistant" as const,
            content: null,
            tool_calls: toolNames.map((name) => ({ function: { name, arguments: "{}" } })),
          },
          { role: "tool" as const, content: "r" },
        ]
      : []),
    { role: "assistant", content: "a" },
  ],
});

const completion = (source: string | null = null): NormalizedExample => ({
  kind: "completion",
  prompt: "p",
  completion: "c",
  source,
});

const OPTS = { tokenizer: "llama3", exact: true, sourceFormat: "chat" as const, evalFraction: 0.1 };

describe("DatasetStatsAccumulator", () => {
  it("produces statsSchema-shaped statistics", () => {
    const s = new DatasetStatsAccumulator();
    s.addBlank();
    s.addRow(); // an invalid row
    const rows: [NormalizedExample, number, number][] = [
      [chatExample(["get_weather", "get_weather"], "production_traces"), 100, 60],
      [chatExample(["search"]), 50, 10],
      [chatExample(), 10, 5],
      [completion("synthetic"), 300, 200],
    ];
    rows.forEach(([example, total, assistant], i) => {
      s.addRow();
      s.add(result(example, total, assistant), hashString(`r${i}`), "human_labelled");
    });
    const stats = s.finalize(OPTS);
    expect(statsSchema.parse(stats)).toEqual(stats);
    expect(stats).toMatchObject({
      rows: 5,
      validRows: 4,
      blankLines: 1,
      sourceFormat: "chat",
      tokens: {
        total: 460,
        mean: 115,
        p50: 50,
        p95: 300,
        max: 300,
        exact: true,
        tokenizer: "llama3",
      },
      assistantTokenShare: 275 / 460,
      // turns exclude system messages: 4, 4, 2, and 2 for a completion
      turns: { mean: 3, max: 4 },
      toolCallShare: 0.5,
      toolCounts: { get_weather: 2, search: 1 },
      provenance: { production_traces: 0.25, human_labelled: 0.5, synthetic: 0.25 },
      lengthHistogram: [
        { upTo: 64, count: 2 },
        { upTo: 128, count: 1 },
        { upTo: 256, count: 0 },
        { upTo: 512, count: 1 },
      ],
    });
    const evalRows = [0, 1, 2, 3].filter(
      (i) => splitOf(hashString(`r${i}`), 0.1) === "eval",
    ).length;
    expect(stats.split).toEqual({ train: 4 - evalRows, eval: evalRows, evalFraction: 0.1 });
  });

  it("is all zeros (never NaN) with no valid rows", () => {
    const s = new DatasetStatsAccumulator();
    s.addRow();
    const stats = s.finalize({ ...OPTS, sourceFormat: null });
    expect(statsSchema.parse(stats)).toEqual(stats);
    expect(stats).toEqual({
      rows: 1,
      validRows: 0,
      blankLines: 0,
      sourceFormat: null,
      tokens: { total: 0, mean: 0, p50: 0, p95: 0, max: 0, exact: true, tokenizer: "llama3" },
      assistantTokenShare: 0,
      turns: { mean: 0, max: 0 },
      toolCallShare: 0,
      toolCounts: {},
      provenance: {},
      lengthHistogram: [],
      split: { train: 0, eval: 0, evalFraction: 0.1 },
    });
  });

  it("computes nearest-rank percentiles over many rows (grows its token array)", () => {
    const s = new DatasetStatsAccumulator();
    for (let i = 1; i <= 5000; i++) s.add(result(completion(), i), i, null);
    const stats = s.finalize(OPTS);
    expect(stats.tokens).toMatchObject({ p50: 2500, p95: 4750, max: 5000, mean: 2500.5 });
    expect(stats.provenance).toEqual({ unknown: 1 });
    expect(stats.lengthHistogram.at(-1)).toEqual({ upTo: 8192, count: 5000 - 4096 });
    // hash = i: rows with i mod 10000 below 1000 go to eval.
    expect(stats.split).toEqual({ train: 4001, eval: 999, evalFraction: 0.1 });
    // The same accumulator answers for another evalFraction.
    expect(s.finalize({ ...OPTS, evalFraction: 0.2 }).split.eval).toBe(1999);
  });

  it("counts the split exactly as splitOf assigns rows", () => {
    const s = new DatasetStatsAccumulator();
    let evalRows = 0;
    for (let i = 0; i < 3000; i++) {
      const h = hashString(`row ${i}`);
      if (splitOf(h, 0.15) === "eval") evalRows++;
      s.add(result(completion(), 10), h, null);
    }
    expect(s.finalize({ ...OPTS, evalFraction: 0.15 }).split.eval).toBe(evalRows);
  });

  it("caps distinct tool names", () => {
    const s = new DatasetStatsAccumulator();
    for (let i = 0; i < 1005; i++) s.add(result(chatExample([`tool_${i}`]), 10), i, null);
    const counts = s.finalize(OPTS).toolCounts;
    expect(Object.keys(counts)).toHaveLength(1001);
    expect(counts[OTHER_TOOLS]).toBe(5);
  });

  it("keeps a tool named __proto__ as a plain key", () => {
    const s = new DatasetStatsAccumulator();
    s.add(result(chatExample(["__proto__"]), 10), 1, null);
    const stats = s.finalize(OPTS);
    expect(Object.keys(stats.toolCounts)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(stats.toolCounts)).toBe(Object.prototype);
    // zod's record parsing drops the key when the stats are read back: harmless, not polluting.
    expect(() => statsSchema.parse(stats)).not.toThrow();
  });

  it("refuses rows without an example", () => {
    const s = new DatasetStatsAccumulator();
    expect(() =>
      s.add({ findings: [], example: null, tokens: null, detected: null }, 1, null),
    ).toThrow(/valid rows only/);
  });
});

describe("bucketOf", () => {
  it("maps token counts to power-of-two buckets from 64", () => {
    expect([0, 1, 64, 65, 128, 129, 256, 257, 1 << 20].map(bucketOf)).toEqual([
      0, 0, 0, 1, 1, 2, 2, 3, 14,
    ]);
  });
});

describe("datasetFindings", () => {
  const statsWith = (provenance: Record<string, number>) => {
    const s = new DatasetStatsAccumulator();
    s.add(result(completion(), 10), 1, null);
    return { ...s.finalize(OPTS), provenance };
  };

  it("warns when most examples are synthetic", () => {
    expect(datasetFindings(statsWith({ synthetic: 0.6, production_traces: 0.4 }))).toEqual([
      {
        line: null,
        severity: "warning",
        code: "synthetic_majority",
        message:
          "60% of valid examples are synthetic; production traces of the component's real inputs are the better training data (synthetic data teaches the generator's habits, not your users' traffic)",
      },
    ]);
  });

  it("is quiet at half or less", () => {
    expect(datasetFindings(statsWith({ synthetic: 0.5, human_labelled: 0.5 }))).toEqual([]);
    expect(datasetFindings(statsWith({ mixed: 1 }))).toEqual([]);
  });

  it("counts a declared synthetic upload without per-row sources", () => {
    const s = new DatasetStatsAccumulator();
    s.add(result(completion(), 10), 1, "synthetic");
    s.add(result(completion("production_traces"), 10), 2, "synthetic");
    s.add(result(completion(), 10), 3, "synthetic");
    expect(datasetFindings(s.finalize(OPTS)).map((f) => f.code)).toEqual(["synthetic_majority"]);
  });
});

describe("DatasetStatsAccumulator.absorb", () => {
  it("gives the same statistics as one accumulator over all rows", async () => {
    const { validateExample } = await import("./validate-example");
    const { testContext } = await import("./test-context");
    const rows = Array.from({ length: 40 }, (_, i) => ({
      messages: [
        { role: "user", content: `question ${i} ${"x".repeat(i * 7)}` },
        { role: "assistant", content: `answer ${i}` },
      ],
      metadata: { source: i % 3 ? "production_traces" : "synthetic" },
    }));
    const results = rows.map((r, i) => validateExample(r, testContext({ line: i + 1 })));
    const one = new DatasetStatsAccumulator();
    const a = new DatasetStatsAccumulator();
    const b = new DatasetStatsAccumulator();
    results.forEach((r, i) => {
      one.add(r, i * 7919, null);
      (i % 2 ? a : b).add(r, i * 7919, null);
    });
    const merged = new DatasetStatsAccumulator();
    merged.absorb(a.snapshot());
    merged.absorb(structuredClone(b.snapshot()));
    const opts = { tokenizer: "t", exact: true, sourceFormat: null, evalFraction: 0.2 };
    expect(merged.finalize(opts)).toEqual(one.finalize(opts));
  });
});
