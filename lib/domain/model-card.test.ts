import { describe, expect, it } from "vitest";
import { gatePolicySchema } from "@/lib/schemas/gates";
import { modelCardSchema, type ModelCardInput } from "@/lib/schemas/model-cards";
import { evaluateGate } from "./gate";
import { escapeCell, renderModelCardMarkdown } from "./model-card";

const gate = evaluateGate({
  policy: gatePolicySchema.parse({
    minCases: 10,
    conditions: [
      { metric: "tool_call_accuracy", op: ">=", threshold: 0.7 },
      { metric: "tool_call_accuracy", op: ">=", threshold: -0.01, relativeTo: "production" },
    ],
  }),
  candidate: {
    metrics: { tool_call_accuracy: 0.62 },
    cases: Array.from({ length: 20 }, () => ({
      scores: {},
      reasons: {},
      slice: { tool: "get_weather", intent: null },
    })),
  },
  production: { metrics: { tool_call_accuracy: 0.6 }, cases: [] },
});

const full: ModelCardInput = {
  model: { id: "m1", name: "support-agent", description: "Routes support requests to tools." },
  version: {
    id: "mv3",
    version: 3,
    stage: "CANDIDATE",
    aliases: ["challenger"],
    createdAt: "2026-08-01T10:00:00.000Z",
    baseModel: "meta-llama/Llama-3.1-8B-Instruct",
    method: "QLORA",
    hyperparameters: { loraR: 16, learningRate: 0.0002, targetModules: ["q_proj", "v_proj"] },
    adapterFiles: [{ name: "adapter_model.safetensors", bytes: 33_554_432 }],
  },
  lineage: {
    datasetVersionId: "dv9",
    datasetName: "support-traces",
    version: 4,
    rows: 5200,
    provenance: { synthetic: 0.25, production_traces: 0.75 },
    evalDatasetVersionId: "dv10",
  },
  training: {
    jobId: "tj1",
    trigger: "DRIFT",
    gpuSeconds: 5400,
    costUsd: 3.3,
    finishedAt: "2026-08-01T09:00:00.000Z",
    finalLoss: 0.412,
    finalEvalLoss: null,
  },
  evals: [
    {
      targetKind: "BASE_MODEL",
      label: "Llama-3.1-8B",
      suiteName: "tool calls",
      metrics: { tool_call_accuracy: 0.41 },
    },
    {
      targetKind: "VERSION",
      label: "v3",
      suiteName: "tool calls",
      caseCount: 20,
      metrics: { tool_call_accuracy: 0.62, latency_p95_ms: 812 },
    },
    {
      targetKind: "PRODUCTION",
      label: "v2",
      suiteName: "tool calls",
      metrics: { tool_call_accuracy: 0.6 },
    },
  ],
  gateStatus: gate.status,
  gateFailures: gate.failures,
  gate,
  decisions: [{ passed: false, createdAt: "2026-08-01T11:00:00.000Z", failures: gate.failures }],
  approvals: [
    {
      decision: "REJECTED",
      by: "ada@example.com",
      comment: "wait for v4",
      at: "2026-08-02T08:00:00.000Z",
    },
  ],
  history: [
    {
      version: 2,
      stage: "PRODUCTION",
      createdAt: "2026-06-01T10:00:00.000Z",
      promotions: [
        {
          from: "CANDIDATE",
          to: "PRODUCTION",
          by: "ada@example.com",
          at: "2026-06-03T10:00:00.000Z",
          reason: "gate passed",
        },
      ],
    },
    { version: 3, stage: "CANDIDATE", createdAt: "2026-08-01T10:00:00.000Z", promotions: [] },
  ],
  narrative: {
    intendedUse: "Tier-1 support tool routing.",
    limitations: "English only | no refunds",
    owner: "ml-team",
  },
};

