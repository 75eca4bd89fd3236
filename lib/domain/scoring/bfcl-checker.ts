import type { AcceptableCall } from "@/lib/schemas/eval-metrics";
import { describeAcceptable, OMITTABLE } from "./acceptable";
import {
  asSchema,
  itemsSchema,
  schemaProperties,
  schemaRequired,
  schemaTypes,
  type Schema,
} from "./json-schema";
import { bfclStandardizeString } from "./normalize";
import { isRecord } from "./outcome";
import { IntegralFloat, showTyped } from "./raw-numbers";

/**
 * The `bfcl` profile: a port of BFCL's AST checker for one call (gorilla,
 * berkeley-function-call-leaderboard/bfcl_eval/eval_checker/ast_eval/ast_checker.py,
 * `simple_function_checker` and the helpers it calls, Python branch), on values typed the way
 * Python's `json.loads` types the model's argument text: `5` is an int, `5.0` a float
 * (IntegralFloat when it is whole), `true` a bool, never an int.
 *
 * BFCL returns at its first error; this collects one problem per argument instead. The verdict
 * (no problem at all) is the same.
 */

/** Python's `type(value)` for a JSON value. */
type PyType = "str" | "int" | "float" | "bool" | "NoneType" | "list" | "dict";

/**
 * BFCL's PYTHON_TYPE_MAPPING, plus the JSON Schema words an imported suite's tools use instead
 * ("number" and "object" are what BFCL's own OpenAI handlers send for "float" and "dict").
 * "any" maps to str, as in BFCL.
 */
const PY_TYPES: Record<string, PyType> = {
  string: "str",
  integer: "int",
  float: "float",
  number: "float",
  boolean: "bool",
  array: "list",
  tuple: "list",
  dict: "dict",
  object: "dict",
  any: "str",
};

const PY_WORDS: Record<PyType, string> = {
  str: "string",
  int: "integer",
  float: "float",
  bool: "boolean",
  NoneType: "null",
  list: "array",
  dict: "object",
};

function isDict(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !(value instanceof IntegralFloat);
}

/** `type(value)` of a value decoded from the model's arguments. */
function pyType(value: unknown): PyType | null {
  if (value instanceof IntegralFloat) return "float";
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "object":
      return "dict";
    default:
      return null;
  }
}

/**
 * `type(answer)` of an acceptable value. Acceptable sets arrive as parsed JSON, where BFCL's
 * `5.0` is already 5; BFCL's data writes a float-typed value as a float, so a whole number at a
 * position whose declared type is float is read as one (it decides BFCL's "variable" rule and
 * whether an integer may sit in a float array).
 */
function answerType(answer: unknown, position: PyType | null): PyType | null {
  if (typeof answer === "number" && Number.isInteger(answer)) {
    return position === "float" ? "float" : "int";
  }
  return pyType(answer);
}

/** BFCL's get_possible_answer_type: the type of the first acceptable value that is not "". */
function possibleAnswerType(answers: readonly unknown[], position: PyType | null): PyType | null {
  for (const a of answers) if (a !== OMITTABLE) return answerType(a, position);
  return null;
}

function numeric(value: unknown): number | null {
  if (value instanceof IntegralFloat) return value.value;
  if (typeof value === "number") return value;
  // Python's bool is an int: True == 1 == 1.0.
  if (typeof value === "boolean") return value ? 1 : 0;
  return null;
}

/** Python's `==` on JSON values: numbers and bools numerically, lists in order, dicts by key. */
function pyEq(a: unknown, b: unknown): boolean {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null || nb !== null) return na === nb;
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => Object.hasOwn(b, k) && pyEq(a[k], b[k]))
    );
  }
  return false;
}

function pyIn(value: unknown, list: readonly unknown[]): boolean {
  return list.some((x) => pyEq(value, x));
}

function standardized(value: unknown): unknown {
  return typeof value === "string" ? bfclStandardizeString(value) : value;
}

/**
 * Problems of one produced call (`name`, `actual` typed from its raw text) against one entry of
 * BFCL's possible answer: the name, the schema's required parameters, no parameter outside the
 * schema or the entry, each value's type and value, and no listed parameter left out unless its
 * values include "". Problems are phrased `argument "x": …` (the caller prefixes the function),
 * except a wrong name, which stands alone.
 */
export function checkBfclCall(
  entry: AcceptableCall,
  name: string,
  actual: Record<string, unknown>,
  parameters: unknown,
): string[] {
  if (entry.name !== name) return [`expected a call to ${entry.name}, got a call to ${name}`];
  const schema = asSchema(parameters);
  const props = schemaProperties(schema);
  const required = schemaRequired(schema);
  const problems: string[] = [];
  for (const key of required) {
    if (!Object.hasOwn(actual, key)) problems.push(`missing required argument "${key}"`);
  }
  for (const [key, value] of Object.entries(actual)) {
    if (props && !Object.hasOwn(props, key)) {
      problems.push(`unexpected argument "${key}" (not in the tool's schema)`);
      continue;
    }
    if (!Object.hasOwn(entry.arguments, key)) {
      problems.push(
        `unexpected argument "${key}" (the reference does not list it, so it must be left out)`,
      );
      continue;
    }
    const propSchema = props ? asSchema(props[key]) : null;
    const problem = checkParameter(key, propSchema, value, entry.arguments[key]!);
    if (problem) problems.push(problem);
  }
  for (const [key, answers] of Object.entries(entry.arguments)) {
    if (Object.hasOwn(actual, key) || required.includes(key)) continue;
    if (!answers.includes(OMITTABLE)) {
      problems.push(
        `argument "${key}": ${describe(answers)}, got nothing (omitted, and the reference does not allow leaving it out)`,
      );
    }
  }
  return problems;
}

