import { describe, expect, it } from "vitest";
import { computeLabel, computeTime } from "./compute-time";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);

describe("computeTime", () => {
  it("is measured wall time on a CPU run, labelled CPU and not priced", () => {
    const c = computeTime({ gpuType: "CPU", gpuCount: 1 }, [
      { startedAt: at(0), finishedAt: at(125), status: "SUCCEEDED" },
    ])!;
    expect(c).toEqual({
      seconds: 125,
      wallSeconds: 125,
      device: "CPU",
      devices: 1,
      gpuType: "CPU",
      costUsd: 0,
    });
    expect(computeLabel(c)).toBe("CPU");
  });

  it("is wall time × GPUs over every attempt, priced by the GPU's rate", () => {
    const c = computeTime({ gpuType: "H100-80GB", gpuCount: 2 }, [
      { startedAt: at(0), finishedAt: at(1800), status: "FAILED" },
      { startedAt: null, finishedAt: null, status: "CANCELLED" },
      { startedAt: at(3600), finishedAt: at(5400), status: "SUCCEEDED" },
    ])!;
    expect(c.wallSeconds).toBe(3600);
    expect(c.seconds).toBe(7200);
    expect(c.device).toBe("GPU");
    // 1 h × 2 GPUs × $3.00.
    expect(c.costUsd).toBe(6);
    expect(computeLabel(c)).toBe("2 × H100-80GB");
    expect(computeTime({ gpuType: "H100-80GB", gpuCount: 2 }, [], at(0), 1)).toBeNull();
  });

  it("counts a running attempt up to now, and a finished one without an end as nothing", () => {
    const c = computeTime(
      { gpuType: "A10G-24GB", gpuCount: 1 },
      [
        { startedAt: at(0), finishedAt: null, status: "FAILED" },
        { startedAt: at(100), finishedAt: null, status: "RUNNING" },
      ],
      at(160),
      1.5,
    )!;
    expect(c.seconds).toBe(60);
    expect(c.costUsd).toBe(0.03);
    expect(computeLabel(c)).toBe("A10G-24GB");
  });
});