describe("renderModelCardMarkdown", () => {
  const card = modelCardSchema.parse(full);
  const { frontMatter, body } = renderModelCardMarkdown(card);

  it("builds Hugging Face-style front matter", () => {
    expect(frontMatter).toEqual({
      base_model: "meta-llama/Llama-3.1-8B-Instruct",
      library_name: "peft",
      license: "llama3.1", // from the base-model catalogue
      tags: ["lora", "qlora", "retune", "tool-calling"],
      datasets: ["support-traces"],
      "model-index": [
        {
          name: "support-agent v3",
          results: [
            {
              task: { type: "tool-calling" },
              dataset: { name: "tool calls", type: "tool calls" },
              metrics: [
                { type: "tool_call_accuracy", value: 0.62 },
                { type: "latency_p95_ms", value: 812 },
              ],
            },
          ],
        },
      ],
    });
  });

  it("renders every section with the key lines", () => {
    const headings = body.split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual([
      "# support-agent v3",
      "## Model details",
      "## Intended use",
      "## Limitations",
      "## Training data",
      "## Training procedure",
      "## Evaluation",
      "### Suite: tool calls",
      "## Gate decision",
      "## Routing",
      "## Cost",
      "## Version history",
    ]);
    const lines = body.split("\n");
    expect(lines).toContain("| Adapter files | adapter_model.safetensors (32.0 MiB) |");
    expect(lines).toContain("| production_traces | 75% |");
    expect(lines).toContain('| targetModules | ["q_proj","v_proj"] |');
    expect(lines).toContain("Loss: final training loss 0.412.");
    // Columns: this version, then production, then base, whatever order the evals came in.
    expect(lines).toContain(
      "| Metric | v3 (this version, n=20) | v2 (production) | Llama-3.1-8B (base) |",
    );
    expect(lines).toContain("| tool_call_accuracy | 0.62 | 0.60 | 0.41 |");
    expect(lines).toContain("| latency_p95_ms | 812 | — | — |");
    expect(lines).toContain("**Status: FAILED** — 20 cases evaluated (minimum 10).");
    expect(lines).toContain("| tool_call_accuracy >= 0.70 | 0.62 | 0.70 | FAIL |  |");
    expect(lines).toContain("| tool_call_accuracy >= production − 0.01 | 0.62 | 0.59 | pass |  |");
    expect(lines).toContain("- tool_call_accuracy 0.62 < 0.70");
    expect(lines).toContain("- 2026-08-02: REJECTED by ada@example.com — wait for v4");
    expect(body).toContain("Training: 1.50 GPU-hours, $3.30.");
    expect(lines).toContain(
      "| v2 | PRODUCTION | 2026-06-01 | CANDIDATE → PRODUCTION, 2026-06-03 by ada@example.com (gate passed) |",
    );
    expect(lines).toContain("| v3 (this version) | CANDIDATE | 2026-08-01 | — |");
    expect(body).not.toContain("No production version yet");
  });

  it("labels compute time by its device: a CPU run has CPU-hours, not GPU time", () => {
    const render = (training: object) =>
      renderModelCardMarkdown(
        modelCardSchema.parse({ ...full, training: { ...full.training, ...training } }),
      ).body;
    const cpu = render({ gpuSeconds: null, costUsd: 0, compute: { device: "CPU", seconds: 126 } });
    expect(cpu).toContain("Training: 0.04 CPU-hours, $0.00.");
    expect(cpu).not.toContain("GPU");
    expect(render({ compute: { device: "GPU", seconds: 7200 } })).toContain(
      "Training: 2.00 GPU-hours, $3.30.",
    );
  });

  it("escapes pipes and newlines in table cells", () => {
    expect(escapeCell("a|b\nc")).toBe("a\\|b c");
    const { body: b } = renderModelCardMarkdown(
      modelCardSchema.parse({
        ...full,
        version: { ...full.version, aliases: ["x|y"], hyperparameters: { note: "a | b" } },
      }),
    );
    expect(b).toContain("| Aliases | x\\|y |");
    expect(b).toContain("| note | a \\| b |");
  });

  it("says what is missing for a first, untrained, unevaluated version", () => {
    const bare = modelCardSchema.parse({
      ...full,
      version: {
        ...full.version,
        method: null,
        license: "apache-2.0",
        hyperparameters: {},
        adapterFiles: [],
      },
      lineage: null,
      training: null,
      evals: [{ targetKind: "VERSION", label: "v1", suiteName: "s", metrics: { exact_match: 1 } }],
      gateStatus: "NOT_EVALUATED",
      gateFailures: [],
      gate: null,
      decisions: [],
      approvals: [],
      history: [],
      narrative: {},
    });
    const { frontMatter: fm, body: b } = renderModelCardMarkdown(bare);
    expect(fm.license).toBe("apache-2.0");
    expect(fm.datasets).toBeUndefined();
    expect(fm.tags).toEqual(["lora", "retune", "tool-calling"]);
    for (const text of [
      "_Not documented yet._",
      "No training dataset recorded for this version.",
      "No training job recorded",
      "No hyperparameters recorded.",
      "No production version yet: nothing to compare with.",
      "**Status: NOT_EVALUATED** — no gate evaluation yet.",
      "No training cost recorded.",
      "No other versions.",
      "No routing calibration yet",
    ])
      expect(b).toContain(text);
  });

  it("tells an unevaluated production version apart from none, and no evals at all", () => {
    const { body: b } = renderModelCardMarkdown(
      modelCardSchema.parse({
        ...full,
        evals: full.evals.filter((e) => e.targetKind !== "PRODUCTION"),
      }),
    );
    expect(b).toContain("Production (v2) has not been evaluated on this suite.");
    const { frontMatter: fm, body: none } = renderModelCardMarkdown(
      modelCardSchema.parse({ ...full, evals: [] }),
    );
    expect(none).toContain("## Evaluation\n\nNo evaluation yet.");
    expect(fm["model-index"]).toBeUndefined();
  });
});

