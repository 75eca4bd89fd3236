import type { ToolDef } from "@/lib/domain/datasets/types";
import type { CaseExpected, CaseOutput } from "@/lib/schemas/eval-metrics";
import { fail, PASS, type Outcome } from "./outcome";

/**
 * Validates `args` against a tool's `parameters` JSON Schema: null when valid, else what is
 * wrong. Injected because the JSON Schema validator (ajv) lives in lib/server; there,
 * `createArgumentChecker()` from lib/server/datasets/tool-schemas.ts adapts as
 * `(parameters, args) => check([{ type: "function", function: { name: "t", parameters } }], "t", args)`.
 */
export type ValidateArgs = (parameters: unknown, args: unknown) => string | null;

/**
 * schema_validity: every produced call names a tool the case offers and its arguments validate
 * against that tool's parameters. It applies when the case offers tools and expects a call
 * (decided by the case, not the output, so runs compare over the same cases); then an
 * unparseable attempt or a text answer scores 0. Whether the call is the *right* one is
 * tool_call_accuracy's job: a valid call to the wrong tool passes here.
 */
export function scoreSchemaValidity(
  expected: CaseExpected,
  output: CaseOutput,
  tools: readonly ToolDef[],
  validateArgs: ValidateArgs,
): Outcome | null {
  if (expected.toolCalls.length === 0 || tools.length === 0) return null;
  if (output.toolCalls === null) return fail("the model's tool call could not be parsed");
  if (output.toolCalls.length === 0) return fail("expected a tool call, got a text answer");
  for (const call of output.toolCalls) {
    const tool = tools.find((t) => t.function.name === call.name);
    if (!tool) {
      const offered = tools.map((t) => t.function.name).join(", ");
      return fail(`${call.name}: not a tool the case offers (offered: ${offered})`);
    }
    let problem: string | null;
    try {
      problem = validateArgs(tool.function.parameters ?? {}, call.arguments);
    } catch (e) {
      // A schema the validator cannot compile is the case's defect, but the call still was not
      // shown valid; say so instead of failing the whole run.
      problem = `the schema check failed (${e instanceof Error ? e.message : String(e)})`;
    }
    if (problem !== null) return fail(`${call.name}: ${problem}`);
  }
  return PASS;
}
