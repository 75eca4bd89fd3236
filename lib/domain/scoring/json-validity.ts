import type { CaseExpected, CaseOutput } from "@/lib/schemas/eval-metrics";
import { fail, isRecord, PASS, show, type Outcome } from "./outcome";

/**
 * json_validity. Whether it applies depends on the case only, never on the output, so a
 * candidate and production are averaged over the same cases:
 *
 * - The case expects a call: every produced call's arguments must parse as a JSON object —
 *   judged on `rawArguments` when the endpoint kept them, else `toolCalls` not null means they
 *   parsed. An unparseable attempt (null) or a text answer (no call) scores 0.
 * - The case expects text that is itself a JSON object or array: the answer text (trimmed) must
 *   parse as JSON. A reference like "42" or "true" is read as plain text.
 * - Otherwise the metric is absent.
 */
export function scoreJsonValidity(expected: CaseExpected, output: CaseOutput): Outcome | null {
  if (expected.toolCalls.length > 0) return callsValidity(output);
  if (expected.text !== null && isJsonDocument(expected.text)) {
    const error = parseError(output.text.trim());
    return error === null
      ? PASS
      : fail(`the answer is not valid JSON (${error}): ${show(output.text)}`);
  }
  return null;
}

function callsValidity(output: CaseOutput): Outcome {
  const raw = output.rawArguments ?? [];
  for (let i = 0; i < raw.length; i++) {
    const problem = argumentsProblem(raw[i]!);
    if (problem) return fail(`call ${i + 1}: ${problem}`);
  }
  if (output.toolCalls === null) return fail("the model's tool call could not be parsed");
  if (output.toolCalls.length === 0) return fail("expected a tool call, got a text answer");
  return PASS;
}

function argumentsProblem(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return `arguments are not valid JSON (${(e as Error).message}): ${show(text)}`;
  }
  if (isRecord(value)) return null;
  return typeof value === "string"
    ? `arguments decode to a string, not an object (double-encoded?): ${show(text)}`
    : `arguments decode to ${Array.isArray(value) ? "an array" : String(value)}, not an object`;
}

function isJsonDocument(text: string): boolean {
  const t = text.trim();
  return (t.startsWith("{") || t.startsWith("[")) && parseError(t) === null;
}

function parseError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
