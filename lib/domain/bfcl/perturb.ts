import type { ToolCall } from "@/lib/schemas/eval-metrics";
import type { PossibleAnswer } from "@/lib/schemas/possible-answer";
import {
  bfclVerdict,
  pyEquals,
  standardizeString,
  type PyCall,
  type TypedAnswer,
  type Verdict,
} from "./ast-rules";
import { expectationOf } from "./convert";
import { openAiFunctionName } from "./openai-tools";
import {
  PyFloat,
  pyTypeOf,
  typedAcceptable,
  concreteValue,
  renderPy,
  type PyValue,
} from "./py-values";
import { referenceArguments } from "./reference-call";
import type { BfclFunction, BfclParam, BfclQuestion } from "./schemas";

/**
 * Model outputs for one BFCL question, correct and perturbed, each with the verdict BFCL's own
 * rules give it (ast-rules.ts, a port of BFCL's AST checker) — the material of the agreement
 * test (agreement.test.ts), which holds retune's `bfcl` scoring profile to those verdicts.
 *
 * Every output is built from the answer's first acceptable values (reference-call.ts) and then
 * changed in one way; `intended` says what the change was built to do (null: still correct),
 * and the test checks the derived verdict says the same, so a generator bug cannot pass for a
 * scorer bug. Only "reordered_parallel" has no intended verdict: whether BFCL's first-come
 * pairing finds a match in the other order depends on the data.
 */
export const PERTURBATION_KINDS = [
  "correct",
  "wrong_type",
  "missing_required",
  "extra_arg",
  "extra_declared_arg",
  "alternative_value",
  "null_value",
  "omitted_optional",
  "reordered_parallel",
  "case_variant",
  "space_variant",
  "punctuation_variant",
  "tab_in_string",
  "nbsp_in_string",
  "integral_float",
  "int_for_float",
  "int_in_float_list",
  "wrong_function",
  "missing_call",
  "extra_call",
  "text_answer",
  "any_call",
  "call_when_none_fits",
] as const;
export type PerturbationKind = (typeof PERTURBATION_KINDS)[number];

export type GeneratedOutput = {
  kind: PerturbationKind;
  /** What was changed, for a person reading a disagreement. */
  note: string;
  /** The calls as a scorer receives them: arguments parsed with JSON.parse ([] for text). */
  toolCalls: ToolCall[];
  /** Each call's arguments as the model wrote them (JSON text), aligned with toolCalls. */
  rawArguments: string[];
  /** The calls as BFCL decodes them (Python types). */
  pyCalls: PyCall[];
  /** BFCL's verdict on the output (ast-rules.ts). */
  verdict: Verdict;
  /**
   * What the change was built to do: null = the output stays correct, a string = BFCL's error
   * type it should produce, "depends" = decided by the data (reordered parallel calls).
   */
  intended: string | null | "depends";
};

type Draft = {
  kind: PerturbationKind;
  note: string;
  calls: PyCall[];
  intended: string | null | "depends";
};

const PARALLEL_NO_MATCH = "parallel_function_checker_no_order:cannot_find_match";
const EXTRA_NAME = "unexpected_extra_argument";

/**
 * All outputs generated for a question: `answer` is its `ground_truth` with BFCL's function
 * names (null for relevance and irrelevance), `category` BFCL's category name.
 */
export function generateOutputs(
  question: BfclQuestion,
  answer: PossibleAnswer | null,
  category: string,
): GeneratedOutput[] {
  const expect = expectationOf(category);
  const functions = question.function;
  const drafts: Draft[] =
    expect === "calls"
      ? callDrafts(functions, answer ?? [], category)
      : relevanceDrafts(functions[0]!, expect);
  const typed = answer ? typedAnswer(functions, answer) : null;
  return drafts.map((d) => {
    const rawArguments = d.calls.map((c) => renderPy(c.args));
    return {
      kind: d.kind,
      note: d.note,
      pyCalls: d.calls,
      rawArguments,
      toolCalls: d.calls.map((c, i) => ({
        name: c.name,
        arguments: JSON.parse(rawArguments[i]!) as Record<string, unknown>,
      })),
      verdict: bfclVerdict(category, functions, typed, d.calls),
      intended: d.intended,
    };
  });
}

