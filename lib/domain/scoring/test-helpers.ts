import type { CaseOutput } from "@/lib/schemas/eval-metrics";

/** A CaseOutput with test defaults: a text answer, no measurements. */
export function output(over: Partial<CaseOutput> = {}): CaseOutput {
  return {
    text: "",
    toolCalls: [],
    latencyMs: null,
    promptTokens: null,
    completionTokens: null,
    ...over,
  };
}
