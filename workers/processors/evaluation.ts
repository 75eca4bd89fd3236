import { executeEvalRun } from "@/lib/server/evals/execute-run";
import { afterEvalRun } from "@/lib/server/registry/after-eval-run";
import type { Processor } from "../runtime";

/**
 * One eval run: generate (local generate.py or an OpenAI-compatible endpoint), score, store,
 * then the gate decision. Idempotent per run: a terminal run is skipped, a RUNNING one (its
 * worker died) runs again from scratch. The gate decision runs after every delivery that finds
 * the run terminal, so one lost to a crash is made again; if it fails, the job fails and BullMQ
 * retries it (the retry only re-runs the decision), never the run it is about.
 */
export const evaluationProcessor: Processor<"evaluation"> = async (job, { evalRunId }, ctx) => {
  const result = await executeEvalRun(evalRunId, {
    signal: ctx.signal,
    log: ctx.log,
    onProgress: (fraction) => void job.updateProgress(Math.round(fraction * 100)).catch(() => {}),
  });
  if (result.terminal) await afterEvalRun(evalRunId);
  ctx.log("evaluation job done", { evalRunId, ...result });
  return result;
};