/** The answer with every acceptable value typed by its function's doc. */
export function typedAnswer(
  functions: readonly BfclFunction[],
  answer: PossibleAnswer,
): TypedAnswer[] {
  return answer.map((entry) => {
    const [name, args] = Object.entries(entry)[0]!;
    const props = functions.find((f) => f.name === name)?.parameters.properties ?? {};
    const typedArgs: Record<string, PyValue[]> = {};
    for (const [arg, values] of Object.entries(args)) {
      typedArgs[arg] = values.map((v) => typedAcceptable(v, props[arg]));
    }
    return { name, args: typedArgs };
  });
}

function relevanceDrafts(fn: BfclFunction, expect: "any_call" | "no_call"): Draft[] {
  const call: PyCall = { name: openAiFunctionName(fn.name), args: requiredPlaceholders(fn) };
  return expect === "any_call"
    ? [
        { kind: "any_call", note: `a call to ${call.name}`, calls: [call], intended: null },
        {
          kind: "text_answer",
          note: "a text answer, no call",
          calls: [],
          intended: "relevance_error:decoder_failed",
        },
      ]
    : [
        { kind: "correct", note: "a text answer, no call", calls: [], intended: null },
        {
          kind: "call_when_none_fits",
          note: `a call to ${call.name}`,
          calls: [call],
          intended: "irrelevance_error:decoder_success",
        },
      ];
}

type Slot = { fn: BfclFunction | undefined; answerArgs: Record<string, unknown[]> };

