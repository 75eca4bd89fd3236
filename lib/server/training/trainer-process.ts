/**
 * How a trainer process is started on this host (the LOCAL executor's sft.py, and local eval
 * generation's generate.py): at a lower CPU priority and with a thread cap, so the web and worker
 * processes beside it keep answering (docs/architecture.md, "Training").
 *
 * The priority is set by running the argv under `nice -n N`, not by os.setPriority() on the pid
 * after spawn: Linux applies setpriority(PRIO_PROCESS) to one thread, and by the time spawn()
 * returns the child may already have forked the trainer (the LOCAL wrapper shell does at once) or
 * started threads, which would keep the old priority. `nice` sets it before exec, and every
 * process and thread started afterwards inherits it. `nice` execs its argv, so the pid spawn()
 * reports is the trainer's (or its wrapper's), as before.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { defaultTrainerCpuThreads, threadCapEnv, trainerThreadCap } from "@/lib/domain/trainer-cpu";
import { env, type Env } from "@/lib/server/core/env";

export type TrainerCpuLimits = {
  /** Threads one trainer process may use (OMP_NUM_THREADS and friends). */
  threads: number;
  /** The niceness (0–19) the process runs at, or the worker's own if that is higher. */
  nice: number;
  /** Run under SCHED_IDLE (TRAINER_SCHED=idle): only on CPU time nothing else wants. */
  idle: boolean;
};

type CpuSettings = Pick<
  Env,
  "TRAINER_CPU_THREADS" | "TRAINING_MAX_CONCURRENT_LOCAL" | "TRAINER_NICE" | "TRAINER_SCHED"
>;

/**
 * This host's limits for one trainer: TRAINER_CPU_THREADS (default every core but one) split over
 * `localSlots` (default TRAINING_MAX_CONCURRENT_LOCAL), and TRAINER_NICE. `settings` (default:
 * this process's environment) is for callers that decide for another host, and for tests.
 */
export function trainerCpuLimits(
  opts: { localSlots?: number; settings?: CpuSettings } = {},
): TrainerCpuLimits {
  const e = opts.settings ?? env();
  const budget = e.TRAINER_CPU_THREADS ?? defaultTrainerCpuThreads(os.availableParallelism());
  return {
    threads: trainerThreadCap({
      budget,
      slots: opts.localSlots ?? e.TRAINING_MAX_CONCURRENT_LOCAL,
    }),
    nice: e.TRAINER_NICE,
    idle: e.TRAINER_SCHED === "idle",
  };
}

/** util-linux's chrt where it is installed (Linux); null elsewhere, and SCHED_IDLE is skipped. */
export function chrtPath(): string | null {
  return ["/usr/bin/chrt", "/bin/chrt"].find((p) => existsSync(p)) ?? null;
}

/**
 * `argv` run at the limits' niceness (`nice -n <increment> argv…`), under `chrt --idle 0` when idle. `nice -n` adds to the caller's
 * niceness, so the increment is what lifts this process's to the target; a worker already niced
 * as much or more passes its own on (an unprivileged process cannot lower it) and argv runs as is.
 */
export function nicedArgv(
  argv: readonly string[],
  limits: TrainerCpuLimits,
  ownNice = os.getPriority(),
  chrt = chrtPath(),
): string[] {
  const increment = limits.nice - ownNice;
  const niced = increment > 0 ? ["nice", "-n", String(increment), ...argv] : [...argv];
  // SCHED_IDLE is inherited by every process and thread started after it, like niceness.
  return limits.idle && chrt ? [chrt, "--idle", "0", ...niced] : niced;
}

/**
 * `base` (the child's environment) with the thread variables capped; a lower OMP_NUM_THREADS in
 * `base` is kept.
 */
export function cappedEnv<T extends Record<string, string | undefined>>(
  base: T,
  limits: TrainerCpuLimits,
): T & Record<string, string> {
  return { ...base, ...threadCapEnv(limits.threads, base) };
}
