import { describe, expect, it } from "vitest";
import type { DriftCheck } from "@/lib/schemas/monitors";
import { checkPoints, checksSummary, telemetryPoints } from "./chart-data";

function check(id: string, at: string, value: number | null, breached = false): DriftCheck {
  return {
    id,
    monitorId: "mon_1",
    windowStart: at,
    windowEnd: at,
    value,
    samples: value === null ? 0 : 200,
    breached,
    status: value === null ? "NO_DATA" : breached ? "BREACHED" : "OK",
    outcome: null,
    retrainRequestId: null,
    source: "schedule",
    detail: null,
    durationMs: 3,
    createdAt: at,
  };
}

describe("checkPoints", () => {
  it("orders checks oldest first with epoch times, keeping gaps and breaches", () => {
    const points = checkPoints([
      check("c3", "2026-01-01T03:00:00.000Z", 0.2, true),
      check("c2", "2026-01-01T02:00:00.000Z", null),
      check("c1", "2026-01-01T01:00:00.000Z", 0.05),
    ]);
    expect(points.map((p) => p.id)).toEqual(["c1", "c2", "c3"]);
    expect(points[0]!.t).toBe(Date.parse("2026-01-01T01:00:00.000Z"));
    expect(points[1]!.value).toBeNull();
    expect(points[2]!.breached).toBe(true);
  });
});

describe("checksSummary", () => {
  it("counts checks and breaches and names the latest measured value", () => {
    const points = checkPoints([
      check("c1", "2026-01-01T01:00:00.000Z", 0.05),
      check("c2", "2026-01-01T02:00:00.000Z", 0.2, true),
      check("c3", "2026-01-01T03:00:00.000Z", null),
    ]);
    expect(checksSummary("failure_rate", points)).toBe("3 checks, 1 breached, latest value 20.0%");
    expect(checksSummary("failure_rate", [])).toBe("No checks yet.");
  });
});

describe("telemetryPoints", () => {
  it("turns bucket times into epoch milliseconds", () => {
    const [p] = telemetryPoints([
      {
        t: "2026-01-01T00:00:00.000Z",
        samples: 10,
        failureRate: 0.1,
        toolCallErrorRate: null,
        escalationRate: 0,
        latencyP95Ms: 300,
        costPerCallUsd: null,
      },
    ]);
    expect(p).toMatchObject({ t: Date.parse("2026-01-01T00:00:00.000Z"), samples: 10 });
  });
});
