/**
 * The calibrated escalation rule as code an agent can drop in: TypeScript and Python functions
 * taking the small model's output validity and its tokens' log-probabilities. They compute the
 * confidence exactly as `confidenceSignals` does (mean summed left to right — in Python a plain
 * loop, since `sum()` of floats compensates rounding from 3.12 on), so an agent's decisions are
 * the ones the calibration measured. τ is written with JavaScript's shortest round-trip form,
 * which Python parses to the same double.
 */
import type { RoutingRule } from "@/lib/schemas/economics";

const SIGNAL_WORDS: Record<RoutingRule["signal"], string> = {
  mean_logprob: "mean token log-probability",
  min_logprob: "minimum token log-probability",
};

/** One sentence saying what the rule does. */
export function describeRule(rule: RoutingRule): string {
  if (rule.minConfidence === "+inf") return "Escalate every call to the frontier model.";
  if (rule.minConfidence === "-inf") {
    return rule.escalateWhenInvalid
      ? "Escalate to the frontier model only when the small model's output is invalid."
      : "Never escalate: the small model answers every call.";
  }
  const signal = `${SIGNAL_WORDS[rule.signal]} is below ${String(rule.minConfidence)}`;
  return rule.escalateWhenInvalid
    ? `Escalate to the frontier model when the small model's output is invalid or its ${signal}.`
    : `Escalate to the frontier model when the small model's ${signal}.`;
}

export function ruleToTypeScript(rule: RoutingRule): string {
  const lines = [
    "// Escalation rule calibrated by retune on eval runs of the small model and the frontier model.",
    `// ${describeRule(rule)}`,
    "// valid: the output parsed, matched its schema and named a tool that exists.",
    "// tokenLogprobs: the log-probability of each generated token (OpenAI-compatible",
    "// `choices[0].logprobs.content[i].logprob`), or null when the server returned none.",
    `export const ESCALATION_RULE = ${JSON.stringify(rule)} as const;`,
    "",
    "export function shouldEscalate(output: {",
    "  valid: boolean;",
    "  tokenLogprobs: readonly number[] | null;",
    "}): boolean {",
  ];
  if (rule.minConfidence === "+inf") {
    lines.push("  return true;");
  } else {
    if (rule.escalateWhenInvalid) lines.push("  if (!output.valid) return true;");
    if (rule.minConfidence === "-inf") {
      lines.push("  return false; // no confidence threshold");
    } else {
      lines.push(
        "  const lp = output.tokenLogprobs;",
        "  if (lp === null || lp.length === 0) return true; // nothing vouches for the answer",
      );
      if (rule.signal === "mean_logprob") {
        lines.push(
          "  let confidence = 0;",
          "  for (const x of lp) confidence += x;",
          "  confidence /= lp.length;",
        );
      } else {
        lines.push(
          "  let confidence = Infinity;",
          "  for (const x of lp) if (x < confidence) confidence = x;",
        );
      }
      lines.push(`  return confidence < ${String(rule.minConfidence)};`);
    }
  }
  lines.push("}", "");
  return lines.join("\n");
}

function pythonValue(v: RoutingRule["minConfidence"]): string {
  if (v === "-inf") return 'float("-inf")';
  if (v === "+inf") return 'float("inf")';
  return String(v);
}

export function ruleToPython(rule: RoutingRule): string {
  const lines = [
    "# Escalation rule calibrated by retune on eval runs of the small model and the frontier model.",
    `# ${describeRule(rule)}`,
    "# valid: the output parsed, matched its schema and named a tool that exists.",
    "# token_logprobs: the log-probability of each generated token (OpenAI-compatible",
    "# choices[0].logprobs.content[i].logprob), or None when the server returned none.",
    "from typing import Optional, Sequence",
    "",
    "ESCALATION_RULE = {",
    `    "escalateWhenInvalid": ${rule.escalateWhenInvalid ? "True" : "False"},`,
    `    "minConfidence": ${pythonValue(rule.minConfidence)},`,
    `    "signal": ${JSON.stringify(rule.signal)},`,
    "}",
    "",
    "",
    "def should_escalate(valid: bool, token_logprobs: Optional[Sequence[float]]) -> bool:",
  ];
  if (rule.minConfidence === "+inf") {
    lines.push("    return True");
  } else {
    if (rule.escalateWhenInvalid) lines.push("    if not valid:", "        return True");
    if (rule.minConfidence === "-inf") {
      lines.push("    return False  # no confidence threshold");
    } else {
      lines.push(
        "    if not token_logprobs:",
        "        return True  # nothing vouches for the answer",
      );
      if (rule.signal === "mean_logprob") {
        lines.push(
          "    # A plain loop, not sum(): sum() of floats compensates rounding since Python 3.12.",
          "    confidence = 0.0",
          "    for x in token_logprobs:",
          "        confidence += x",
          "    confidence /= len(token_logprobs)",
        );
      } else {
        lines.push("    confidence = min(token_logprobs)");
      }
      lines.push(`    return confidence < ${pythonValue(rule.minConfidence)}`);
    }
  }
  lines.push("");
  return lines.join("\n");
}
