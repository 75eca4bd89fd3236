import { openAiFunctionName } from "./openai-tools";
import { isPyDict, PyFloat, pyNumber, pyTypeOf, type PyType, type PyValue } from "./py-values";
import type { BfclFunction } from "./schemas";

/**
 * BFCL's verdict on one model output, by its own rules: a line-by-line port of the Python AST
 * checker (gorilla, berkeley-function-call-leaderboard/bfcl_eval/eval_checker/ast_eval/
 * ast_checker.py, read at commit a6da28eeae63c47551517f6c4cd6381292adf6ee) and of the relevance
 * branch of eval_runner.py. It exists to DERIVE the verdicts the agreement test holds retune's
 * `bfcl` scoring profile to (lib/domain/bfcl/agreement.test.ts); it is not a scorer.
 *
 * The rules, as BFCL applies them to an OpenAI-format model (arguments decoded by `json.loads`):
 *
 * - Category: "irrelevance" passes with no call, "relevance" with any call
 *   (irrelevance_error:decoder_success / relevance_error:decoder_failed). Elsewhere a text answer
 *   does not decode to calls (ast_decoder:decoder_failed).
 * - Count: as many calls as expected calls (…:wrong_count; simple categories exactly one).
 * - parallel*: each expected call, in the answer's order, takes the FIRST not-yet-taken output
 *   call that passes it; none → parallel_function_checker_no_order:cannot_find_match. (First
 *   come, not a maximum matching: an output that fits two answers can be taken by the wrong one.)
 * - multiple*: the one call is checked against the one answer's function.
 * - Per call (simple_function_checker):
 *   1. the name must be the doc's name with "." → "_" (wrong_func_name);
 *   2. every doc-`required` parameter present (missing_required);
 *   3. every given parameter declared by the doc AND listed by the answer (unexpected_param);
 *   4. type (type_checker): the Python type must be the doc's (string→str, integer→int,
 *      float→float, boolean→bool, array/tuple→list, dict→dict, any→str); an int where "float" is
 *      declared is first converted to float (top level only); a float where "integer" is
 *      declared fails, so `5.0` is refused; list elements are checked one level deep against
 *      the element type (so an int inside a list of floats fails) — unless "" is among the
 *      acceptable values, which skips the element check. A value whose type is not the doc's
 *      but is the type of the first acceptable value is a "variable" and passes to rule 5's
 *      plain comparison (type_error:simple / type_error:nested);
 *   5. value: a string is compared after standardize_string (lower-case, drop spaces and
 *      , . / - _ * ^, ' → "; tabs, newlines and other whitespace are kept) against the
 *      standardized acceptable strings (value_error:string); a list element-wise the same way,
 *      in order, against each acceptable list (value_error:list/tuple); a dict field by field,
 *      a field may be left out when "" is among its values (value_error:dict_*); a list of
 *      dicts pairwise; anything else with Python `==` (5 == 5.0, True == 1) (value_error:others);
 *   6. a parameter the answer lists but the call leaves out must have "" among its values
 *      (missing_optional).
 */
export type Verdict = { valid: true } | { valid: false; rule: string };

/** A decoded output call: the name called and its arguments with Python types. */
export type PyCall = { name: string; args: Record<string, PyValue> };

/** An expected call: its BFCL function name and every argument's typed acceptable values. */
export type TypedAnswer = { name: string; args: Record<string, PyValue[]> };

const VALID: Verdict = { valid: true };
const invalid = (rule: string): Verdict => ({ valid: false, rule });

const PYTHON_TYPE_MAPPING: Readonly<Record<string, PyType>> = {
  string: "str",
  integer: "int",
  float: "float",
  boolean: "bool",
  array: "list",
  tuple: "list",
  dict: "dict",
  any: "str",
};
const NESTED_TYPES = ["array", "tuple"];

/** BFCL's `standardize_string`. */
export function standardizeString(text: string): string {
  return text
    .replace(/[ ,./\-_*^]/g, "")
    .toLowerCase()
    .replaceAll("'", '"');
}

