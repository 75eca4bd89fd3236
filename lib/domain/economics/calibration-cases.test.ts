import { describe, expect, it } from "vitest";
import type { ServingPrice } from "@/lib/schemas/economics";
import type { CaseOutput, CaseScores } from "@/lib/schemas/eval-metrics";
import type { CallPricing } from "@/lib/schemas/routing-calibration";
import {
  calibrationCases,
  callCostUsd,
  correctOf,
  describePricing,
  outputValidity,
  pickMetric,
  type StoredCase,
} from "./calibration-cases";

const tools = [
  { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
];
const call = { text: null, toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }] };

function stored(
  output: Partial<CaseOutput>,
  scores: CaseScores["scores"],
  extra: Partial<StoredCase> = {},
): StoredCase {
  return {
    index: 0,
    passed: Object.values(scores).every((s) => s === 1),
    tools,
    expected: call,
    output: {
      text: "",
      toolCalls: [{ name: "get_weather", arguments: { city: "Paris" } }],
      latencyMs: 10,
      promptTokens: 1_000,
      completionTokens: 100,
      ...output,
    },
    scores: { scores, reasons: {}, slice: { tool: "get_weather", intent: null } },
    ...extra,
  };
}

describe("outputValidity", () => {
  it("accepts a parsed call to an offered tool with valid arguments", () => {
    expect(outputValidity(stored({}, { json_validity: 1, schema_validity: 1 }))).toEqual({
      valid: true,
      reason: null,
    });
  });

  it("refuses what an agent can see is broken: an error, an unparsed call, an unknown tool, bad arguments", () => {
    expect(outputValidity(stored({ error: "HTTP 400" }, {})).valid).toBe(false);
    expect(outputValidity(stored({ toolCalls: null }, { json_validity: 0 })).reason).toBe(
      "the tool call did not parse",
    );
    expect(
      outputValidity(stored({ toolCalls: [{ name: "send_email", arguments: {} }] }, {})).reason,
    ).toBe("send_email is not a tool the case offers");
    expect(outputValidity(stored({}, { json_validity: 0, schema_validity: 1 })).valid).toBe(false);
    expect(outputValidity(stored({}, { json_validity: 1, schema_validity: 0 })).valid).toBe(false);
  });

  it("keeps a text answer where a call was expected valid: nothing at run time says a call was due", () => {
    // json_validity scores 0 here only because no call was made.
    expect(outputValidity(stored({ toolCalls: [] }, { json_validity: 0 })).valid).toBe(true);
  });

  it("refuses a text answer that is not JSON when the reference is a JSON document", () => {
    const c = stored(
      { toolCalls: [], text: "{oops" },
      { json_validity: 0 },
      {
        expected: { text: '{"a": 1}', toolCalls: [] },
      },
    );
    expect(outputValidity(c).reason).toBe("the answer is not valid JSON");
  });
});

describe("pickMetric and correctOf", () => {
  it("prefers tool_call_accuracy, then a text match both runs scored", () => {
    const a = [stored({}, { tool_call_accuracy: 1, exact_match: 1 })];
    expect(pickMetric(a, a)).toBe("tool_call_accuracy");
    const b = [stored({}, { exact_match: 0 })];
    expect(pickMetric(a, b)).toBe("exact_match");
    expect(pickMetric([stored({}, {})], a)).toBeNull();
  });

  it("reads the metric, or whether the case passed where the metric does not apply", () => {
    expect(correctOf(stored({}, { tool_call_accuracy: 0 }), "tool_call_accuracy")).toBe(0);
    expect(correctOf(stored({}, { exact_match: 1 }), "tool_call_accuracy")).toBe(1);
    expect(correctOf(stored({}, { exact_match: 0 }), "tool_call_accuracy")).toBe(0);
  });
});

