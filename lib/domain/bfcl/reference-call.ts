import { concreteValue, renderPy, typedAcceptable, type PyValue } from "./py-values";
import type { BfclFunction } from "./schemas";

/**
 * The first correct call an answer entry describes: each argument's first acceptable value,
 * typed by the function doc (PyValue), an argument whose first value is "" (may be left out)
 * left out. The one exception: a parameter the doc requires is never left out (BFCL's own
 * missing_required rule would refuse the call); its first other acceptable value is used.
 */
export function referenceArguments(
  fn: BfclFunction | undefined,
  answerArgs: Readonly<Record<string, readonly unknown[]>>,
): Record<string, PyValue> {
  const required = new Set(fn?.parameters.required ?? []);
  const out: Record<string, PyValue> = {};
  for (const [arg, values] of Object.entries(answerArgs)) {
    const chosen = required.has(arg) ? values.find((v) => v !== "") : values[0];
    if (chosen === undefined || chosen === "") continue;
    out[arg] = concreteValue(typedAcceptable(chosen, fn?.parameters.properties[arg]));
  }
  return out;
}

/** JSON text of a call's arguments, floats written as floats (py-values.ts renderPy). */
export function renderArguments(args: Readonly<Record<string, PyValue>>): string {
  return renderPy({ ...args });
}
