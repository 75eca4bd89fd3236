/**
 * The advisor: the seed's decision table as a checklist (situation → approach → why), combined
 * into one recommendation, and the seed's anti-patterns raised by what the team says it plans.
 *
 * Combining, in order:
 *  1. "New product, still exploring" wins: fine-tuning targets move until product fit is clear,
 *     so the advice is frontier first; the other checked rows are kept as things to revisit.
 *  2. Rows that favour fine-tuning (format, domain, latency, tools, compliance, narrow accuracy,
 *     production traces) with rows that need a frontier model (multi-step planning, creative
 *     output), or "high volume, cost-sensitive", make a hybrid: fine-tuned small model for the
 *     routine calls, frontier for the rest.
 *  3. Fine-tuning rows alone: fine-tune. Frontier rows alone: frontier only.
 *  4. Nothing checked: frontier first.
 * When the planner has run, volume speaks through its break-even: a hybrid argued by volume
 * alone, below the break-even, becomes frontier-only (the seed's "below ~10M invocations a
 * month, frontier-only is usually cheaper end to end", computed rather than asserted).
 */
import {
  advisorInputSchema,
  type Advice,
  type AdvisorApproach,
  type AdvisorInputBody,
  type AntiPatternId,
  type FineTuneTarget,
  type SituationId,
} from "@/lib/schemas/economics";

type SituationRow = {
  id: SituationId;
  label: string;
  approach: AdvisorApproach;
  recommendation: string;
  reason: string;
  /** What this row says to fine-tune, in words. */
  fineTune?: string;
  /** What this row says to keep on the frontier, in words. */
  keepOnFrontier?: string;
};

/** The seed's decision table, row for row. */
export const SITUATIONS: readonly SituationRow[] = [
  {
    id: "frequent_tool_calls",
    label: "The agent makes frequent tool calls",
    approach: "fine_tune",
    recommendation: "Fine-tune a small model on the tool-call format",
    reason: "Format reliability, and a lower cost per call.",
    fineTune: "tool-call format",
  },
  {
    id: "narrow_domain",
    label: "The agent works in a narrow domain (legal, medical, code)",
    approach: "fine_tune",
    recommendation: "Fine-tune for domain reasoning",
    reason: "Specialisation beats generality.",
    fineTune: "domain reasoning",
  },
  {
    id: "high_volume_cost_sensitive",
    label: "High volume, cost-sensitive",
    approach: "hybrid",
    recommendation: "Hybrid: fine-tuned model for routine calls, frontier for hard cases",
    reason: "Keeps the savings without losing quality.",
    fineTune: "the routine calls (a small model that escalates when unsure)",
    keepOnFrontier: "the hard cases the small model escalates",
  },
  {
    id: "complex_planning",
    label: "Complex multi-step planning",
    approach: "frontier_only",
    recommendation: "Frontier model only, for orchestration",
    reason: "Small models lack planning depth.",
    keepOnFrontier: "orchestration (plan-and-execute)",
  },
  {
    id: "in_production_6_months",
    label: "In production for 6+ months",
    approach: "fine_tune",
    recommendation: "Fine-tune on production traces",
    reason: "Real interactions are the best training data.",
  },
  {
    id: "latency_critical",
    label: "Voice agent or otherwise latency-critical",
    approach: "fine_tune",
    recommendation: "Fine-tuned small model",
    reason: "The latency budget forces a small model.",
    fineTune: "a small model on the latency-critical path",
  },
  {
    id: "many_tools",
    label: "10+ tools",
    approach: "fine_tune",
    recommendation: "Fine-tune a tool-selection model",
    reason: "Routing among many tools benefits from specialisation.",
    fineTune: "tool selection",
  },
  {
    id: "structured_output",
    label: "Structured output requirements",
    approach: "fine_tune",
    recommendation: "Fine-tune for the output format",
    reason: "General models are inconsistent on formats.",
    fineTune: "the output format",
  },
  {
    id: "creative_output",
    label: "Creative outputs",
    approach: "frontier_only",
    recommendation: "Frontier model only",
    reason: "Creativity is fine-tuning's weak spot.",
    keepOnFrontier: "creative generation",
  },
  {
    id: "compliance_sensitive",
    label: "Compliance-sensitive domain",
    approach: "fine_tune",
    recommendation: "Fine-tune for refusal behaviour",
    reason: "Enforces a specific policy.",
    fineTune: "refusal behaviour",
  },
  {
    id: "narrow_task_high_accuracy",
    label: "High accuracy needed on a narrow task",
    approach: "fine_tune",
    recommendation: "Fine-tune, and validate carefully",
    reason: "Gains on narrow tasks are real.",
    fineTune: "the narrow task",
  },
  {
    id: "exploring",
    label: "New product, still exploring",
    approach: "frontier_first",
    recommendation: "Frontier first, fine-tune later",
    reason: "Wait until product fit is clear.",
  },
];

