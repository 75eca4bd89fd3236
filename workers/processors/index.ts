import type { Processors } from "../runtime";
import { datasetValidationProcessor } from "./dataset-validation";
import { evaluationProcessor } from "./evaluation";
import { monitoringProcessor } from "./monitoring";
import { outboxProcessor } from "./outbox";
import { trainingProcessor } from "./training";

/** Queues this build of the worker can process; later capabilities add theirs here. */
export const processors: Processors = {
  outbox: outboxProcessor,
  "dataset-validation": datasetValidationProcessor,
  training: trainingProcessor,
  evaluation: evaluationProcessor,
  monitoring: monitoringProcessor,
};