describe("callCostUsd", () => {
  const serving: ServingPrice = {
    kind: "self_hosted",
    id: "l4",
    label: "L4",
    gpuType: "L4",
    usdPerGpuHour: 0.8,
    gpusPerReplica: 1,
    replicas: 1,
    throughputTokensPerSec: 2_000,
    throughputBasis: "configured",
    utilisation: 0.5,
    asOf: "2026-01-01",
    source: "test",
  };

  it("prices endpoint tokens, frontier list prices and self-hosted replica time", () => {
    const endpoint: CallPricing = {
      source: "endpoint",
      runId: "r",
      label: "frontier",
      inputUsdPerMTok: 3,
      outputUsdPerMTok: 15,
    };
    // 1,000 × $3/M + 100 × $15/M
    expect(callCostUsd(endpoint, 1_000, 100)).toBeCloseTo(0.0045, 15);
    expect(
      callCostUsd(
        {
          source: "price_list",
          entry: {
            kind: "frontier",
            id: "f",
            provider: "p",
            model: "m",
            inputUsdPerMTok: 3,
            outputUsdPerMTok: 15,
            asOf: "2026-01-01",
            source: "test",
          },
        },
        1_000,
        100,
      ),
    ).toBeCloseTo(0.0045, 15);
    // A replica sells 2,000 tok/s × 3,600 s × 0.5 = 3.6M tokens an hour for $0.80: 1,100 tokens
    // take 1,100 / 3.6M of it.
    expect(callCostUsd({ source: "price_list", entry: serving }, 1_000, 100)).toBeCloseTo(
      (0.8 * 1_100) / 3_600_000,
      15,
    );
    expect(callCostUsd(endpoint, null, null)).toBe(0);
  });
});

describe("calibrationCases", () => {
  it("pairs the runs case by case with correctness, validity, confidence and costs", () => {
    const candidate = [
      stored(
        { logprobs: { mean: -0.1, min: -0.5, tokens: 10 } },
        { tool_call_accuracy: 1, json_validity: 1, schema_validity: 1 },
      ),
      stored({ toolCalls: null }, { tool_call_accuracy: 0, json_validity: 0 }, { index: 1 }),
    ];
    const frontier = [
      stored({ promptTokens: 2_000, completionTokens: 50 }, { tool_call_accuracy: 0 }),
      stored({}, { tool_call_accuracy: 1 }, { index: 1 }),
    ];
    const perToken = (usd: number): CallPricing => ({
      source: "endpoint",
      runId: "r",
      label: "x",
      inputUsdPerMTok: usd,
      outputUsdPerMTok: usd,
    });
    const { cases, stats } = calibrationCases({
      candidate,
      frontier,
      metric: "tool_call_accuracy",
      prices: { candidate: perToken(1), frontier: perToken(10) },
    });
    expect(cases).toEqual([
      {
        id: "0",
        candidateCorrect: 1,
        frontierCorrect: 0,
        meanLogprob: -0.1,
        minLogprob: -0.5,
        valid: true,
        candidateCostUsd: 1_100 / 1e6,
        frontierCostUsd: 20_500 / 1e6,
      },
      {
        id: "1",
        candidateCorrect: 0,
        frontierCorrect: 1,
        meanLogprob: null,
        minLogprob: null,
        valid: false,
        candidateCostUsd: 1_100 / 1e6,
        frontierCostUsd: 11_000 / 1e6,
      },
    ]);
    expect(stats).toEqual({
      cases: 2,
      withoutConfidence: 1,
      invalid: 1,
      candidateCorrect: 1,
      frontierCorrect: 1,
    });
  });
});

describe("describePricing", () => {
  it("names the prices and where they come from", () => {
    expect(
      describePricing({
        source: "endpoint",
        runId: "r",
        label: "gpt-4o @ api",
        inputUsdPerMTok: 2.5,
        outputUsdPerMTok: 10,
      }),
    ).toBe(
      "gpt-4o @ api: the eval endpoint's prices, $2.5 / $10 per million input / output tokens",
    );
    expect(
      describePricing({
        source: "price_list",
        entry: {
          kind: "self_hosted",
          id: "l4",
          label: "Llama 3.1 8B on L4",
          gpuType: "L4",
          usdPerGpuHour: 0.8,
          gpusPerReplica: 1,
          replicas: 1,
          throughputTokensPerSec: 2_000,
          throughputBasis: "configured",
          utilisation: 0.5,
          asOf: "2026-01-01",
          source: "test",
        },
      }),
    ).toBe(
      "Llama 3.1 8B on L4: 1 × L4 at $0.8 per GPU-hour, 2000 tokens/s (configured) at 50% utilisation, as of 2026-01-01",
    );
  });
});
