import type { Processor } from "../runtime";
import { pollTraining } from "../training/poll";
import { submitRun } from "../training/submit";

/** `submit` starts a run (never waits for it); `poll`, from a job scheduler, follows them all. */
export const trainingProcessor: Processor<"training"> = async (job, data, { log }) => {
  if (job.name === "poll" || !("trainingJobId" in data)) return pollTraining(log);
  return { outcome: await submitRun(data.trainingJobId, data.attempt, log) };
};
