import type { Processor } from "../runtime";
import { pollTraining } from "../training/poll";
import { submitRun } from "../training/submit";

/** `submit` starts a run (never waits for it); `poll`, from a job scheduler, follows them all. */
export const trainingProcessor: Processor = async (job, { log }) => {
  if (job.name === "poll") return pollTraining(log);
  const { trainingJobId, attempt } = job.data as { trainingJobId: string; attempt: number };
  return { outcome: await submitRun(trainingJobId, attempt, log) };
};