export const ANTI_PATTERNS: Record<AntiPatternId, { title: string; message: string }> = {
  fine_tuning_orchestration: {
    title: "Fine-tuning the orchestration layer",
    message:
      "Never fine-tune plan-and-execute logic: that is where frontier models earn their cost. Fine-tune the " +
      "components under it (tool-call format, tool selection, output format).",
  },
  fine_tuning_end_to_end: {
    title: "Fine-tuning every component end to end",
    message:
      "Over-investment: fine-tune surgically, one component with a measurable failure at a time. In the seed's " +
      "support-agent case, fine-tuning the whole agent loop failed where the tool-call format succeeded.",
  },
  frontier_for_everything: {
    title: "A frontier API for every invocation",
    message:
      "Sending every call to a frontier model regardless of its complexity becomes prohibitive at scale; route the " +
      "routine share to a fine-tuned small model.",
  },
  synthetic_traces: {
    title: "Training on synthetic traces",
    message:
      "A small model trained on frontier-generated traces inherits their biases without the reasoning depth. Train " +
      "on production traces; use synthetic data only to fill coverage gaps.",
  },
  no_eval_harness: {
    title: "Fine-tuning without an evaluation harness",
    message:
      "Quality is multi-dimensional (success rate, tool-call accuracy, latency, cost): build the eval suite first, " +
      "then fine-tune against it.",
  },
  one_time_investment: {
    title: "Treating a fine-tune as a one-time investment",
    message:
      "Agents drift (new tools, new behaviour, changed APIs): plan to re-tune quarterly, or when a drift monitor " +
      "crosses its threshold.",
  },
};

const FINE_TUNE_TARGET_WORDS: Record<FineTuneTarget, string> = {
  tool_call_format: "tool-call format",
  tool_selection: "tool selection",
  output_format: "the output format",
  domain_reasoning: "domain reasoning",
  refusal_behaviour: "refusal behaviour",
  narrow_task: "the narrow task",
  orchestration: "orchestration",
  whole_agent: "the whole agent",
};

const HEADLINES: Record<AdvisorApproach, string> = {
  fine_tune: "Fine-tune the components named below.",
  hybrid: "Hybrid: a fine-tuned small model for the routine calls, a frontier model for the rest.",
  frontier_only: "Keep this on a frontier model.",
  frontier_first: "Start on a frontier model; fine-tune once product fit is clear.",
};

const unique = (xs: (string | undefined)[]) => [
  ...new Set(xs.filter((x): x is string => x !== undefined)),
];

