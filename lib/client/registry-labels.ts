import type { GateStatus } from "@/lib/schemas/gates";
import type { ApprovalStatus } from "@/lib/schemas/models";
import type { BadgeTone } from "./badge-tone";

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

export const GATE_LABEL: Record<GateStatus, string> = {
  NOT_EVALUATED: "Not evaluated",
  PENDING: "Gate pending",
  PASSED: "Gate passed",
  FAILED: "Gate failed",
};

/** Only PASSED is green: no evidence, or evidence not yet decided, never looks like a pass. */
export const GATE_TONE: Record<GateStatus, BadgeTone> = {
  NOT_EVALUATED: "neutral",
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
