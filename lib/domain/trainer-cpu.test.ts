import { describe, expect, it } from "vitest";
import {
  defaultTrainerCpuThreads,
  THREAD_ENV_KEYS,
  threadCapEnv,
  trainerThreadCap,
} from "./trainer-cpu";

describe("trainer CPU threads", () => {
  it("leave one core to the web and worker processes by default, and never go below 1", () => {
    expect(defaultTrainerCpuThreads(1)).toBe(1);
    expect(defaultTrainerCpuThreads(2)).toBe(1);
    expect(defaultTrainerCpuThreads(4)).toBe(3);
    expect(defaultTrainerCpuThreads(16)).toBe(15);
    expect(defaultTrainerCpuThreads(0)).toBe(1);
  });

  it("split the budget over the LOCAL slots, rounding down, at least 1 each", () => {
    expect(trainerThreadCap({ budget: 15, slots: 1 })).toBe(15);
    expect(trainerThreadCap({ budget: 15, slots: 2 })).toBe(7);
    expect(trainerThreadCap({ budget: 15, slots: 4 })).toBe(3);
    expect(trainerThreadCap({ budget: 1, slots: 1 })).toBe(1);
    expect(trainerThreadCap({ budget: 3, slots: 8 })).toBe(1);
    // TRAINING_MAX_CONCURRENT_LOCAL=0 turns LOCAL off; the cap stays meaningful.
    expect(trainerThreadCap({ budget: 3, slots: 0 })).toBe(3);
  });

  it("set every thread variable to the cap, keeping a lower OMP_NUM_THREADS already asked for", () => {
    const all = (n: string) => Object.fromEntries(THREAD_ENV_KEYS.map((k) => [k, n]));
    expect(threadCapEnv(3)).toEqual(all("3"));
    expect(threadCapEnv(3, { OMP_NUM_THREADS: "1" })).toEqual(all("1"));
    expect(threadCapEnv(3, { OMP_NUM_THREADS: "64" })).toEqual(all("3"));
    for (const bad of ["", "0", "-2", "1.5", "four", undefined])
      expect(threadCapEnv(2, { OMP_NUM_THREADS: bad })).toEqual(all("2"));
    expect(THREAD_ENV_KEYS).toContain("OMP_NUM_THREADS");
    expect(THREAD_ENV_KEYS).toContain("MKL_NUM_THREADS");
  });
});