function describe(answers: readonly unknown[]): string {
  return describeAcceptable(answers, (v) => showTyped(v));
}

/**
 * The declared type word BFCL would read for this value: the schema's `type`, or, for a JSON
 * Schema union (which BFCL's data never has), the member the value's type fits; null when the
 * schema names no type BFCL knows (then no type check: BFCL itself would stop with an error).
 */
function typeWord(schema: Schema | null, value: unknown): string | null {
  const words = schemaTypes(schema);
  if (!words) return null;
  if (value === null && words.includes("null")) return null;
  const known = words.filter((w) => Object.hasOwn(PY_TYPES, w));
  if (known.length <= 1) return known[0] ?? null;
  const t = pyType(value);
  return (
    known.find((w) => PY_TYPES[w] === t || (PY_TYPES[w] === "float" && t === "int")) ?? known[0]!
  );
}

function checkParameter(
  key: string,
  schema: Schema | null,
  value: unknown,
  answers: readonly unknown[],
): string | null {
  const word = typeWord(schema, value);
  if (word === null) return untypedValueProblem(key, value, answers);
  const expected = PY_TYPES[word]!;
  let nestedWord: string | null = null;
  if (expected === "list") {
    const items = itemsSchema(schema);
    nestedWord = (schemaTypes(items) ?? []).find((w) => Object.hasOwn(PY_TYPES, w)) ?? null;
  }
  const nested = nestedWord === null ? null : PY_TYPES[nestedWord]!;

  // BFCL: "Allow python auto conversion from int to float" (top level only).
  let typed = value;
  if (expected === "float" && pyType(value) === "int") {
    typed = new IntegralFloat(value as number, String(value));
  }
  const check = typeCheck(typed, answers, expected, nested);
  if (!check.valid) return typeProblem(key, word, nestedWord, nested, value, check.nestedFailed);

  // A "variable" (a value of the acceptable values' type rather than the schema's) skips the
  // structured checks and is compared as is, like BFCL.
  if (!check.isVariable) {
    if (expected === "dict") return dictProblem(key, typed as Record<string, unknown>, answers);
    if (expected === "list" && nested === "dict") {
      return listOfDictsProblem(key, typed as unknown[], answers);
    }
    if (expected === "str") return stringProblem(key, typed as string, answers);
    if (expected === "list") return listProblem(key, typed as unknown[], answers);
  }
  if (pyIn(typed, answers)) return null;
  return `argument "${key}": ${describe(answers)}, got ${showTyped(value)} (value not in the acceptable set)`;
}

type TypeCheck = { valid: boolean; isVariable: boolean; nestedFailed: boolean };

/**
 * BFCL's type_checker. The value passes when its type is the declared one (for a list, each
 * item's type must also fit one of the acceptable lists, one level deep), or when it is the type
 * of the acceptable values instead (BFCL's "variable" rule, which is how a null listed first
 * passes). An acceptable entry that is not a list ("" included) passes the item check outright.
 */
function typeCheck(
  value: unknown,
  answers: readonly unknown[],
  expected: PyType,
  nested: PyType | null,
): TypeCheck {
  const answerT = possibleAnswerType(answers, expected);
  const isVariable = answerT !== null && answerT !== expected;
  const t = pyType(value);
  if (t === expected) {
    if (nested === null) return { valid: true, isVariable, nestedFailed: false };
    for (const answer of answers) {
      const fits =
        !Array.isArray(answer) ||
        (value as unknown[]).every((item) => typeCheck(item, answer, nested, null).valid);
      if (fits) return { valid: true, isVariable, nestedFailed: false };
    }
    return { valid: false, isVariable: false, nestedFailed: true };
  }
  if (answerT !== null && t === answerT)
    return { valid: true, isVariable: true, nestedFailed: false };
  return { valid: false, isVariable: false, nestedFailed: false };
}