function callDrafts(
  functions: readonly BfclFunction[],
  answer: PossibleAnswer,
  category: string,
): Draft[] {
  const slots: Slot[] = answer.map((entry) => {
    const [name, answerArgs] = Object.entries(entry)[0]!;
    return { fn: functions.find((f) => f.name === name), answerArgs };
  });
  const correct: PyCall[] = slots.map((s) => ({
    name: openAiFunctionName(s.fn?.name ?? ""),
    args: referenceArguments(s.fn, s.answerArgs),
  }));
  const parallel = category.includes("parallel");
  // A per-call rule surfaces as itself, except in parallel categories, where the call that
  // breaks it matches no expected call.
  const failing = (rule: string) => (parallel ? PARALLEL_NO_MATCH : rule);
  const countRule = parallel
    ? "parallel_function_checker_no_order:wrong_count"
    : category.includes("multiple")
      ? "multiple_function_checker:wrong_count"
      : "simple_function_checker:wrong_count";

  const drafts: Draft[] = [
    { kind: "correct", note: "first acceptable values", calls: correct, intended: null },
  ];
  /** One call changed: the first call (in order) for which `change` finds something to do. */
  const perturbOne = (
    kind: PerturbationKind,
    change: (
      call: PyCall,
      slot: Slot,
    ) => {
      args: Record<string, PyValue>;
      note: string;
      intended: string | null;
      name?: string;
    } | null,
  ) => {
    for (const [i, call] of correct.entries()) {
      const changed = change(call, slots[i]!);
      if (!changed) continue;
      const calls = correct.map((c, j) =>
        j === i ? { name: changed.name ?? c.name, args: changed.args } : c,
      );
      const note = correct.length > 1 ? `call ${i + 1}: ${changed.note}` : changed.note;
      drafts.push({ kind, note, calls, intended: changed.intended });
      return;
    }
  };

  perturbOne("wrong_type", (call, { fn }) => {
    for (const [arg, value] of Object.entries(call.args)) {
      const type = fn?.parameters.properties[arg]?.type;
      const wrong = type ? wrongTypeValue(type, value) : undefined;
      if (wrong === undefined) continue;
      return {
        args: { ...call.args, [arg]: wrong },
        note: `${arg}: ${renderPy(wrong)} where the doc says ${type}`,
        intended: failing("type_error:simple"),
      };
    }
    return null;
  });

  perturbOne("missing_required", (call, { fn }) => {
    const arg = fn?.parameters.required.find((r) => r in call.args);
    if (arg === undefined) return null;
    const args = { ...call.args };
    delete args[arg];
    return {
      args,
      note: `required ${arg} left out`,
      intended: failing("simple_function_checker:missing_required"),
    };
  });

  perturbOne("extra_arg", (call, { fn }) => {
    if (fn && EXTRA_NAME in fn.parameters.properties) return null;
    return {
      args: { ...call.args, [EXTRA_NAME]: "x" },
      note: `${EXTRA_NAME} added, which the doc does not declare`,
      intended: failing("simple_function_checker:unexpected_param"),
    };
  });

  perturbOne("extra_declared_arg", (call, { fn, answerArgs }) => {
    for (const [arg, param] of Object.entries(fn?.parameters.properties ?? {})) {
      if (arg in answerArgs || arg in call.args) continue;
      const value = placeholder(param);
      if (value === undefined) continue;
      return {
        args: { ...call.args, [arg]: value },
        note: `${arg} = ${renderPy(value)}: declared, but the answer does not list it`,
        intended: failing("simple_function_checker:unexpected_param"),
      };
    }
    return null;
  });

  perturbOne("alternative_value", (call, { fn, answerArgs }) => {
    for (const [arg, values] of Object.entries(answerArgs)) {
      const param = fn?.parameters.properties[arg];
      if (!param || !(arg in call.args)) continue;
      const reference = call.args[arg]!;
      for (const v of values) {
        if (v === "") continue;
        const alternative = concreteValue(typedAcceptable(v, param));
        if (sameStandardized(alternative, reference)) continue;
        return {
          args: { ...call.args, [arg]: alternative },
          note: `${arg}: ${renderPy(alternative)}, another acceptable value`,
          intended: null,
        };
      }
    }
    return null;
  });

  perturbOne("null_value", (call, { fn, answerArgs }) => {
    for (const [arg, values] of Object.entries(answerArgs)) {
      if (!fn?.parameters.properties[arg] || !values.includes(null) || call.args[arg] === null) {
        continue;
      }
      return {
        args: { ...call.args, [arg]: null },
        note: `${arg}: null, which the answer lists as acceptable`,
        intended: null,
      };
    }
    return null;
  });

  perturbOne("omitted_optional", (call, { fn, answerArgs }) => {
    for (const [arg, values] of Object.entries(answerArgs)) {
      if (!(arg in call.args) || !values.includes("")) continue;
      const args = { ...call.args };
      delete args[arg];
      const required = fn?.parameters.required.includes(arg) ?? false;
      return {
        args,
        note: required
          ? `${arg} left out: the answer allows it, but the doc requires it`
          : `${arg} left out, which the answer allows ("")`,
        intended: required ? failing("simple_function_checker:missing_required") : null,
      };
    }
    return null;
  });

  if (correct.length > 1) {
    drafts.push({
      kind: "reordered_parallel",
      note: "the calls in reverse order",
      calls: [...correct].reverse(),
      intended: "depends",
    });
  }

  const stringChange = (
    kind: PerturbationKind,
    rewrite: (s: string) => string,
    intended: string | null,
    what: string,
  ) =>
    perturbOne(kind, (call, { fn }) => {
      for (const [arg, value] of Object.entries(call.args)) {
        if (fn?.parameters.properties[arg]?.type !== "string" || typeof value !== "string")
          continue;
        const changed = rewrite(value);
        if (changed === value) continue;
        return {
          args: { ...call.args, [arg]: changed },
          note: `${arg}: ${JSON.stringify(changed)} (${what})`,
          intended: intended === null ? null : failing(intended),
        };
      }
      return null;
    });
  stringChange("case_variant", swapCase, null, "case changed");
  stringChange(
    "space_variant",
    (s) => (s.includes(" ") ? s.replaceAll(" ", "") : ` ${s} `),
    null,
    "spaces removed or added",
  );
  stringChange("punctuation_variant", (s) => `${s}.`, null, "a full stop added");
  stringChange(
    "tab_in_string",
    (s) => (s.includes(" ") ? s.replace(" ", "\t") : `${s}\n`),
    "value_error:string",
    "a tab for a space, or a newline added",
  );
  stringChange(
    "nbsp_in_string",
    (s) => (s.includes(" ") ? s.replace(" ", "\u00a0") : `${s}\u00a0`),
    "value_error:string",
    "a non-breaking space",
  );

  perturbOne("integral_float", (call, { fn }) => {
    for (const [arg, value] of Object.entries(call.args)) {
      if (fn?.parameters.properties[arg]?.type !== "integer" || pyTypeOf(value) !== "int") continue;
      const float = new PyFloat(value as number);
      return {
        args: { ...call.args, [arg]: float },
        note: `${arg}: ${renderPy(float)} where the doc says integer`,
        intended: failing("type_error:simple"),
      };
    }
    return null;
  });

  perturbOne("int_for_float", (call, { fn }) => {
    for (const [arg, value] of Object.entries(call.args)) {
      if (fn?.parameters.properties[arg]?.type !== "float") continue;
      if (!(value instanceof PyFloat) || !Number.isInteger(value.value)) continue;
      return {
        args: { ...call.args, [arg]: value.value },
        note: `${arg}: ${value.value} (an int) where the doc says float`,
        intended: null,
      };
    }
    return null;
  });

  perturbOne("int_in_float_list", (call, { fn, answerArgs }) => {
    for (const [arg, value] of Object.entries(call.args)) {
      const param = fn?.parameters.properties[arg];
      if (!param || !["array", "tuple"].includes(param.type ?? "") || param.items?.type !== "float")
        continue;
      if (!Array.isArray(value) || value.length === 0) continue;
      if (!value.every((v) => v instanceof PyFloat && Number.isInteger(v.value))) continue;
      const ints = value.map((v) => (v as PyFloat).value);
      return {
        args: { ...call.args, [arg]: ints },
        note: `${arg}: ${renderPy(ints)}, ints in a list of floats`,
        // BFCL skips the element check when "" is among the acceptable values.
        intended: answerArgs[arg]!.includes("") ? null : failing("type_error:nested"),
      };
    }
    return null;
  });

  perturbOne("wrong_function", (call, { fn }) => {
    const other = functions.find((f) => f !== fn);
    const name = other ? openAiFunctionName(other.name) : `${call.name}_v2`;
    return {
      name,
      args: call.args,
      note: `called ${name} instead of ${call.name}`,
      intended: failing("simple_function_checker:wrong_func_name"),
    };
  });

  if (correct.length > 1) {
    drafts.push({
      kind: "missing_call",
      note: `the last of ${correct.length} calls left out`,
      calls: correct.slice(0, -1),
      intended: countRule,
    });
  }
  drafts.push({
    kind: "extra_call",
    note: "the first call made twice",
    calls: [...correct, correct[0]!],
    intended: countRule,
  });
  drafts.push({
    kind: "text_answer",
    note: "a text answer, no call",
    calls: [],
    intended: "ast_decoder:decoder_failed",
  });
  return drafts;
}

