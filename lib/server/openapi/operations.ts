import { datasetOperations } from "./datasets";
import { economicsOperations } from "./economics";
import { evalOperations } from "./evals";
import { modelOperations } from "./models";
import { otlpOperations } from "./otlp";
import { retrainingOperations } from "./retraining";
import type { Operation } from "./spec";
import { systemOperations } from "./system";
import { teamOperations } from "./teams";
import { telemetryOperations } from "./telemetry";
import { traceImportOperations } from "./trace-import";
import { trainingOperations } from "./training";
import { webhookOperations } from "./webhooks";

/** Every /api/v1 operation; coverage.test.ts holds this list and app/api/v1 to each other. */
export const OPERATIONS: Operation[] = [
  ...datasetOperations,
  ...trainingOperations,
  ...evalOperations,
  ...modelOperations,
  ...telemetryOperations,
  ...otlpOperations,
  ...traceImportOperations,
  ...retrainingOperations,
  ...economicsOperations,
  ...teamOperations,
  ...webhookOperations,
  ...systemOperations,
];
