import type { BadgeTone } from "@/components/ui/badge";
import type { TrainingJobSummary } from "@/lib/schemas/training-jobs";

type Status = TrainingJobSummary["status"];

export const STATUS_LABEL: Record<Status, string> = {
  QUEUED: "Queued",
  STARTING: "Starting",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const STATUS_TONE: Record<Status, BadgeTone> = {
  QUEUED: "neutral",
  STARTING: "info",
  RUNNING: "info",
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

export const STAGE_LABEL = {
  CANDIDATE: "Candidate",
  STAGING: "Staging",
  PRODUCTION: "Production",
  ARCHIVED: "Archived",
} as const;

export const STAGE_TONE: Record<keyof typeof STAGE_LABEL, BadgeTone> = {
  CANDIDATE: "info",
  STAGING: "warning",
  PRODUCTION: "success",
  ARCHIVED: "neutral",
};

export function jobHref(id: string): string {
  return `/training-jobs/${encodeURIComponent(id)}`;
}

export function modelVersionHref(id: string): string {
  return `/model-versions/${encodeURIComponent(id)}`;
}

export function compareHref(ids: readonly string[]): string {
  return `/training-jobs/compare?ids=${ids.map(encodeURIComponent).join(",")}`;
}
