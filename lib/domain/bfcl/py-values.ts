import type { BfclParam } from "./schemas";

/**
 * Argument values as BFCL's checker sees them. BFCL decodes an OpenAI-format model's arguments
 * with Python's `json.loads`, where `5` is an int and `5.0` a float, and its type rules tell the
 * two apart; `JSON.parse` does not. Here a Python float is a PyFloat and a Python int a plain
 * number, so the values generated for the agreement test carry the type BFCL would read, and
 * their JSON text (renderPy) is what a model following BFCL's types writes.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyValue =
  string | number | boolean | null | PyFloat | PyValue[] | { [key: string]: PyValue };

/** Python's `type(value).__name__` for a decoded JSON value. */
export type PyType = "str" | "int" | "float" | "bool" | "list" | "dict" | "NoneType";

export function pyTypeOf(value: unknown): PyType {
  if (value === null) return "NoneType";
  if (value instanceof PyFloat) return "float";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    default:
      return "dict";
  }
}

/** The number inside an int, a float or a bool (Python's `True == 1`), else null. */
export function pyNumber(value: unknown): number | null {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

export function isPyDict(value: unknown): value is { [key: string]: PyValue } {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof PyFloat)
  );
}

/**
 * A value read with JSON.parse, typed the way the BFCL doc declares its position: a number where
 * the doc says "float" (or one with a fraction anywhere) is a float, any other number an int.
 * BFCL's answer files write floats with a decimal point exactly where the doc says "float" (so
 * typing by the doc restores what JSON.parse dropped); test/data/bfcl/README.md says how the
 * sample was checked for that.
 */
export function typedValue(value: unknown, param: BfclParam | undefined): PyValue {
  if (typeof value === "number") {
    return param?.type === "float" || !Number.isInteger(value) ? new PyFloat(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => typedValue(v, param?.items));
  if (isPyDict(value)) {
    const out: { [key: string]: PyValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = typedValue(v, param?.properties?.[k]);
    return out;
  }
  return value as PyValue;
}

/**
 * One acceptable value of a possible answer, typed like typedValue. A dict is BFCL's
 * dict-of-acceptable-lists (`{"min": [300000]}`), and a list of such dicts a list-of-dicts
 * answer; "" (may be left out) stays "".
 */
export function typedAcceptable(value: unknown, param: BfclParam | undefined): PyValue {
  if (value === "") return "";
  if (isPyDict(value)) return typedAcceptableDict(value, param);
  if (Array.isArray(value) && value.length > 0 && value.every(isPyDict)) {
    return value.map((d) => typedAcceptableDict(d, param?.items));
  }
  return typedValue(value, param);
}

function typedAcceptableDict(
  dict: { [key: string]: unknown },
  param: BfclParam | undefined,
): { [key: string]: PyValue } {
  const out: { [key: string]: PyValue } = {};
  for (const [k, values] of Object.entries(dict)) {
    const field = param?.properties?.[k];
    out[k] = Array.isArray(values) ? values.map((v) => typedAcceptable(v, field)) : [];
  }
  return out;
}

/**
 * A first-choice concrete value from an acceptable value: a dict-of-acceptable-lists becomes the
 * dict of each field's first value (fields whose first value is "" left out).
 */
export function concreteValue(acceptable: PyValue): PyValue {
  if (isPyDict(acceptable)) {
    const out: { [key: string]: PyValue } = {};
    for (const [k, values] of Object.entries(acceptable)) {
      const first = Array.isArray(values) ? values[0] : undefined;
      if (first !== undefined && first !== "") out[k] = concreteValue(first);
    }
    return out;
  }
  if (Array.isArray(acceptable) && acceptable.length > 0 && acceptable.every(isPyDict)) {
    return acceptable.map(concreteValue);
  }
  return acceptable;
}

/**
 * JSON text of a Python value as `json.dumps` writes its numbers: a float always with a decimal
 * point or an exponent (`5.0`, `1e-09`), an int without.
 */
export function renderPy(value: PyValue): string {
  if (value instanceof PyFloat) {
    const text = JSON.stringify(value.value);
    return /[.eE]/.test(text) ? text : `${text}.0`;
  }
  if (Array.isArray(value)) return `[${value.map(renderPy).join(", ")}]`;
  if (isPyDict(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${renderPy(v)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}
