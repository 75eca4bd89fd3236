import type { EvalRun } from "@/lib/schemas/evals";
import type { BadgeTone } from "./badge-tone";

export const EVAL_STATUS_LABEL: Record<EvalRun["status"], string> = {
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const EVAL_STATUS_TONE: Record<EvalRun["status"], BadgeTone> = {
  QUEUED: "neutral",
  RUNNING: "info",
  SUCCEEDED: "success",
  FAILED: "danger",
  CANCELLED: "warning",
};

export const TARGET_KIND_LABEL: Record<EvalRun["target"]["kind"], string> = {
  MODEL_VERSION: "Model version",
  BASE_MODEL: "Base model",
  PRODUCTION: "Production",
  ENDPOINT: "Endpoint",
};
