import { describe, expect, it } from "vitest";
import type { TelemetryPoint } from "@/lib/schemas/telemetry";
import type { CheckPoint } from "./chart-data";
import {
  chartWindow,
  defaultSpan,
  metricSeries,
  monitorAxis,
  seriesSummary,
} from "./monitor-chart-data";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-03-01T12:00:00Z");

function bucket(t: number, toolCallErrorRate: number | null, samples = 50): TelemetryPoint {
  return {
    t: new Date(t).toISOString(),
    samples,
    failureRate: null,
    toolCallErrorRate,
    escalationRate: null,
    latencyP95Ms: 400,
    costPerCallUsd: null,
  };
}

const check = (t: number, value: number | null, breached = false): CheckPoint => ({
  id: String(t),
  t,
  value,
  breached,
  samples: 100,
  status: breached ? "BREACHED" : "OK",
});

describe("metricSeries", () => {
  it("picks the monitored metric's field from the rollup buckets, gaps kept", () => {
    const s = metricSeries("tool_call_error_rate", [bucket(NOW, 0.1), bucket(NOW + HOUR, null)]);
    expect(s).toEqual([
      { t: NOW, value: 0.1, samples: 50 },
      { t: NOW + HOUR, value: null, samples: 50 },
    ]);
    expect(metricSeries("latency_p95_ms", [bucket(NOW, 0.1)])![0]!.value).toBe(400);
  });

  it("has no series for metrics the rollups do not measure", () => {
    expect(metricSeries("tool_psi", [bucket(NOW, 0.1)])).toBeNull();
    expect(metricSeries("eval_score", [])).toBeNull();
  });
});

describe("defaultSpan", () => {
  it("opens on a day, or far enough back to show the oldest check", () => {
    expect(defaultSpan([], NOW)).toBe("24h");
    expect(defaultSpan([check(NOW - 2 * HOUR, 0.1)], NOW)).toBe("24h");
    expect(defaultSpan([check(NOW - 50 * HOUR, 0.1)], NOW)).toBe("7d");
    expect(defaultSpan([check(NOW - 20 * 24 * HOUR, 0.1)], NOW)).toBe("30d");
    expect(defaultSpan([check(NOW - 90 * 24 * HOUR, 0.1)], NOW)).toBe("30d");
  });
});

describe("monitorAxis", () => {
  it("gives shares nice percent ticks from 0, threshold included, never past 100%", () => {
    const axis = monitorAxis(
      "tool_call_error_rate",
      0.2,
      [{ t: NOW, value: 0.467, samples: 10 }],
      [check(NOW, 0.6, true)],
    );
    expect(axis.domain).toEqual([0, 0.6]);
    expect(axis.ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const high = monitorAxis("failure_rate", 0.2, [{ t: NOW, value: 0.88, samples: 1 }], []);
    expect(high.domain).toEqual([0, 1]);
  });

  it("stretches to a threshold above every value", () => {
    const axis = monitorAxis("latency_p95_ms", 2000, [{ t: NOW, value: 412, samples: 9 }], []);
    expect(axis.domain).toEqual([0, 2000]);
    expect(axis.ticks).toContain(2000);
  });
});

describe("seriesSummary", () => {
  it("says how much was measured, the latest and the peak", () => {
    expect(
      seriesSummary("tool_call_error_rate", [
        { t: 1, value: 0.05, samples: 1 },
        { t: 2, value: null, samples: 0 },
        { t: 3, value: 0.3, samples: 1 },
        { t: 4, value: 0.1, samples: 1 },
      ]),
    ).toBe("3 of 4 buckets measured, latest 10.0%, peak 30.0%");
    expect(seriesSummary("failure_rate", [{ t: 1, value: null, samples: 0 }])).toMatch(
      /No telemetry/,
    );
  });
});

describe("chartWindow", () => {
  const summary = {
    from: new Date(NOW - 24 * HOUR).toISOString(),
    to: new Date(NOW).toISOString(),
  };
  const check = (t: number): CheckPoint => ({
    id: String(t),
    t,
    value: 0.1,
    breached: false,
    samples: 100,
    status: "OK",
  });

  it("keeps a check run after the summary was fetched, and runs the window to it", () => {
    const w = chartWindow(summary, [check(NOW - HOUR), check(NOW + 5_000)]);
    expect(w.shown.map((c) => c.t)).toEqual([NOW - HOUR, NOW + 5_000]);
    expect(w.to).toBe(NOW + 5_000);
  });

  it("leaves out checks older than the span, and ends at the summary's end without newer ones", () => {
    const w = chartWindow(summary, [check(NOW - 30 * HOUR), check(NOW - HOUR)]);
    expect(w.shown.map((c) => c.t)).toEqual([NOW - HOUR]);
    expect(w).toMatchObject({ from: NOW - 24 * HOUR, to: NOW });
  });
});