/** Python `==` between decoded JSON values. */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = pyNumber(a);
  const nb = pyNumber(b);
  if (na !== null || nb !== null) return na !== null && nb !== null && na === nb;
  if (typeof a === "string" || typeof b === "string" || a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => pyEquals(x, b[i]))
    );
  }
  if (isPyDict(a) && isPyDict(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && pyEquals(a[k], b[k]));
  }
  return false;
}

const pyIn = (value: unknown, list: readonly unknown[]) => list.some((x) => pyEquals(value, x));
const stdIfString = (v: unknown) => (typeof v === "string" ? standardizeString(v) : v);
/** Python iterates a str character by character where the checker indexes an answer. */
const asSequence = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : typeof v === "string" ? [...v] : [];

/** The whole output: calls (empty for a text answer) against a question's functions and answer. */
export function bfclVerdict(
  category: string,
  functions: readonly BfclFunction[],
  answer: readonly TypedAnswer[] | null,
  calls: readonly PyCall[],
): Verdict {
  if (category.includes("irrelevance")) {
    return calls.length === 0 ? VALID : invalid("irrelevance_error:decoder_success");
  }
  if (category.includes("relevance")) {
    return calls.length > 0 ? VALID : invalid("relevance_error:decoder_failed");
  }
  if (!answer) throw new Error(`category ${category} needs a possible answer`);
  if (calls.length === 0) return invalid("ast_decoder:decoder_failed");
  if (category.includes("parallel")) return parallelNoOrder(functions, calls, answer);
  if (category.includes("multiple")) {
    if (calls.length !== answer.length) return invalid("multiple_function_checker:wrong_count");
    return simpleFunction(describe(functions, answer[0]!.name), calls[0]!, answer[0]!);
  }
  if (calls.length !== 1) return invalid("simple_function_checker:wrong_count");
  return simpleFunction(functions[0]!, calls[0]!, answer[0]!);
}

function describe(functions: readonly BfclFunction[], name: string): BfclFunction {
  const fn = functions.find((f) => f.name === name);
  if (!fn) throw new Error(`the answer names ${name}, which the question does not declare`);
  return fn;
}

function parallelNoOrder(
  functions: readonly BfclFunction[],
  calls: readonly PyCall[],
  answer: readonly TypedAnswer[],
): Verdict {
  if (calls.length !== answer.length) {
    return invalid("parallel_function_checker_no_order:wrong_count");
  }
  const taken = new Set<number>();
  for (const expected of answer) {
    const fn = describe(functions, expected.name);
    const index = calls.findIndex(
      (call, j) => !taken.has(j) && simpleFunction(fn, call, expected).valid,
    );
    if (index < 0) return invalid("parallel_function_checker_no_order:cannot_find_match");
    taken.add(index);
  }
  return VALID;
}

/** `simple_function_checker` for Python. */
export function simpleFunction(fn: BfclFunction, call: PyCall, expected: TypedAnswer): Verdict {
  if (call.name !== openAiFunctionName(fn.name)) {
    return invalid("simple_function_checker:wrong_func_name");
  }
  const details = fn.parameters.properties;
  for (const param of fn.parameters.required) {
    if (!(param in call.args)) return invalid("simple_function_checker:missing_required");
  }
  for (const [param, given] of Object.entries(call.args)) {
    const acceptable = expected.args[param];
    const doc = details[param];
    if (!doc || !acceptable) return invalid("simple_function_checker:unexpected_param");
    const description = doc.type ?? "";
    const expectedType = PYTHON_TYPE_MAPPING[description];
    if (!expectedType) throw new Error(`BFCL's checker has no Python type for "${description}"`);
    let nestedType: PyType | null = null;
    if (NESTED_TYPES.includes(description)) {
      nestedType = PYTHON_TYPE_MAPPING[doc.items?.type ?? ""] ?? null;
      if (!nestedType) throw new Error(`BFCL's checker needs an item type for "${param}"`);
    }
    // "Allow python auto conversion from int to float" — at the top level only.
    const value =
      description === "float" && pyTypeOf(given) === "int" ? new PyFloat(given as number) : given;
    const typed = typeChecker(value, acceptable, expectedType, nestedType);
    if (!typed.valid) return typed;
    if (!typed.isVariable) {
      let result: Verdict | null = null;
      if (expectedType === "dict") result = dictChecker(value, acceptable);
      else if (expectedType === "list" && nestedType === "dict") {
        result = listDictChecker(value as PyValue[], acceptable);
      } else if (expectedType === "str") result = stringChecker(value as string, acceptable);
      else if (expectedType === "list") result = listChecker(value as PyValue[], acceptable);
      if (result) {
        if (!result.valid) return result;
        continue;
      }
    }
    if (!pyIn(value, acceptable)) return invalid("value_error:others");
  }
  for (const [param, acceptable] of Object.entries(expected.args)) {
    if (!(param in call.args) && !acceptable.includes("")) {
      return invalid("simple_function_checker:missing_optional");
    }
  }
  return VALID;
}

