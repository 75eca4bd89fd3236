import {
  additionalSchema,
  allowsAdditional,
  asSchema,
  hasType,
  itemsSchema,
  schemaProperties,
  schemaRequired,
  schemaTypes,
  type Schema,
} from "./json-schema";
import { standardizeString } from "./normalize";
import { isRecord, jsonTypeOf, show } from "./outcome";

/**
 * The `retune` profile's check of one call's arguments against a plain expected call (one
 * concrete value per argument), under the tool's parameters schema. Returns every problem found
 * (empty = the call matches), each phrased `argument "path": …` so the caller can prefix the
 * function name. References with acceptable sets go through `checkAcceptableArguments`, and the
 * `bfcl` profile through `checkBfclCall`.
 *
 * Where BFCL relies on its answer format (a list of acceptable values per parameter, "" meaning
 * "may be omitted") and a plain reference has one value, omissions are judged by effective value:
 * an omitted optional argument takes the schema's `default`. So an argument present on one side
 * only passes when the other side's effective value (its default) equals it, and fails when the
 * schema has no default or a different one.
 */
export function checkArguments(
  parameters: unknown,
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
): string[] {
  const problems: string[] = [];
  checkObject(asSchema(parameters), expected, actual, "", problems);
  return problems;
}

function at(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function checkObject(
  schema: Schema | null,
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
  path: string,
  out: string[],
): void {
  const props = schemaProperties(schema);
  if (props) {
    for (const key of schemaRequired(schema)) {
      if (!Object.hasOwn(actual, key)) out.push(`missing required argument "${at(path, key)}"`);
    }
  }
  for (const key of Object.keys(actual)) {
    const name = at(path, key);
    let propSchema: Schema | null = null;
    if (props) {
      if (Object.hasOwn(props, key)) propSchema = asSchema(props[key]);
      else if (allowsAdditional(schema)) propSchema = additionalSchema(schema);
      else {
        out.push(`unexpected argument "${name}"`);
        continue;
      }
    }
    const value = actual[key];
    if (Object.hasOwn(expected, key)) {
      checkValue(propSchema, expected[key], value, name, out);
      continue;
    }
    const typeProblem = checkType(propSchema, value, name);
    if (typeProblem) {
      out.push(typeProblem);
      continue;
    }
    const fallback = propSchema?.default;
    if (fallback === undefined || !sameValue(fallback, value)) {
      out.push(
        `argument "${name}": expected it omitted${fallback === undefined ? "" : ` (default ${show(fallback)})`}, got ${show(value)}`,
      );
    }
  }
  for (const key of Object.keys(expected)) {
    if (Object.hasOwn(actual, key)) continue;
    // Already reported as missing above.
    if (props && schemaRequired(schema).includes(key)) continue;
    const propSchema = props ? asSchema(props[key]) : null;
    const fallback = propSchema?.default;
    if (fallback === undefined || !sameValue(fallback, expected[key])) {
      out.push(
        `argument "${at(path, key)}": expected ${show(expected[key])}, got nothing (omitted)`,
      );
    }
  }
}

/**
 * The type problem of `value` under `schema`, recursing into array items; null when none. JSON
 * Schema rules, lenient where BFCL is strict: an integral float parsed to an integer passes as
 * one, and an integer passes where a number (or BFCL's "float") is expected, inside arrays too.
 */
export function checkType(schema: Schema | null, value: unknown, name: string): string | null {
  const types = schemaTypes(schema);
  if (types && !types.some((t) => hasType(value, t))) {
    return `argument "${name}": expected ${types.join(" or ")}, got ${jsonTypeOf(value)} ${show(value)}`;
  }
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    for (let i = 0; i < value.length; i++) {
      const p = checkType(items, value[i], `${name}[${i}]`);
      if (p) return p;
    }
  }
  return null;
}

function checkValue(
  schema: Schema | null,
  expected: unknown,
  actual: unknown,
  name: string,
  out: string[],
): void {
  const typeProblem = checkType(schema, actual, name);
  if (typeProblem) {
    out.push(typeProblem);
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    // BFCL's list checker is order-sensitive: ["a","b"] and ["b","a"] are different arguments.
    if (actual.length !== expected.length) {
      out.push(
        `argument "${name}": expected ${expected.length} items ${show(expected)}, got ${actual.length} ${show(actual)}`,
      );
      return;
    }
    const items = itemsSchema(schema);
    for (let i = 0; i < actual.length; i++) {
      checkValue(items, expected[i], actual[i], `${name}[${i}]`, out);
    }
    return;
  }
  if (isRecord(actual) && isRecord(expected)) {
    checkObject(schema, expected, actual, name, out);
    return;
  }
  if (!sameValue(expected, actual)) {
    out.push(`argument "${name}": expected ${show(expected)}, got ${show(actual)}`);
  }
}

/**
 * Value equality after normalisation: strings by BFCL's standardize_string, numbers numerically
 * (so 5 and 5.0 agree), arrays element-wise in order, objects key by key.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") {
    return standardizeString(a) === standardizeString(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]))
    );
  }
  return a === b;
}