export function advise(body: AdvisorInputBody): Advice {
  const input = advisorInputSchema.parse(body);
  const checked = new Set(input.situations);
  const rows = SITUATIONS.filter((r) => checked.has(r.id));
  const notes: string[] = [];

  const fineTuneRows = rows.filter((r) => r.approach === "fine_tune");
  const frontierRows = rows.filter((r) => r.approach === "frontier_only");
  const highVolume = checked.has("high_volume_cost_sensitive");

  let approach: AdvisorApproach;
  if (checked.has("exploring")) {
    approach = "frontier_first";
    if (rows.length > 1) {
      notes.push(
        "Revisit the other checked situations once product fit is clear: " +
          rows
            .filter((r) => r.id !== "exploring")
            .map((r) => r.label.toLowerCase())
            .join("; ") +
          ".",
      );
    }
  } else if (highVolume || (fineTuneRows.length > 0 && frontierRows.length > 0)) {
    approach = "hybrid";
  } else if (fineTuneRows.length > 0) {
    approach = "fine_tune";
  } else if (frontierRows.length > 0) {
    approach = "frontier_only";
  } else {
    approach = "frontier_first";
    notes.push(
      "No checked situation calls for fine-tuning: start on a frontier model and collect production traces.",
    );
  }

  const economics = input.economics;
  if (economics && approach !== "frontier_first") {
    const be = economics.breakEvenInvocationsPerMonth;
    const below = be === null || economics.invocationsPerMonth < be;
    const volume = economics.invocationsPerMonth.toLocaleString("en-US");
    if (below) {
      const why =
        be === null
          ? "at these prices the hybrid never pays for itself"
          : `${volume} invocations a month is below the break-even of ${Math.ceil(be).toLocaleString("en-US")}`;
      if (approach === "hybrid" && fineTuneRows.length === 0) {
        // Volume was the only argument for the hybrid, and the numbers say it does not hold.
        approach = "frontier_only";
        notes.push(`Frontier-only is cheaper end to end: ${why}.`);
      } else if (approach === "hybrid" || approach === "fine_tune") {
        notes.push(
          `The savings alone do not pay for the project (${why}); fine-tune for the other reasons above ` +
            "(format, latency, compliance, accuracy), not for cost.",
        );
      }
    } else {
      const above = `${volume} invocations a month is above the break-even of ${Math.ceil(be).toLocaleString("en-US")}`;
      notes.push(
        approach === "frontier_only"
          ? `${above}: routing the routine calls to a fine-tuned small model would pay for itself, while ` +
              "what needs the frontier stays there."
          : `${above}: the hybrid pays for itself within the planner's horizon.`,
      );
    }
  }

  if (checked.has("latency_critical") && frontierRows.length > 0 && approach === "hybrid") {
    notes.push(
      "The latency budget may not allow a frontier round trip: keep escalations off the latency-critical path.",
    );
  }
  if (checked.has("in_production_6_months")) {
    notes.push(
      "Train on the production traces you already have: real interactions are the best training data.",
    );
  }
  if (checked.has("narrow_task_high_accuracy")) {
    notes.push("Validate carefully: gate the fine-tune on a held-out eval set of the narrow task.");
  }

  const fineTunes = approach === "fine_tune" || approach === "hybrid";
  const fineTune = fineTunes
    ? unique([
        ...rows.map((r) => r.fineTune),
        ...input.plan.targets
          .filter((t) => t !== "orchestration" && t !== "whole_agent")
          .map((t) => FINE_TUNE_TARGET_WORDS[t]),
      ])
    : [];
  const keepOnFrontier = approach === "fine_tune" ? [] : unique(rows.map((r) => r.keepOnFrontier));

  const warnings: Advice["warnings"] = [];
  const warn = (
    antiPattern: AntiPatternId,
    severity: "warning" | "info" = "warning",
    message?: string,
  ) =>
    warnings.push({
      antiPattern,
      severity,
      ...ANTI_PATTERNS[antiPattern],
      ...(message ? { message } : {}),
    });
  const plan = input.plan;
  const planned = fineTunes || plan.targets.length > 0;

  if (plan.targets.includes("orchestration") || plan.targets.includes("whole_agent")) {
    warn("fine_tuning_orchestration");
  }
  if (plan.targets.includes("whole_agent")) warn("fine_tuning_end_to_end");
  if (plan.currentSetup === "frontier_only" && highVolume) warn("frontier_for_everything");
  if (plan.trainingData === "synthetic") warn("synthetic_traces");
  if (plan.trainingData === "mixed") {
    warn(
      "synthetic_traces",
      "info",
      "Mixed data is fine when production traces lead: keep synthetic examples to the coverage gaps the traces leave.",
    );
  }
  if (planned && plan.hasEvalHarness === false) warn("no_eval_harness");
  if (planned && plan.retuneCadence === "never") warn("one_time_investment");

  return {
    approach,
    headline: HEADLINES[approach],
    reasons: rows.map((r) => ({
      situation: r.id,
      label: r.label,
      approach: r.approach,
      recommendation: r.recommendation,
      reason: r.reason,
    })),
    fineTune,
    keepOnFrontier,
    notes,
    warnings,
  };
}