function typeProblem(
  key: string,
  word: string,
  nestedWord: string | null,
  nested: PyType | null,
  value: unknown,
  nestedFailed: boolean,
): string {
  const t = pyType(value);
  const i =
    nestedFailed && Array.isArray(value) ? value.findIndex((v) => pyType(v) !== nested) : -1;
  if (i >= 0) {
    const item = (value as unknown[])[i];
    const itemT = pyType(item);
    const rule =
      nested === "float" && itemT === "int"
        ? "an integer among floats; the bfcl profile refuses it"
        : "the bfcl profile types array items, one level deep";
    return `argument "${key}": expected ${word} of ${nestedWord}, got ${showTyped(value)} (item ${i} is ${itemT ? PY_WORDS[itemT] : "unknown"} ${showTyped(item)}: ${rule})`;
  }
  if (nestedFailed) {
    return `argument "${key}": expected ${word} of ${nestedWord}, got ${showTyped(value)} (its items fit none of the acceptable lists' types)`;
  }
  if (value instanceof IntegralFloat && PY_TYPES[word] === "int") {
    return `argument "${key}": expected ${word}, got ${value.lexeme} (an integral float; the bfcl profile refuses it)`;
  }
  if (value === null) return `argument "${key}": expected ${word}, got null`;
  return `argument "${key}": expected ${word}, got ${t ? PY_WORDS[t] : "unknown"} ${showTyped(value)}`;
}

/** Without a declared type BFCL cannot run; we pick the value check by the value's own type. */
function untypedValueProblem(key: string, value: unknown, answers: readonly unknown[]) {
  if (typeof value === "string") return stringProblem(key, value, answers);
  if (Array.isArray(value)) {
    return value.length > 0 && value.every(isDict)
      ? listOfDictsProblem(key, value, answers)
      : listProblem(key, value, answers);
  }
  if (isDict(value)) return dictProblem(key, value, answers);
  if (pyIn(value, answers)) return null;
  return `argument "${key}": ${describe(answers)}, got ${showTyped(value)} (value not in the acceptable set)`;
}

/** BFCL's string_checker: standardize_string on both sides, then membership. */
function stringProblem(key: string, value: string, answers: readonly unknown[]): string | null {
  const target = bfclStandardizeString(value);
  for (const a of answers) {
    if (typeof a === "string" && bfclStandardizeString(a) === target) return null;
  }
  return `argument "${key}": ${describe(answers)}, got ${showTyped(value)} (value not in the acceptable set, compared after BFCL's standardize_string)`;
}

/**
 * BFCL's list_checker: the list, its string items standardized, must equal one acceptable list
 * item by item (order matters). Python iterates an acceptable entry that is a string character by
 * character, so "" stands for the empty list.
 */
function listProblem(key: string, value: unknown[], answers: readonly unknown[]): string | null {
  const target = value.map(standardized);
  for (const a of answers) {
    const seq = Array.isArray(a) ? a : typeof a === "string" ? [...a] : null;
    if (seq !== null && pyEq(target, seq.map(standardized))) return null;
  }
  return `argument "${key}": ${describe(answers)}, got ${showTyped(value)} (not among the acceptable lists; order matters)`;
}

/**
 * BFCL's dict_checker: for some acceptable object (skipping ""), every field the model gave is
 * listed and its value (standardized when a string) is among the field's acceptable values,
 * and every listed field is present unless its values include "". Nested values are not
 * checked further. Returns why the last candidate failed, as BFCL does.
 */
function dictMismatch(value: Record<string, unknown>, answers: readonly unknown[]): string | null {
  let why = "no acceptable object";
  for (const answer of answers) {
    if (answer === OMITTABLE) continue;
    if (!isDict(answer)) continue;
    why = "";
    for (const [field, v] of Object.entries(value)) {
      const set = answer[field];
      if (!Object.hasOwn(answer, field) || !Array.isArray(set)) {
        why = `unexpected field "${field}"`;
        break;
      }
      if (!pyIn(standardized(v), set.map(standardized))) {
        why = `field "${field}": ${describe(set)}, got ${showTyped(v)}`;
        break;
      }
    }
    if (why === "") {
      for (const [field, set] of Object.entries(answer)) {
        if (!Object.hasOwn(value, field) && !(Array.isArray(set) && set.includes(OMITTABLE))) {
          why = `missing field "${field}"`;
          break;
        }
      }
    }
    if (why === "") return null;
  }
  return why;
}

function dictProblem(
  key: string,
  value: Record<string, unknown>,
  answers: readonly unknown[],
): string | null {
  const why = dictMismatch(value, answers);
  return why === null
    ? null
    : `argument "${key}": got ${showTyped(value)} (does not match the acceptable object: ${why})`;
}

/**
 * BFCL's list_dict_checker: for some acceptable list of objects of the same length, each object
 * passes dict_checker against the object at its position ("" counts as the empty list).
 */
function listOfDictsProblem(
  key: string,
  value: unknown[],
  answers: readonly unknown[],
): string | null {
  let why = "no acceptable list of objects";
  for (const answer of answers) {
    const seq = answer === OMITTABLE ? [] : Array.isArray(answer) ? answer : null;
    if (seq === null) continue;
    if (seq.length !== value.length) {
      why = `expected ${seq.length} objects, got ${value.length}`;
      continue;
    }
    let failed: string | null = null;
    for (let i = 0; i < value.length && failed === null; i++) {
      const item = value[i];
      const w = isDict(item) ? dictMismatch(item, [seq[i]]) : "not an object";
      if (w !== null) failed = `item ${i}: ${w}`;
    }
    if (failed === null) return null;
    why = failed;
  }
  return `argument "${key}": got ${showTyped(value)} (does not match an acceptable list of objects: ${why})`;
}