/** The type of the first acceptable value that is not "" (the "may be left out" marker). */
function possibleAnswerType(acceptable: readonly unknown[]): PyType | null {
  for (const a of acceptable) if (a !== "") return pyTypeOf(a);
  return null;
}

type TypeResult = { valid: true; isVariable: boolean } | { valid: false; rule: string };

/** `type_checker`: one level of nesting, as BFCL's own comment says. */
function typeChecker(
  value: PyValue,
  acceptable: readonly PyValue[],
  expected: PyType,
  nested: PyType | null,
): TypeResult {
  const answerType = possibleAnswerType(acceptable);
  const isVariable = answerType !== null && answerType !== expected;
  let nestedFailed = false;
  if (pyTypeOf(value) === expected) {
    if (nested === null) return { valid: true, isVariable };
    for (const item of acceptable) {
      let fits = true;
      if (pyTypeOf(item) === "list") {
        for (const element of value as PyValue[]) {
          if (!typeChecker(element, item as PyValue[], nested, null).valid) {
            fits = false;
            break;
          }
        }
      }
      if (fits) return { valid: true, isVariable };
    }
    nestedFailed = true;
  }
  if (answerType !== null && pyTypeOf(value) === answerType) {
    return nestedFailed
      ? { valid: false, rule: "type_error:nested" }
      : { valid: true, isVariable: true };
  }
  return { valid: false, rule: "type_error:simple" };
}

function stringChecker(value: string, acceptable: readonly PyValue[]): Verdict {
  const allowed = acceptable.filter((a) => typeof a === "string").map(standardizeString);
  return allowed.includes(standardizeString(value)) ? VALID : invalid("value_error:string");
}

function listChecker(value: readonly PyValue[], acceptable: readonly PyValue[]): Verdict {
  const given = value.map(stdIfString);
  const allowed = acceptable.map((a) => asSequence(a).map(stdIfString));
  return pyIn(given, allowed) ? VALID : invalid("value_error:list/tuple");
}

function dictChecker(value: PyValue, acceptable: readonly PyValue[]): Verdict {
  let result = invalid("dict_checker:unclear");
  const given = isPyDict(value) ? value : {};
  for (const option of acceptable) {
    if (option === "") continue;
    const fields = isPyDict(option) ? option : {};
    result = invalid("dict_checker:unclear");
    let fits = true;
    for (const [key, v] of Object.entries(given)) {
      if (!(key in fields)) {
        result = invalid("value_error:dict_key");
        fits = false;
        break;
      }
      const allowed = asSequence(fields[key]).map(stdIfString);
      if (!pyIn(stdIfString(v), allowed)) {
        result = invalid("value_error:dict_value");
        fits = false;
        break;
      }
    }
    for (const [key, values] of Object.entries(fields)) {
      if (!(key in given) && !asSequence(values).includes("")) {
        result = invalid("value_error:dict_key");
        fits = false;
        break;
      }
    }
    if (fits) return VALID;
  }
  return result;
}

function listDictChecker(value: readonly PyValue[], acceptable: readonly PyValue[]): Verdict {
  let result = invalid("list_dict_checker:unclear");
  for (const option of acceptable) {
    const dicts = asSequence(option) as PyValue[];
    if (value.length !== dicts.length) {
      result = invalid("value_error:list_dict_count");
      continue;
    }
    let fits = true;
    for (let i = 0; i < value.length; i++) {
      result = dictChecker(value[i]!, [dicts[i]!]);
      if (!result.valid) {
        fits = false;
        break;
      }
    }
    if (fits) return VALID;
  }
  return result;
}
