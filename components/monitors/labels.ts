import type { DriftCheck, Monitor, MonitorMetric } from "@/lib/schemas/monitors";
import type { LoopStep, RetrainRequest } from "@/lib/schemas/retrain";
import type { BadgeTone } from "@/lib/client/badge-tone";

export const METRIC_LABEL: Record<MonitorMetric, string> = {
  tool_call_error_rate: "Tool-call error rate",
  escalation_rate: "Escalation rate",
  failure_rate: "Failure rate",
  latency_p95_ms: "Latency p95",
  cost_per_call_usd: "Cost per call",
  tool_psi: "Tool mix shift (PSI)",
  intent_psi: "Intent mix shift (PSI)",
  unseen_tool_share: "Unseen tool share",
  eval_score: "Canary eval score",
};

/** One line per metric, shown under the metric select: what the number is, so a threshold makes sense. */
export const METRIC_EXPLANATION: Record<MonitorMetric, string> = {
  tool_call_error_rate:
    "Share of calls whose tool call was invalid, among events that report toolCallValid.",
  escalation_rate: "Share of calls handed over to the frontier model, among events that report it.",
  failure_rate: "Share of calls whose outcome was failure.",
  latency_p95_ms: "95th-percentile latency of the window, in milliseconds.",
  cost_per_call_usd: "Mean cost of a call in US dollars, among events that report cost.",
  tool_psi:
    "Population stability index of the tool mix against the one frozen at promotion: < 0.1 stable, > 0.25 a significant shift.",
  intent_psi:
    "Population stability index of the intent mix against the one frozen at promotion: < 0.1 stable, > 0.25 a significant shift.",
  unseen_tool_share: "Share of calls to tools the production version never saw at promotion.",
  eval_score: "Score of the scheduled canary eval on the Model's suite; lower is worse.",
};

/** A starting threshold per metric, so a new monitor is sensible before anyone tunes it. */
export const DEFAULT_THRESHOLD: Record<MonitorMetric, number> = {
  tool_call_error_rate: 0.1,
  escalation_rate: 0.2,
  failure_rate: 0.1,
  latency_p95_ms: 2000,
  cost_per_call_usd: 0.01,
  tool_psi: 0.25,
  intent_psi: 0.25,
  unseen_tool_share: 0.05,
  eval_score: 0.7,
};

export const MONITOR_STATE_LABEL: Record<Monitor["state"], string> = {
  PENDING: "Pending",
  OK: "OK",
  WARNING: "Warning",
  INSUFFICIENT: "Insufficient data",
};

export const MONITOR_STATE_TONE: Record<Monitor["state"], BadgeTone> = {
  PENDING: "neutral",
  OK: "success",
  WARNING: "danger",
  INSUFFICIENT: "warning",
};

export const CHECK_STATUS_LABEL: Record<DriftCheck["status"], string> = {
  OK: "OK",
  BREACHED: "Breached",
  INSUFFICIENT_SAMPLES: "Too few samples",
  NO_BASELINE: "No baseline",
  NO_DATA: "No data",
};

export const CHECK_STATUS_TONE: Record<DriftCheck["status"], BadgeTone> = {
  OK: "success",
  BREACHED: "danger",
  INSUFFICIENT_SAMPLES: "warning",
  NO_BASELINE: "warning",
  NO_DATA: "neutral",
};

export const CHECK_OUTCOME_LABEL: Record<NonNullable<DriftCheck["outcome"]>, string> = {
  retrain_opened: "Retrain opened",
  retrain_in_progress: "Retrain already in progress",
  retrain_skipped: "Retrain skipped",
  cooldown: "In cooldown",
  alerted: "Alert sent",
};

export const ACTION_LABEL: Record<Monitor["action"], string> = {
  retrain: "Retrain",
  alert: "Alert",
};

export const STEP_STATE_LABEL: Record<LoopStep["state"], string> = {
  done: "Done",
  active: "In progress",
  failed: "Failed",
  skipped: "Skipped",
  pending: "Pending",
  waiting: "Waiting for a person",
};

/** Colours of a step's marker and edge: CSS custom properties, so dark mode follows. */
export const STEP_STATE_COLOR: Record<LoopStep["state"], string> = {
  done: "var(--success)",
  active: "var(--info)",
  failed: "var(--danger)",
  skipped: "var(--warning)",
  pending: "var(--text-faint)",
  waiting: "var(--warning)",
};

export const RETRAIN_STATUS_LABEL: Record<RetrainRequest["status"], string> = {
  BUILDING: "Building dataset",
  LAUNCHED: "Launched",
  SKIPPED: "Skipped",
  FAILED: "Failed",
};

export const RETRAIN_STATUS_TONE: Record<RetrainRequest["status"], BadgeTone> = {
  BUILDING: "info",
  LAUNCHED: "info",
  SKIPPED: "warning",
  FAILED: "danger",
};

export const RETRAIN_TRIGGER_LABEL: Record<RetrainRequest["trigger"], string> = {
  DRIFT: "Drift",
  SCHEDULE: "Schedule",
  MANUAL: "Run now",
};

export const RETRAIN_TRIGGER_TONE: Record<RetrainRequest["trigger"], BadgeTone> = {
  DRIFT: "warning",
  SCHEDULE: "info",
  MANUAL: "neutral",
};
