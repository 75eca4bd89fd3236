import type { BadgeTone } from "@/components/ui/badge";
import type { ApprovalStatus } from "@/lib/schemas/models";
import type { GateStatus } from "@/lib/schemas/gates";
import type { EvalRun } from "@/lib/schemas/evals";

export {
  STAGE_LABEL,
  STAGE_TONE,
  modelVersionHref,
  jobHref,
} from "@/components/training-jobs/labels";

export const GATE_LABEL: Record<GateStatus, string> = {
  PENDING: "Gate pending",
  PASSED: "Gate passed",
  FAILED: "Gate failed",
};

export const GATE_TONE: Record<GateStatus, BadgeTone> = {
  PENDING: "neutral",
  PASSED: "success",
  FAILED: "danger",
};

export const APPROVAL_LABEL: Record<ApprovalStatus, string> = {
  NOT_REQUIRED: "Not required",
  PENDING: "Awaiting approval",
  APPROVED: "Approved",
  REJECTED: "Rejected",
};

export const APPROVAL_TONE: Record<ApprovalStatus, BadgeTone> = {
  NOT_REQUIRED: "neutral",
  PENDING: "warning",
  APPROVED: "success",
  REJECTED: "danger",
};

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

export function modelHref(id: string): string {
  return `/models/${encodeURIComponent(id)}`;
}

export function versionCompareHref(id: string, against?: string): string {
  const base = `/model-versions/${encodeURIComponent(id)}/compare`;
  return against ? `${base}?against=${encodeURIComponent(against)}` : base;
}

export function versionCardHref(id: string): string {
  return `/model-versions/${encodeURIComponent(id)}/card`;
}

export function evalRunHref(id: string): string {
  return `/evals/runs/${encodeURIComponent(id)}`;
}
