import type { Finding } from "@/lib/schemas/datasets";
import { isRecord, listKeys, preview, typeName } from "./describe-value";
import { finding, shapeError } from "./finding";
import type { ToolDef } from "./types";

/** Above this many tools a Set finds duplicate names; below it a nested loop is cheaper. */
const SET_THRESHOLD = 8;

/**
 * Reads a row's `tools` into ToolDefs, pushing a finding for each defect. Returns null when any
 * definition is unusable, so no tool call is judged against a half-read list.
 *
 * `allowBare` accepts `{name, description, parameters}` without the `{type, function}` wrapper,
 * which is how LLaMA-Factory's ShareGPT rows declare tools; OpenAI chat rows must use the wrapper.
 */
export function readTools(
  raw: unknown,
  line: number,
  findings: Finding[],
  allowBare: boolean,
): ToolDef[] | null {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    findings.push(
      finding(
        line,
        "error",
        "invalid_shape",
        typeof raw === "string"
          ? `tools must be an array of tool definitions, found a string (JSON-encoded? store the array itself)`
          : `tools must be an array of tool definitions, found ${typeName(raw)}`,
        "tools",
      ),
    );
    return null;
  }
  if (raw.length === 0) return [];
  const tools: ToolDef[] = new Array<ToolDef>(raw.length);
  let ok = true;
  for (let k = 0; k < raw.length; k++) {
    const tool = readTool(raw[k], k, line, findings, allowBare);
    if (tool) tools[k] = tool;
    else ok = false;
  }
  if (!ok) return null;
  return duplicateNames(tools, line, findings, raw) ? null : tools;
}

function readTool(
  t: unknown,
  k: number,
  line: number,
  findings: Finding[],
  allowBare: boolean,
): ToolDef | null {
  if (!isRecord(t))
    return shapeError(
      findings,
      line,
      `expected a tool definition object, found ${typeName(t)}`,
      `tools[${k}]`,
    );
  let fn: Record<string, unknown>;
  let base: string;
  if (isRecord(t.function)) {
    if (t.type !== undefined && t.type !== "function") {
      return shapeError(
        findings,
        line,
        `tool type must be "function", found ${typeof t.type === "string" ? preview(t.type) : typeName(t.type)}`,
        `tools[${k}].type`,
      );
    }
    fn = t.function;
    base = `tools[${k}].function`;
  } else if (allowBare && t.function === undefined && t.name !== undefined) {
    fn = t;
    base = `tools[${k}]`;
  } else {
    return shapeError(
      findings,
      line,
      t.function === undefined
        ? `expected {"type": "function", "function": {"name", "description", "parameters"}}, found keys ${listKeys(t)}`
        : `tool "function" must be an object, found ${typeName(t.function)}`,
      `tools[${k}].function`,
    );
  }
  const name = fn.name;
  if (typeof name !== "string" || name.length === 0) {
    return shapeError(
      findings,
      line,
      `tool name must be a non-empty string, found ${typeof name === "string" ? "an empty string" : typeName(name)}`,
      `${base}.name`,
    );
  }
  const description = fn.description;
  if (description !== undefined && description !== null && typeof description !== "string") {
    return shapeError(
      findings,
      line,
      `tool description must be a string, found ${typeName(description)}`,
      `${base}.description`,
    );
  }
  const parameters = fn.parameters;
  if (parameters !== undefined && parameters !== null && !isRecord(parameters)) {
    return shapeError(
      findings,
      line,
      `parameters of tool ${preview(name)} must be a JSON Schema object, found ${typeName(parameters)}`,
      `${base}.parameters`,
      "invalid_tool_schema",
    );
  }
  const out: ToolDef["function"] = { name };
  if (typeof description === "string") out.description = description;
  if (parameters !== undefined && parameters !== null) out.parameters = parameters;
  return { type: "function", function: out };
}

/** Two tools with one name make every call to it ambiguous; reports the second one. */
function duplicateNames(
  tools: ToolDef[],
  line: number,
  findings: Finding[],
  raw: unknown[],
): boolean {
  if (tools.length <= SET_THRESHOLD) {
    for (let k = 1; k < tools.length; k++) {
      const name = tools[k]!.function.name;
      for (let m = 0; m < k; m++) {
        if (tools[m]!.function.name === name) {
          reportDuplicate(tools, raw, m, k, line, findings);
          return true;
        }
      }
    }
    return false;
  }
  const seen = new Map<string, number>();
  for (let k = 0; k < tools.length; k++) {
    const name = tools[k]!.function.name;
    const first = seen.get(name);
    if (first !== undefined) {
      reportDuplicate(tools, raw, first, k, line, findings);
      return true;
    }
    seen.set(name, k);
  }
  return false;
}

function reportDuplicate(
  tools: ToolDef[],
  raw: unknown[],
  first: number,
  k: number,
  line: number,
  findings: Finding[],
): void {
  const bare = !isRecord((raw[k] as Record<string, unknown>).function);
  shapeError(
    findings,
    line,
    `tool ${preview(tools[k]!.function.name)} is declared twice (tools[${first}] and tools[${k}]); tool names must be unique`,
    bare ? `tools[${k}].name` : `tools[${k}].function.name`,
  );
}

/** Index of the tool named `name`, or -1. Tool lists are short, so a scan beats building a map. */
export function toolIndex(tools: readonly ToolDef[], name: string): number {
  for (let k = 0; k < tools.length; k++) if (tools[k]!.function.name === name) return k;
  return -1;
}