describe("gate section with slices and intervals", () => {
  it("renders a row per slice and per interval", () => {
    const cases = (k: number) =>
      Array.from({ length: 30 }, (_, i) => ({
        scores: { tool_call_accuracy: (i < k ? 1 : 0) as 0 | 1 },
        reasons: {},
        slice: { tool: i < 2 ? "rare|tool" : "get_weather", intent: null },
      }));
    const g = evaluateGate({
      policy: gatePolicySchema.parse({
        minCases: 10,
        sliceConditions: [{ metric: "tool_call_accuracy", by: "tool", maxRegression: 0.05 }],
        ciConditions: [{ metric: "tool_call_accuracy" }],
      }),
      candidate: { metrics: { tool_call_accuracy: 0.5 }, cases: cases(15) },
      production: { metrics: { tool_call_accuracy: 0.5 }, cases: cases(15) },
    });
    const { body } = renderModelCardMarkdown(
      modelCardSchema.parse({ ...full, gateStatus: g.status, gateFailures: g.failures, gate: g }),
    );
    const lines = body.split("\n");
    expect(lines).toContain(
      "| tool=get_weather | tool_call_accuracy | 0.4643 | 0.4643 | 0 | 0.05 | 28 | pass |",
    );
    expect(lines).toContain(
      "| tool=rare\\|tool | tool_call_accuracy | 1 | 1 | 0 | 0.05 | 2 | skipped (fewer than 5 paired cases) |",
    );
    expect(lines).toContain("| tool_call_accuracy (95%, n=30) | 0 | [0, 0] | 0 | FAIL |");
  });
});

