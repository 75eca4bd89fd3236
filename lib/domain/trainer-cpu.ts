/**
 * How many CPU threads a LOCAL trainer (or local eval generation) may use: the pure part of
 * `lib/server/training/trainer-process.ts`. Trainers share the host with the web and worker
 * processes; torch's default (one thread per core, each spinning for work) starves them, and the
 * launch API's p99 was 5x its target with a trainer running on a 2-core host (issue 14).
 */

/** The thread variables BLAS and OpenMP runtimes read at start (torch reads OMP/MKL). */
export const THREAD_ENV_KEYS = ["OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"];

/**
 * Threads all LOCAL trainers of a host share when TRAINER_CPU_THREADS is unset: every core but
 * one, so the web and worker processes always have a core of their own; at least 1.
 */
export function defaultTrainerCpuThreads(cores: number): number {
  return Math.max(1, Math.floor(cores) - 1);
}

/**
 * One process's cap: the shared budget split evenly over the LOCAL slots that may run at once
 * (TRAINING_MAX_CONCURRENT_LOCAL; 0 turns LOCAL off and counts as 1 here), at least 1 thread.
 */
export function trainerThreadCap(input: { budget: number; slots: number }): number {
  return Math.max(1, Math.floor(input.budget / Math.max(1, Math.floor(input.slots))));
}

/**
 * The thread variables a capped process gets: every key in THREAD_ENV_KEYS set to the cap, or to
 * a lower OMP_NUM_THREADS the caller already asked for (a plan or an operator may want fewer,
 * never more). A value that is not a positive integer is ignored.
 */
export function threadCapEnv(
  cap: number,
  asked: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const n = Number(asked.OMP_NUM_THREADS);
  const threads = Number.isInteger(n) && n >= 1 ? Math.min(cap, n) : cap;
  return Object.fromEntries(THREAD_ENV_KEYS.map((k) => [k, String(threads)]));
}
