import { parse } from "lossless-json";
import type { ToolCall } from "@/lib/schemas/eval-metrics";
import { isRecord } from "./outcome";

/**
 * A number the model wrote with a fraction or an exponent whose value is a whole number: `5.0`,
 * `1e3`. `JSON.parse` turns it into the integer 5, but BFCL decodes arguments with Python's
 * `json.loads`, where `5.0` is a float and fails where an integer is required. Only the `bfcl`
 * profile looks at it; everywhere else it reads as its value.
 */
export class IntegralFloat {
  constructor(
    readonly value: number,
    readonly lexeme: string,
  ) {}
  /** JSON.stringify (and so `show`) writes the number. */
  toJSON(): number {
    return this.value;
  }
}

/** A number lexeme Python's json module reads as a float: one with a fraction or an exponent. */
const FLOAT_LEXEME = /[.eE]/;
/** Cheap screen: without a digit next to "." or "e", the text holds no float lexeme at all. */
const MAY_HOLD_FLOAT = /\d[.eE]/;

function parseNumber(lexeme: string): number | IntegralFloat {
  const value = Number(lexeme);
  return FLOAT_LEXEME.test(lexeme) && Number.isInteger(value)
    ? new IntegralFloat(value, lexeme)
    : value;
}

/**
 * One call's arguments read from the raw text the model sent, with integral floats kept as
 * IntegralFloat; null when the text cannot tell us more than the parsed arguments (no float
 * lexeme in it, not JSON, not an object). A repeated key keeps its last value, as both
 * `JSON.parse` and Python's `json.loads` do. Parsed with lossless-json, which hands each number
 * lexeme to `parseNumber` instead of converting it first.
 */
export function parseRawArguments(text: string): Record<string, unknown> | null {
  if (!MAY_HOLD_FLOAT.test(text)) return null;
  let value: unknown;
  try {
    value = parse(text, null, {
      parseNumber,
      onDuplicateKey: ({ newValue }) => newValue,
    });
  } catch {
    return null;
  }
  return isRecord(value) ? value : null;
}

/**
 * The produced calls' arguments as the `bfcl` profile types them: from `rawArguments` when the
 * target kept them (aligned with `produced`, one string per call), else the parsed arguments.
 * Without the raw text an integral float cannot be told from an integer (`5.0` arrived as 5),
 * so it is judged as the integer it parsed to; everything else is judged the same either way.
 */
export function typedArguments(
  produced: readonly ToolCall[],
  rawArguments: readonly string[] | undefined,
): Record<string, unknown>[] {
  const aligned = rawArguments !== undefined && rawArguments.length === produced.length;
  return produced.map((call, i) => {
    if (!aligned) return call.arguments;
    const typed = parseRawArguments(rawArguments[i]!);
    // A raw text that disagrees with the parsed call (another key set) is not this call's.
    if (typed === null || !sameKeys(typed, call.arguments)) return call.arguments;
    return typed;
  });
}

function sameKeys(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k));
}

/** Like `show`, but an integral float keeps the lexeme the model wrote (`5.0`, not `5`). */
export function showTyped(value: unknown, max = 60): string {
  const text = render(value);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function render(value: unknown): string {
  if (value instanceof IntegralFloat) return value.lexeme;
  if (Array.isArray(value)) return `[${value.map(render).join(",")}]`;
  if (isRecord(value)) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`)
      .join(",")}}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
