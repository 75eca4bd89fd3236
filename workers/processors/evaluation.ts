import { executeEvalRun } from "@/lib/server/evals/runs";
import type { Processor } from "../runtime";

/**
 * One eval run: generate (local generate.py or an OpenAI-compatible endpoint), score, store,
 * then the gate decision. Idempotent per run: a terminal run is skipped, a RUNNING one (its
 * worker died) runs again from scratch.
 */
export const evaluationProcessor: Processor = async (job, { signal, log }) => {
  const { evalRunId } = job.data as { evalRunId: string };
  const result = await executeEvalRun(evalRunId, {
    signal,
    log,
    onProgress: (fraction) => void job.updateProgress(Math.round(fraction * 100)).catch(() => {}),
  });
  log("evaluation job done", { evalRunId, ...result });
  return result;
};