describe("gate section without evidence", () => {
  it("never reads as passed: a policy-less, unevaluated version says what is missing", () => {
    const { body } = renderModelCardMarkdown(
      modelCardSchema.parse({
        ...full,
        evals: [],
        gateStatus: "NOT_EVALUATED",
        gateFailures: [
          "no evaluation of this version has finished",
          "the Model has no gate policy: add one to decide this version",
        ],
        gate: null,
        decisions: [],
      }),
    );
    const section = body.slice(body.indexOf("## Gate decision"), body.indexOf("## Cost"));
    expect(section).toContain("**Status: NOT_EVALUATED** — no gate evaluation yet.");
    expect(section).toContain(
      "Why it has not passed:\n\n- no evaluation of this version has finished",
    );
    expect(section).toContain("- the Model has no gate policy: add one to decide this version");
    expect(section).not.toContain("PASSED");
  });

  it("leaves out the condition table of an undecided gate and names stored statuses", () => {
    const undecided = evaluateGate({
      policy: gatePolicySchema.parse({
        conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.7 }],
      }),
      candidate: null,
      production: null,
    });
    const { body } = renderModelCardMarkdown(
      modelCardSchema.parse({
        ...full,
        gateStatus: "PENDING",
        gateFailures: ["waiting for the candidate's evaluation"],
        gate: undecided,
        decisions: [
          {
            status: "NOT_EVALUATED",
            passed: false,
            createdAt: "2026-08-01T11:00:00.000Z",
            failures: [],
          },
        ],
      }),
    );
    expect(body).toContain("**Status: PENDING** — not decided yet.");
    expect(body).not.toContain("| Condition |");
    expect(body).toContain("- 2026-08-01: not evaluated");
  });

  it("reports the leakage check with the decided gate", () => {
    const leaky = evaluateGate({
      policy: gatePolicySchema.parse({ minCases: 1 }),
      candidate: {
        metrics: { tool_call_accuracy: 1 },
        cases: gate.conditions.map(() => ({
          scores: {},
          reasons: {},
          slice: { tool: "t", intent: null },
        })),
      },
      production: null,
      leakage: {
        suiteDatasetVersionId: "dv1",
        suiteSplit: "all",
        trainingDatasetVersionId: "dv1",
        suiteCases: 30,
        overlapping: 12,
      },
    });
    const { body } = renderModelCardMarkdown(
      modelCardSchema.parse({
        ...full,
        gateStatus: leaky.status,
        gateFailures: leaky.failures,
        gate: leaky,
      }),
    );
    expect(body).toContain("**Status: FAILED**");
    expect(body).toContain(
      "Suite vs training data: 12 of 30 suite cases are in the candidate's training data (leakage).",
    );
    expect(body).toContain("- 12 of 30 suite cases are in the candidate's training data (leakage)");
  });
});

describe("routing section", () => {
  it("states the chosen rule, the hybrid against frontier-only, and the prices used", () => {
    const { body } = renderModelCardMarkdown(
      modelCardSchema.parse({
        ...full,
        routing: {
          calibrationId: "rc1",
          suiteName: "tool calls",
          frontierLabel: "gpt-4o @ api.openai.com",
          cases: 200,
          metric: "tool_call_accuracy",
          signal: "mean_logprob",
          margin: 0.01,
          rule: { escalateWhenInvalid: true, minConfidence: -0.25, signal: "mean_logprob" },
          ruleDescription:
            "Escalate to the frontier model when the small model's output is invalid or its mean token log-probability is below -0.25.",
          keptShare: 0.815,
          hybridAccuracy: 0.91,
          costPer1kUsd: 0.4213,
          frontierAccuracy: 0.915,
          frontierCostPer1kUsd: 2.5,
          prices: "gpt-4o @ api.openai.com: the eval endpoint's prices",
          createdAt: "2026-08-02T10:00:00.000Z",
        },
      }),
    );
    const section = body.slice(body.indexOf("## Routing"), body.indexOf("## Cost"));
    const lines = section.split("\n");
    expect(lines).toContain(
      "Calibrated 2026-08-02 on suite tool calls (200 cases, correctness by tool_call_accuracy) against gpt-4o @ api.openai.com, thresholding the mean token log-probability within 0.01 of frontier-only accuracy.",
    );
    expect(section).toContain("(τ = -0.25)");
    expect(lines).toContain("| Hybrid (chosen τ) | 81.5% | 0.91 | $0.421 |");
    expect(lines).toContain("| Frontier only | 0% | 0.915 | $2.50 |");
    expect(lines).toContain("Prices: gpt-4o @ api.openai.com: the eval endpoint's prices.");
  });
});