/** A value of another Python type than the doc's `type` names, or undefined. */
function wrongTypeValue(type: string, value: PyValue): PyValue | undefined {
  // Only where the reference value itself has the doc's type: otherwise BFCL reads the
  // argument as a "variable" and the type rule does not apply.
  const expected: Record<string, string> = {
    string: "str",
    integer: "int",
    float: "float",
    boolean: "bool",
    array: "list",
    tuple: "list",
    dict: "dict",
  };
  if (expected[type] === undefined || pyTypeOf(value) !== expected[type]) return undefined;
  if (type === "string") return 12345;
  return renderPy(value);
}

/** A value of the doc's type, for arguments the answer does not fix; undefined if unknown. */
function placeholder(param: BfclParam): PyValue | undefined {
  switch (param.type) {
    case "string":
    case "any":
      return "placeholder";
    case "integer":
      return 1;
    case "float":
      return new PyFloat(1.5);
    case "boolean":
      return true;
    case "array":
    case "tuple":
      return [];
    case "dict":
      return {};
    default:
      return undefined;
  }
}

function requiredPlaceholders(fn: BfclFunction): Record<string, PyValue> {
  const args: Record<string, PyValue> = {};
  for (const arg of fn.parameters.required) {
    const param = fn.parameters.properties[arg];
    args[arg] = (param && placeholder(param)) ?? "placeholder";
  }
  return args;
}

function sameStandardized(a: PyValue, b: PyValue): boolean {
  const std = (v: PyValue): PyValue =>
    typeof v === "string" ? standardizeString(v) : Array.isArray(v) ? v.map(std) : v;
  return pyEquals(std(a), std(b));
}

function swapCase(s: string): string {
  const upper = s.toUpperCase();
  return upper !== s ? upper : s.toLowerCase();
}
