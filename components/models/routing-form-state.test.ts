import { describe, expect, it } from "vitest";
import type { RoutingCurve } from "@/lib/schemas/economics";
import type { EvalRun } from "@/lib/schemas/evals";
import {
  candidateRuns,
  curveData,
  frontierRuns,
  INITIAL_ROUTING_FORM,
  routingBody,
} from "./routing-form-state";

function run(
  id: string,
  extra: Partial<EvalRun> & { kind?: EvalRun["target"]["kind"]; version?: string | null },
): EvalRun {
  const { kind = "ENDPOINT", version = null, ...rest } = extra;
  return {
    id,
    suiteId: "s1",
    suiteName: "suite",
    scoringProfile: "retune",
    turns: "first",
    status: "SUCCEEDED",
    target: { kind, label: id, modelVersionId: version, baseModel: null, endpoint: null },
    metrics: {},
    slices: {},
    caseCount: 10,
    casesDone: 10,
    progress: 1,
    error: null,
    createdAt: "2026-12-01T00:00:00.000Z",
    startedAt: null,
    finishedAt: null,
    ...rest,
  };
}

describe("run choices", () => {
  const mine = run("mine", { kind: "MODEL_VERSION", version: "v1" });
  const runs = [
    mine,
    run("failed-mine", { kind: "MODEL_VERSION", version: "v1", status: "FAILED" }),
    run("base", { kind: "BASE_MODEL", createdAt: "2026-12-03T00:00:00.000Z" }),
    run("frontier", {}),
    run("other-suite", { suiteId: "s2" }),
    run("running", { status: "RUNNING" }),
  ];

  it("offers the version's finished runs as the candidate", () => {
    expect(candidateRuns(runs, "v1").map((r) => r.id)).toEqual(["mine"]);
  });

  it("offers finished runs of the same suite on other targets, endpoints first", () => {
    expect(frontierRuns(runs, mine, "v1").map((r) => r.id)).toEqual(["frontier", "base"]);
    expect(frontierRuns(runs, undefined, "v1")).toEqual([]);
  });
});

describe("routingBody", () => {
  it("turns accuracy points into a margin and asks for both runs", () => {
    expect(routingBody(INITIAL_ROUTING_FORM)).toEqual({
      ok: false,
      error: "Pick a run of this version.",
    });
    const form = { ...INITIAL_ROUTING_FORM, candidateRunId: "a", frontierRunId: "b" };
    expect(routingBody({ ...form, marginPoints: "1.1" })).toEqual({
      ok: true,
      body: {
        candidateRunId: "a",
        frontierRunId: "b",
        signal: "mean_logprob",
        margin: 0.011,
        escalateWhenInvalid: true,
      },
    });
    expect(routingBody({ ...form, marginPoints: "-1" }).ok).toBe(false);
    expect(routingBody({ ...form, marginPoints: "" }).ok).toBe(false);
  });
});

describe("curveData", () => {
  it("orders points by share kept and marks the chosen one", () => {
    const point = (
      minConfidence: RoutingCurve["points"][number]["minConfidence"],
      kept: number,
    ) => ({
      minConfidence,
      cases: 4,
      kept,
      escalated: 4 - kept,
      keptShare: kept / 4,
      hybridAccuracy: 0.5,
      costPer1kUsd: 1,
    });
    const curve: RoutingCurve = {
      signal: "mean_logprob",
      escalateWhenInvalid: true,
      margin: 0.01,
      frontierOnly: { accuracy: 0.5, costPer1kUsd: 2 },
      candidateOnly: { accuracy: 0.4, costPer1kUsd: 0.1 },
      points: [point("-inf", 4), point(-0.5, 3), point(-0.25, 3), point("+inf", 0)],
      chosenIndex: 2,
      chosenRule: { escalateWhenInvalid: true, minConfidence: -0.25, signal: "mean_logprob" },
      chosenBeatsFrontierOnly: true,
    };
    expect(curveData(curve).map((d) => [d.tau, d.chosen])).toEqual([
      ["+inf", false],
      ["-0.250", true],
      ["-0.500", false],
      ["-inf", false],
    ]);
  });
});
