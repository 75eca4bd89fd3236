import { describe, expect, it } from "vitest";

// Passed in, not set on process.env: env() is read once per process, and unit test files share
// their worker processes (vitest.config.ts, isolate: false).
const settings = {
  TRAINER_CPU_THREADS: 6,
  TRAINING_MAX_CONCURRENT_LOCAL: 2,
  TRAINER_NICE: 7,
  TRAINER_SCHED: "idle",
} as const;

describe("trainer process limits", () => {
  it("split TRAINER_CPU_THREADS over the LOCAL slots, and take TRAINER_NICE", async () => {
    const { trainerCpuLimits } = await import("./trainer-process");
    expect(trainerCpuLimits({ settings })).toEqual({ threads: 3, nice: 7, idle: true });
    expect(trainerCpuLimits({ settings, localSlots: 1 })).toEqual({
      threads: 6,
      nice: 7,
      idle: true,
    });
    expect(trainerCpuLimits({ settings, localSlots: 4 })).toEqual({
      threads: 1,
      nice: 7,
      idle: true,
    });
  });

  it("run argv under nice, lifting this process's niceness to the target", async () => {
    const { nicedArgv } = await import("./trainer-process");
    const limits = { threads: 1, nice: 10, idle: false };
    const argv = ["python", "sft.py"];
    expect(nicedArgv(argv, limits, 0)).toEqual(["nice", "-n", "10", "python", "sft.py"]);
    expect(nicedArgv(argv, limits, 4)).toEqual(["nice", "-n", "6", "python", "sft.py"]);
    // Already as nice or nicer (or TRAINER_NICE=0): nothing to add, and nothing can be taken away.
    expect(nicedArgv(argv, limits, 10)).toEqual(argv);
    expect(nicedArgv(argv, limits, 15)).toEqual(argv);
    expect(nicedArgv(argv, { threads: 1, nice: 0, idle: false }, 0)).toEqual(argv);
  });

  it("run argv under SCHED_IDLE when asked and chrt is installed, and niced alone otherwise", async () => {
    const { nicedArgv } = await import("./trainer-process");
    const idle = { threads: 1, nice: 10, idle: true };
    const argv = ["python", "sft.py"];
    expect(nicedArgv(argv, idle, 0, "/usr/bin/chrt")).toEqual([
      "/usr/bin/chrt",
      "--idle",
      "0",
      "nice",
      "-n",
      "10",
      "python",
      "sft.py",
    ]);
    expect(nicedArgv(argv, idle, 10, "/usr/bin/chrt")).toEqual([
      "/usr/bin/chrt",
      "--idle",
      "0",
      ...argv,
    ]);
    // No chrt (macOS, a slim image): niceness only, rather than a trainer that cannot start.
    expect(nicedArgv(argv, idle, 0, null)).toEqual(["nice", "-n", "10", ...argv]);
  });

  it("cap the child's thread variables and keep the rest of its environment", async () => {
    const { cappedEnv } = await import("./trainer-process");
    expect(
      cappedEnv({ PATH: "/bin", OMP_NUM_THREADS: "8" }, { threads: 2, nice: 10, idle: true }),
    ).toEqual({
      PATH: "/bin",
      OMP_NUM_THREADS: "2",
      MKL_NUM_THREADS: "2",
      OPENBLAS_NUM_THREADS: "2",
    });
  });
});
