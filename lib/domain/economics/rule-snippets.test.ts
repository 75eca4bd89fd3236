import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { CalibrationCase, RoutingRule } from "@/lib/schemas/economics";
import { mulberry32 } from "../prng";
import { confidenceSignals, escalates } from "./routing";
import { describeRule, ruleToPython, ruleToTypeScript } from "./rule-snippets";

type Output = { valid: boolean; tokenLogprobs: readonly number[] | null };

/** Compiles the TypeScript snippet as an agent would and returns its shouldEscalate. */
function compile(rule: RoutingRule): (o: Output) => boolean {
  const js = ts.transpileModule(ruleToTypeScript(rule), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const mod = { exports: {} as { shouldEscalate: (o: Output) => boolean } };
  new Function("exports", "module", js)(mod.exports, mod);
  return mod.exports.shouldEscalate;
}

const RULES = [
  { escalateWhenInvalid: true, minConfidence: -0.41234567890123, signal: "mean_logprob" },
  { escalateWhenInvalid: true, minConfidence: -1.7, signal: "min_logprob" },
  { escalateWhenInvalid: false, minConfidence: -0.3, signal: "mean_logprob" },
  { escalateWhenInvalid: true, minConfidence: "-inf", signal: "mean_logprob" },
  { escalateWhenInvalid: false, minConfidence: "-inf", signal: "min_logprob" },
  { escalateWhenInvalid: true, minConfidence: "+inf", signal: "mean_logprob" },
] as const satisfies readonly RoutingRule[];

describe("rule snippets", () => {
  it("the TypeScript snippet decides every case as the calibration did", () => {
    const rand = mulberry32(42);
    const outputs: Output[] = Array.from({ length: 2_000 }, () => ({
      valid: rand() < 0.9,
      tokenLogprobs:
        rand() < 0.05
          ? rand() < 0.5
            ? null
            : []
          : Array.from({ length: 1 + Math.floor(rand() * 60) }, () => Math.log(rand())),
    }));
    for (const rule of RULES) {
      const shouldEscalate = compile(rule);
      for (const o of outputs) {
        const asCase: CalibrationCase = {
          candidateCorrect: 1,
          frontierCorrect: 1,
          valid: o.valid,
          ...confidenceSignals(o.tokenLogprobs),
          candidateCostUsd: 0,
          frontierCostUsd: 0,
        };
        expect(shouldEscalate(o)).toBe(escalates(rule, asCase));
      }
    }
  });

  it("embed the rule JSON and τ as written", () => {
    const ts1 = ruleToTypeScript(RULES[0]);
    expect(ts1).toContain(
      'export const ESCALATION_RULE = {"escalateWhenInvalid":true,"minConfidence":-0.41234567890123,"signal":"mean_logprob"} as const;',
    );
    expect(ts1).toContain("return confidence < -0.41234567890123;");
  });

  it("the Python snippet says the same, with a left-to-right mean and Python's infinities", () => {
    const py = ruleToPython(RULES[0]);
    expect(py).toContain('"escalateWhenInvalid": True,');
    expect(py).toContain('"minConfidence": -0.41234567890123,');
    expect(py).toContain(
      "def should_escalate(valid: bool, token_logprobs: Optional[Sequence[float]]) -> bool:",
    );
    expect(py).toContain(
      "    for x in token_logprobs:\n        confidence += x\n    confidence /= len(token_logprobs)",
    );
    expect(py).toContain("    return confidence < -0.41234567890123");
    expect(ruleToPython(RULES[1])).toContain("confidence = min(token_logprobs)");
    expect(ruleToPython(RULES[2])).not.toContain("if not valid");
    expect(ruleToPython(RULES[3])).toContain('"minConfidence": float("-inf"),');
    expect(ruleToPython(RULES[3])).toContain("return False  # no confidence threshold");
    expect(ruleToPython(RULES[5])).toContain("    return True\n");
  });

  it("describe the rule in a sentence", () => {
    expect(describeRule(RULES[0])).toBe(
      "Escalate to the frontier model when the small model's output is invalid or its mean token log-probability is below -0.41234567890123.",
    );
    expect(describeRule(RULES[3])).toMatch(/only when the small model's output is invalid/);
    expect(describeRule(RULES[4])).toMatch(/Never escalate/);
    expect(describeRule(RULES[5])).toMatch(/every call/);
  });
});
