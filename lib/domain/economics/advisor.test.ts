import { describe, expect, it } from "vitest";
import { adviceSchema, SITUATION_IDS, type AdvisorInputBody } from "@/lib/schemas/economics";
import { advise, SITUATIONS } from "./advisor";

const ids = (a: ReturnType<typeof advise>) => a.warnings.map((w) => w.antiPattern);

describe("the decision table", () => {
  it("has one row per situation, each with an approach and a reason", () => {
    expect(SITUATIONS.map((s) => s.id)).toEqual([...SITUATION_IDS]);
    for (const s of SITUATIONS) expect(s.reason.length).toBeGreaterThan(5);
  });
});

describe("combining situations", () => {
  it("starts on a frontier model when nothing calls for fine-tuning", () => {
    const a = advise({});
    expect(a.approach).toBe("frontier_first");
    expect(a.reasons).toEqual([]);
    expect(a.notes[0]).toMatch(/No checked situation/);
    expect(adviceSchema.parse(a)).toEqual(a);
  });
  it("lets 'still exploring' win, keeping the rest to revisit", () => {
    const a = advise({ situations: ["frequent_tool_calls", "exploring"] });
    expect(a.approach).toBe("frontier_first");
    expect(a.fineTune).toEqual([]);
    expect(a.notes.join(" ")).toMatch(/Revisit .*frequent tool calls/);
  });
  it("fine-tunes the components the fine-tuning rows name", () => {
    const a = advise({ situations: ["frequent_tool_calls", "many_tools", "structured_output"] });
    expect(a.approach).toBe("fine_tune");
    expect(a.fineTune).toEqual(["tool-call format", "tool selection", "the output format"]);
    expect(a.keepOnFrontier).toEqual([]);
    expect(a.reasons.map((r) => r.reason)).toEqual([
      "Format reliability, and a lower cost per call.",
      "Routing among many tools benefits from specialisation.",
      "General models are inconsistent on formats.",
    ]);
  });
  it("makes a hybrid when fine-tuning rows meet rows that need the frontier", () => {
    const a = advise({
      situations: ["frequent_tool_calls", "complex_planning", "creative_output"],
    });
    expect(a.approach).toBe("hybrid");
    expect(a.fineTune).toEqual(["tool-call format"]);
    expect(a.keepOnFrontier).toEqual(["orchestration (plan-and-execute)", "creative generation"]);
  });
  it("keeps frontier-only rows on the frontier", () => {
    expect(advise({ situations: ["creative_output"] }).approach).toBe("frontier_only");
    expect(advise({ situations: ["complex_planning", "creative_output"] }).approach).toBe(
      "frontier_only",
    );
  });
  it("makes high volume a hybrid, unless the planner's break-even says otherwise", () => {
    expect(advise({ situations: ["high_volume_cost_sensitive"] }).approach).toBe("hybrid");
    const below = advise({
      situations: ["high_volume_cost_sensitive"],
      economics: { invocationsPerMonth: 1_000_000, breakEvenInvocationsPerMonth: 2_941_297.4 },
    });
    expect(below.approach).toBe("frontier_only");
    expect(below.notes.join(" ")).toContain(
      "1,000,000 invocations a month is below the break-even of 2,941,298",
    );
    const above = advise({
      situations: ["high_volume_cost_sensitive"],
      economics: { invocationsPerMonth: 5_000_000, breakEvenInvocationsPerMonth: 2_941_297.4 },
    });
    expect(above.approach).toBe("hybrid");
    expect(above.notes.join(" ")).toMatch(/above the break-even/);
    const never = advise({
      situations: ["high_volume_cost_sensitive"],
      economics: { invocationsPerMonth: 5_000_000, breakEvenInvocationsPerMonth: null },
    });
    expect(never.approach).toBe("frontier_only");
    expect(never.notes.join(" ")).toMatch(/never pays for itself/);
  });
  it("keeps a hybrid with other reasons below the break-even, saying cost is not one of them", () => {
    const a = advise({
      situations: ["high_volume_cost_sensitive", "structured_output"],
      economics: { invocationsPerMonth: 1_000_000, breakEvenInvocationsPerMonth: 3_000_000 },
    });
    expect(a.approach).toBe("hybrid");
    expect(a.notes.join(" ")).toMatch(/savings alone do not pay/);
  });
  it("notes latency against frontier escalations, production traces and careful validation", () => {
    const a = advise({
      situations: [
        "latency_critical",
        "complex_planning",
        "in_production_6_months",
        "narrow_task_high_accuracy",
      ],
    });
    expect(a.approach).toBe("hybrid");
    const notes = a.notes.join(" ");
    expect(notes).toMatch(/latency budget/);
    expect(notes).toMatch(/production traces/);
    expect(notes).toMatch(/Validate carefully/);
  });
});

describe("anti-patterns", () => {
  const base: AdvisorInputBody = { situations: ["frequent_tool_calls"] };
  it("raise nothing for a surgical, evaluated, re-tuned plan on production traces", () => {
    const a = advise({
      ...base,
      plan: {
        targets: ["tool_call_format"],
        trainingData: "production_traces",
        hasEvalHarness: true,
        retuneCadence: "quarterly",
      },
    });
    expect(a.warnings).toEqual([]);
  });
  it("warn about fine-tuning the orchestration layer, and the whole agent end to end", () => {
    expect(ids(advise({ ...base, plan: { targets: ["orchestration"] } }))).toEqual([
      "fine_tuning_orchestration",
    ]);
    expect(ids(advise({ ...base, plan: { targets: ["whole_agent"] } }))).toEqual([
      "fine_tuning_orchestration",
      "fine_tuning_end_to_end",
    ]);
    // orchestration never appears among the things to fine-tune
    expect(
      advise({ ...base, plan: { targets: ["orchestration", "tool_selection"] } }).fineTune,
    ).toEqual(["tool-call format", "tool selection"]);
  });
  it("warn about synthetic traces, and only inform about mixed data", () => {
    const synthetic = advise({
      ...base,
      plan: { targets: [], trainingData: "synthetic" },
    }).warnings;
    expect(synthetic.map((w) => [w.antiPattern, w.severity])).toEqual([
      ["synthetic_traces", "warning"],
    ]);
    const mixed = advise({ ...base, plan: { targets: [], trainingData: "mixed" } }).warnings;
    expect(mixed.map((w) => [w.antiPattern, w.severity])).toEqual([["synthetic_traces", "info"]]);
  });
  it("warn about a missing eval harness and a one-time fine-tune when fine-tuning is in play", () => {
    const plan = { targets: [], hasEvalHarness: false, retuneCadence: "never" as const };
    expect(ids(advise({ ...base, plan }))).toEqual(["no_eval_harness", "one_time_investment"]);
    // a team told to stay on the frontier is not warned about fine-tuning hygiene
    expect(ids(advise({ situations: ["exploring"], plan }))).toEqual([]);
    // unknown is not false
    expect(ids(advise({ ...base, plan: { targets: [] } }))).toEqual([]);
  });
  it("warn about a frontier API for every call at high volume", () => {
    expect(
      ids(
        advise({
          situations: ["high_volume_cost_sensitive"],
          plan: { targets: [], currentSetup: "frontier_only" },
        }),
      ),
    ).toEqual(["frontier_for_everything"]);
    expect(
      ids(
        advise({
          situations: ["creative_output"],
          plan: { targets: [], currentSetup: "frontier_only" },
        }),
      ),
    ).toEqual([]);
  });
});
