/**
 * The executor contract: start, poll, read logs from and cancel one run of one attempt of a
 * training job. Every method is idempotent per (jobId, attempt) — the reconciler calls them
 * again after a worker restart or a lost Redis, and a repeated `start` must find the run it
 * started before (by the labels `retune.job-id` / `retune.attempt`, or the run folder) instead
 * of starting a second one.
 */
export type ExecutorKind = "LOCAL" | "DOCKER" | "KUBERNETES";

export type GpuRequest = { type: string; count: number };

/** Everything an executor needs to start a run; built by the training processor. */
export type LaunchSpec = {
  jobId: string;
  attempt: number;
  teamId: string;
  backend: "AXOLOTL" | "UNSLOTH" | "PEFT";
  /** Container image (DOCKER, KUBERNETES); LOCAL ignores it. */
  image: string;
  /** argv, never a shell string. Paths in it are as the trainer sees them (`/job/...` in containers). */
  command: string[];
  env: Record<string, string>;
  /**
   * The job folder on this host (ARTIFACT_DIR/training/<jobId>): spec.json / config.yml, data/,
   * output/ (shared across attempts, so a retry resumes from the last checkpoint) and
   * attempt-N/ (this attempt's log, pid and exit status for LOCAL). Containers mount it at /job.
   */
  jobDir: string;
  gpu: GpuRequest | null;
  /** Wall-clock limit; the executor enforces it where it can (Kubernetes activeDeadlineSeconds). */
  timeoutSeconds: number;
};

export type RunRef = { jobId: string; attempt: number; jobDir: string; externalId: string | null };

export type RunPhase = "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED" | "LOST";

export type RunState = {
  phase: RunPhase;
  exitCode?: number | null;
  /** Why it failed or was lost, for the job's `error`. */
  message?: string;
};

export type LogChunk = {
  /** New output since `fromOffset` (complete lines only; a partial last line waits). */
  text: string;
  nextOffset: number;
};

export interface Executor {
  readonly kind: ExecutorKind;
  /** Starts the run, or returns the one already started for this (jobId, attempt). */
  start(spec: LaunchSpec): Promise<{ externalId: string }>;
  status(ref: RunRef): Promise<RunState>;
  /** Output from byte `fromOffset` of the run's combined stdout/stderr. */
  readLogs(ref: RunRef, fromOffset: number): Promise<LogChunk>;
  /** Stops the run and everything it started; a no-op when it is gone. */
  cancel(ref: RunRef): Promise<void>;
}
