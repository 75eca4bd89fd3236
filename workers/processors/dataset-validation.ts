import { prepareParallelAnalyzer } from "@/lib/server/datasets/analysis-parallel";
import { validateDatasetVersion } from "@/lib/server/datasets/validation";
import { continueRetrainsFor } from "@/lib/server/retraining/retrains";
import type { Processor } from "../runtime";

// Build the analyzer's worker-thread bundle at start-up rather than on the first large file.
void prepareParallelAnalyzer().catch(() => {});

export const datasetValidationProcessor: Processor<"dataset-validation"> = async (
  job,
  { datasetVersionId },
  { signal, log },
) => {
  const started = Date.now();
  const result = await validateDatasetVersion(datasetVersionId, {
    signal,
    onProgress: (fraction) => job.updateProgress(Math.round(fraction * 100)),
  });
  log("dataset version validated", {
    datasetVersionId,
    status: result.status,
    ms: Date.now() - started,
  });
  // A retrain waiting on this version launches now (or fails with the validation's reason).
  await continueRetrainsFor(datasetVersionId);
  return result;
};
