import type { TraceSummary } from "@/lib/schemas/traces";
import type { BadgeTone } from "@/lib/client/badge-tone";

export const OUTCOME_LABEL: Record<TraceSummary["outcome"], string> = {
  success: "Success",
  failure: "Failure",
};

export const OUTCOME_TONE: Record<TraceSummary["outcome"], BadgeTone> = {
  success: "success",
  failure: "danger",
};

export const CORRECTED_LABEL: Record<NonNullable<TraceSummary["correctedBy"]>, string> = {
  frontier: "Frontier model",
  human: "Human",
};
