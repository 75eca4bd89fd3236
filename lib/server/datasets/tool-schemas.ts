/**
 * Validates tool-call arguments against the declaring tool's JSON Schema `parameters` with ajv,
 * compiling each distinct schema once (datasets repeat the same tool set on every row).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { sameJson } from "@/lib/domain/datasets/token-count";

type ToolDef = { function?: { name?: unknown; parameters?: unknown } };

const MAX_COMPILED = 5_000;

export function createArgumentChecker() {
  // strict: false — real tool schemas carry vendor keywords (e.g. "examples" on nested fields,
  // "strict": true from OpenAI) that must not make a valid schema "invalid".
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const compiled = new Map<string, ValidateFunction | string>();
  // Rows repeat the same tool definitions: comparing with the last parameters seen for a tool
  // name is cheaper than serializing them to look the validator up.
  const lastByName = new Map<
    string,
    { parameters: unknown; validator: ValidateFunction | string }
  >();

  function validatorFor(name: string, parameters: unknown): ValidateFunction | string {
    const last = lastByName.get(name);
    if (last && sameJson(last.parameters, parameters)) return last.validator;
    const validator = compile(parameters);
    if (lastByName.size > MAX_COMPILED) lastByName.clear();
    lastByName.set(name, { parameters, validator });
    return validator;
  }

  function compile(parameters: unknown): ValidateFunction | string {
    const key = JSON.stringify(parameters ?? {});
    let v = compiled.get(key);
    if (v === undefined) {
      if (compiled.size >= MAX_COMPILED) {
        compiled.clear();
        lastByName.clear();
        ajv.removeSchema();
      }
      try {
        v = ajv.compile(parameters && typeof parameters === "object" ? parameters : {});
      } catch (e) {
        v = `invalid_schema:${(e as Error).message}`;
      }
      compiled.set(key, v);
    }
    return v;
  }

  return (
    tools: readonly ToolDef[],
    toolName: string,
    args: Record<string, unknown>,
  ): string | null => {
    const tool = tools.find((t) => t.function?.name === toolName);
    if (!tool) return null; // undeclared tools are reported by the caller
    const v = validatorFor(toolName, tool.function?.parameters);
    if (typeof v === "string") return v;
    if (v(args)) return null;
    const e = v.errors?.[0];
    if (!e) return "does not match the tool's parameters schema";
    const where = e.instancePath ? `arguments${e.instancePath.replaceAll("/", ".")}` : "arguments";
    return `${where} ${e.message ?? "is invalid"}${detailOf(e, valueAt(args, e.instancePath))}`;
  };
}

const shown = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/**
 * What ajv's message leaves out: the value that failed and what was allowed ("must be equal to
 * one of the allowed values" alone does not say which values those are).
 */
function detailOf(e: ErrorObject, value: unknown): string {
  switch (e.keyword) {
    case "additionalProperties":
      return ` ("${String(e.params.additionalProperty)}")`;
    case "enum":
      return `: got ${shown(value)}, allowed ${(e.params.allowedValues as unknown[]).map(shown).join(", ")}`;
    case "const":
      return `: got ${shown(value)}, expected ${shown(e.params.allowedValue)}`;
    case "type":
      return `: got ${shown(value)}`;
    default:
      return "";
  }
}

/** The value at a JSON Pointer ("/a/0/b") inside the arguments. */
function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}
