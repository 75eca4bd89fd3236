import { describe, expect, it } from "vitest";
import type { LoopStep, RetrainRequest } from "@/lib/schemas/retrain";
import { isLoopLive, promotedIds } from "./retrain";

const STEPS = ["trigger", "dataset", "job", "eval", "gate", "promotion"] as const;

function request(
  id: string,
  status: RetrainRequest["status"],
  states: LoopStep["state"][],
): RetrainRequest {
  return {
    id,
    modelId: "mdl_1",
    key: `k-${id}`,
    trigger: "DRIFT",
    status,
    reason: "tool_call_error_rate 0.3 > 0.1",
    monitorId: "mon_1",
    driftCheckId: "chk_1",
    traceCount: 120,
    datasetVersionId: null,
    trainingJobId: null,
    error: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    steps: STEPS.map((step, i) => ({
      step,
      state: states[i] ?? "pending",
      label: step,
      detail: null,
      href: null,
      at: null,
    })),
  };
}

describe("isLoopLive", () => {
  it("is live while building, and while launched until promotion ends", () => {
    expect(isLoopLive(request("a", "BUILDING", ["done", "active"]))).toBe(true);
    expect(isLoopLive(request("b", "LAUNCHED", ["done", "done", "active"]))).toBe(true);
    expect(isLoopLive(request("c", "LAUNCHED", ["done", "done", "done", "done", "done"]))).toBe(
      true,
    );
  });

  it("stops once promotion is done or skipped, a step failed, or the request ended", () => {
    expect(isLoopLive(request("d", "LAUNCHED", Array(6).fill("done")))).toBe(false);
    expect(
      isLoopLive(request("e", "LAUNCHED", ["done", "done", "done", "done", "done", "skipped"])),
    ).toBe(false);
    expect(isLoopLive(request("f", "LAUNCHED", ["done", "done", "failed"]))).toBe(false);
    expect(isLoopLive(request("g", "SKIPPED", ["skipped"]))).toBe(false);
    expect(isLoopLive(request("h", "FAILED", ["done", "failed"]))).toBe(false);
  });
});

describe("promotedIds", () => {
  it("lists requests whose promotion step is done", () => {
    const ids = promotedIds([
      request("a", "LAUNCHED", Array(6).fill("done")),
      request("b", "LAUNCHED", ["done", "active"]),
    ]);
    expect([...ids]).toEqual(["a"]);
  });
});
