import type { AcceptableCall, ToolCall } from "@/lib/schemas/eval-metrics";
import { checkType, sameValue } from "./arguments";
import {
  additionalSchema,
  allowsAdditional,
  asSchema,
  schemaProperties,
  schemaRequired,
  type Schema,
} from "./json-schema";
import { isRecord, show } from "./outcome";

/**
 * References with acceptable sets (BFCL's `possible_answer` semantics, see AcceptableCall): per
 * argument a list of acceptable values, where `""` means "may be left out" and `null` that null
 * is acceptable; a list-valued argument lists each acceptable list; an object-valued argument
 * lists objects whose fields are themselves lists of acceptable values (`{"city": ["Paris"]}`).
 */

/** The marker BFCL puts among an argument's acceptable values when it may be left out. */
export const OMITTABLE = "";

/**
 * A plain expected call as an acceptable set: each argument's only acceptable value is the
 * reference's (BFCL's shape, so an object value becomes `{field: [value]}` and a list of objects
 * a list of those). Nothing may be left out: the `bfcl` profile reads plain references this way.
 */
export function toAcceptable(call: ToolCall): AcceptableCall {
  const args: Record<string, unknown[]> = {};
  for (const [key, value] of Object.entries(call.arguments)) args[key] = [literalAnswer(value)];
  return { name: call.name, arguments: args };
}

function literalAnswer(value: unknown): unknown {
  if (isRecord(value)) return objectAnswer(value);
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
    return value.map(objectAnswer);
  }
  return value;
}

function objectAnswer(value: Record<string, unknown>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [key, v] of Object.entries(value)) out[key] = [v];
  return out;
}

/**
 * "expected one of "celsius", "c" (or omitted)": an argument's acceptable set in words, for
 * reasons and the case view. At most `limit` values are listed.
 */
export function describeAcceptable(
  answers: readonly unknown[],
  render: (value: unknown) => string = (v) => show(v),
  limit = 6,
): string {
  const values = answers.filter((a) => a !== OMITTABLE);
  const omittable = values.length !== answers.length;
  if (values.length === 0) return "expected it omitted";
  const listed = values.slice(0, limit).map(render).join(", ");
  const more = values.length > limit ? `, … (${values.length - limit} more)` : "";
  const base = values.length === 1 ? `expected ${listed}` : `expected one of ${listed}${more}`;
  return omittable ? `${base} (or omitted)` : base;
}

/**
 * The `retune` profile's check of one call's arguments against an acceptable set, under the
 * tool's parameters schema: every problem found (empty = the call matches), phrased like
 * `checkArguments`' so the caller can prefix the function name.
 *
 * - Schema first: required arguments present, no argument the schema does not declare (unless
 *   `additionalProperties` lets it through), JSON Schema types as `checkType` reads them (so an
 *   integer passes in a float array and an integral float as an integer, unlike BFCL).
 * - An argument the entry does not list must be left out; one it lists must be present unless
 *   `""` is among its values. Schema defaults play no part: the set says what may be omitted.
 * - The value must equal one of the acceptable values as `sameValue` compares (retune's string
 *   normalisation, numbers numerically, lists in order). null passes wherever the set lists it.
 */
export function checkAcceptableArguments(
  parameters: unknown,
  answers: Record<string, readonly unknown[]>,
  actual: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  const schema = asSchema(parameters);
  const props = schemaProperties(schema);
  const required = props ? schemaRequired(schema) : [];
  for (const key of required) {
    if (!Object.hasOwn(actual, key)) problems.push(`missing required argument "${key}"`);
  }
  for (const [key, value] of Object.entries(actual)) {
    let propSchema: Schema | null = null;
    if (props) {
      if (Object.hasOwn(props, key)) propSchema = asSchema(props[key]);
      else if (allowsAdditional(schema)) propSchema = additionalSchema(schema);
      else {
        problems.push(`unexpected argument "${key}"`);
        continue;
      }
    }
    if (!Object.hasOwn(answers, key)) {
      problems.push(
        `unexpected argument "${key}" (the reference does not list it, so it must be left out)`,
      );
      continue;
    }
    const set = answers[key]!;
    if (value === null && set.includes(null)) continue;
    const typeProblem = checkType(propSchema, value, key);
    if (typeProblem) {
      problems.push(typeProblem);
      continue;
    }
    if (!set.some((alt) => matchesAlternative(alt, value))) {
      problems.push(
        `argument "${key}": ${describeAcceptable(set)}, got ${show(value)} (value not in the acceptable set)`,
      );
    }
  }
  for (const [key, set] of Object.entries(answers)) {
    if (Object.hasOwn(actual, key) || required.includes(key)) continue;
    if (!set.includes(OMITTABLE)) {
      problems.push(
        `argument "${key}": ${describeAcceptable(set)}, got nothing (omitted, and the reference does not allow leaving it out)`,
      );
    }
  }
  return problems;
}

/**
 * Whether `value` is the acceptable value `alt`: equal as `sameValue` says, or, when `alt` is an
 * object whose fields are all lists (BFCL's shape for an object argument), an object whose
 * fields each match one of the listed values, leaving out only fields that list `""`. Lists
 * compare item by item, so a list of such objects works too.
 */
export function matchesAlternative(alt: unknown, value: unknown): boolean {
  if (sameValue(alt, value)) return true;
  if (Array.isArray(alt) && Array.isArray(value)) {
    return alt.length === value.length && alt.every((a, i) => matchesAlternative(a, value[i]));
  }
  if (isRecord(alt) && isRecord(value) && Object.values(alt).every(Array.isArray)) {
    const fields = alt as Record<string, unknown[]>;
    for (const [key, v] of Object.entries(value)) {
      if (!Object.hasOwn(fields, key)) return false;
      if (!fields[key]!.some((a) => matchesAlternative(a, v))) return false;
    }
    return Object.entries(fields).every(
      ([key, set]) => Object.hasOwn(value, key) || set.includes(OMITTABLE),
    );
  }
  return false;
}
