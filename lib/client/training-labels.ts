import type { TrainingJobSummary } from "@/lib/schemas/training-jobs";
import type { BadgeTone } from "./badge-tone";

type Status = TrainingJobSummary["status"];

export const STATUS_LABEL: Record<Status, string> = {
  QUEUED: "Queued",
  STARTING: "Starting",
  RUNNING: "Running",
  CANCELLING: "Cancelling…",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const STATUS_TONE: Record<Status, BadgeTone> = {
  QUEUED: "neutral",
  STARTING: "info",
  RUNNING: "info",
  CANCELLING: "warning",
  SUCCEEDED: "success",
  FAILED: "danger",
  CANCELLED: "warning",
};

export const BACKEND_LABEL: Record<TrainingJobSummary["backend"], string> = {
  AXOLOTL: "Axolotl",
  UNSLOTH: "Unsloth",
  PEFT: "PEFT",
};

export const EXECUTOR_LABEL: Record<TrainingJobSummary["executor"], string> = {
  LOCAL: "Local",
  DOCKER: "Docker",
  KUBERNETES: "Kubernetes",
};

export const TRIGGER_LABEL: Record<TrainingJobSummary["trigger"], string> = {
  MANUAL: "Manual",
  API: "API",
  SCHEDULE: "Schedule",
  DRIFT: "Drift",
};

export const METHOD_LABEL: Record<TrainingJobSummary["method"], string> = {
  LORA: "LoRA",
  QLORA: "QLoRA",
};
