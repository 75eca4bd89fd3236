import type { BfclFunction, BfclParam, BfclTool } from "./schemas";

/**
 * BFCL function docs → OpenAI `tools`, the way BFCL's own OpenAI-format handlers send them
 * (gorilla, berkeley-function-call-leaderboard/bfcl_eval/model_handler/utils.py:
 * `convert_to_tool` and `_cast_to_openai_type`, with `GORILLA_TO_OPENAPI` from
 * bfcl_eval/constants/type_mappings.py), so a model here sees the schema the leaderboard sends:
 *
 * - a function name's "." become "_" (OpenAI allows `^[a-zA-Z0-9_-]{1,64}$`; BFCL does this for
 *   every model whose config sets `underscore_to_dot`, OpenAI's among them, and its checker
 *   compares the model's call against the doc name converted the same way);
 * - `parameters.type` becomes "object";
 * - each parameter's type goes through GORILLA_TO_OPENAPI ("dict" → object, "float" → number,
 *   "tuple" → array, "any" → string; a type it does not know, or none, becomes "string");
 * - a "float" parameter (one whose properties BFCL casts: top-level and dict fields) also gets
 *   `format: "float"` and " This is a float type value." at the end of its description;
 * - array items and dict fields are cast too.
 *
 * One deliberate difference: BFCL casts `items` two levels deep and stops (a type nested deeper
 * keeps its Python name, which no JSON Schema validator accepts); here every level is cast, so
 * what BFCL casts comes out the same and nothing deeper is left invalid. BFCL's own data does
 * not nest deeper, so no published question differs.
 */
export const GORILLA_TO_OPENAPI: Readonly<Record<string, string>> = {
  integer: "integer",
  number: "number",
  float: "number",
  string: "string",
  boolean: "boolean",
  bool: "boolean",
  array: "array",
  list: "array",
  dict: "object",
  object: "object",
  tuple: "array",
  any: "string",
  byte: "integer",
  short: "integer",
  long: "integer",
  double: "number",
  char: "string",
  ArrayList: "array",
  Array: "array",
  HashMap: "object",
  Hashtable: "object",
  Queue: "array",
  Stack: "array",
  Any: "string",
  String: "string",
  Bigint: "integer",
};

const FLOAT_NOTE = "This is a float type value.";

/** The name an OpenAI-format model is offered and calls: BFCL's `re.sub(r"\.", "_", name)`. */
export function openAiFunctionName(name: string): string {
  return name.replaceAll(".", "_");
}

function openApiType(type: string | undefined): string {
  return (
    (type !== undefined && Object.hasOwn(GORILLA_TO_OPENAPI, type)
      ? GORILLA_TO_OPENAPI[type]
      : undefined) ?? "string"
  );
}

/** `_cast_to_openai_type` over one properties map (top-level parameters or a dict's fields). */
export function castProperties(
  properties: Readonly<Record<string, BfclParam>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, param] of Object.entries(properties)) out[key] = castProperty(param);
  return out;
}

function castProperty(param: BfclParam): Record<string, unknown> {
  const out: Record<string, unknown> = { ...param, type: openApiType(param.type) };
  if (param.type === "float") {
    out.format = "float";
    out.description = param.description ? `${param.description} ${FLOAT_NOTE}` : FLOAT_NOTE;
  }
  return castNested(out, param);
}

/** An array's `items` or an object's `properties`, cast the same way (BFCL: one or the other). */
function castNested(out: Record<string, unknown>, param: BfclParam): Record<string, unknown> {
  if (out.type !== "array" && out.type !== "object") return out;
  if (param.properties) out.properties = castProperties(param.properties);
  else if (param.items) out.items = castItems(param.items);
  return out;
}

/** List elements: BFCL maps only the type (no float format or note on items). */
function castItems(items: BfclParam): Record<string, unknown> {
  return castNested({ ...items, type: openApiType(items.type) }, items);
}

/** One BFCL function doc as an OpenAI tool definition. */
export function toOpenAiTool(fn: BfclFunction): BfclTool {
  const parameters = {
    ...fn.parameters,
    type: "object",
    properties: castProperties(fn.parameters.properties),
  };
  const tool: BfclTool["function"] = { name: openAiFunctionName(fn.name), parameters };
  if (fn.description !== undefined) tool.description = fn.description;
  return { type: "function", function: tool };
}
