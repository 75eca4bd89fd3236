import type { Finding } from "@/lib/schemas/datasets";
import { isRecord, preview, typeName } from "./describe-value";
import type { FieldPaths } from "./field-paths";
import { finding } from "./finding";
import { toolIndex } from "./tool-defs";
import type { ChatMessage, ToolDef } from "./types";

/** See ExampleContext.checkArguments. */
export type ArgumentChecker = (
  tools: ToolDef[],
  toolName: string,
  args: Record<string, unknown>,
) => string | null;

const INVALID_SCHEMA = "invalid_schema:";

/**
 * Every tool call must be one the model could make at inference time: a declared tool
 * (`mustDeclare`), with arguments that are a JSON-encoded object (what function-calling runtimes
 * parse) matching the tool's parameters schema. The schema check is injected because the JSON
 * Schema validator (ajv) lives in lib/server.
 */
export function checkToolCalls(
  messages: readonly ChatMessage[],
  tools: ToolDef[],
  mustDeclare: boolean,
  checkArguments: ArgumentChecker,
  paths: FieldPaths,
  line: number,
  findings: Finding[],
): void {
  // Tools whose schema was already reported as invalid in this row: once per row is enough.
  let badSchemas: Set<number> | undefined;
  for (let i = 0; i < messages.length; i++) {
    const calls = messages[i]!.tool_calls;
    if (!calls) continue;
    for (let j = 0; j < calls.length; j++) {
      const { name, arguments: args } = calls[j]!.function;
      const k = toolIndex(tools, name);
      if (k < 0 && mustDeclare) {
        findings.push(
          finding(
            line,
            "error",
            "undeclared_tool",
            tools.length === 0
              ? `calls tool ${preview(name)} but the example declares no tools; add its definition to "tools"`
              : `calls tool ${preview(name)}, which is not declared in tools (declared: ${declaredNames(tools)})`,
            paths.toolName(i, j),
          ),
        );
      }
      const decoded = decodeArguments(args, paths, i, j, line, findings);
      if (decoded === null || k < 0 || badSchemas?.has(k)) continue;
      const problem = safeCheck(checkArguments, tools, name, decoded);
      if (problem === null) continue;
      if (problem.startsWith(INVALID_SCHEMA)) {
        (badSchemas ??= new Set()).add(k);
        findings.push(
          finding(
            line,
            "error",
            "invalid_tool_schema",
            `parameters of tool ${preview(name)} are not a usable JSON Schema: ${problem.slice(INVALID_SCHEMA.length).trim()}`,
            paths.tool(k, "parameters"),
          ),
        );
      } else {
        findings.push(
          finding(
            line,
            "error",
            "arguments_schema",
            `arguments do not match the parameters of tool ${preview(name)}: ${problem}`,
            paths.toolArguments(i, j),
          ),
        );
      }
    }
  }
}

/**
 * The injected check runs a JSON Schema validator over untrusted schemas; if it throws rather
 * than returning "invalid_schema:…", that row's schema is still the cause, and one bad row must
 * not stop the validation of the whole file.
 */
function safeCheck(
  checkArguments: ArgumentChecker,
  tools: ToolDef[],
  name: string,
  args: Record<string, unknown>,
): string | null {
  try {
    return checkArguments(tools, name, args);
  } catch (e) {
    return `${INVALID_SCHEMA} the schema check failed (${e instanceof Error ? e.message : String(e)})`;
  }
}

/**
 * The decoded arguments object, or null after pushing the finding that says why not. The common
 * real-world defect is double encoding: `"\"{\\\"a\\\":1}\""` parses to a string, not an object.
 */
export function decodeArguments(
  args: string,
  paths: FieldPaths,
  i: number,
  j: number,
  line: number,
  findings: Finding[],
): Record<string, unknown> | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(args);
  } catch (e) {
    findings.push(
      finding(
        line,
        "error",
        "arguments_invalid_json",
        args.trim() === ""
          ? `arguments are an empty string; expected a JSON object string ("{}" for no arguments)`
          : `arguments are not valid JSON (${(e as Error).message}): ${preview(args)}; expected a JSON object string such as "{\\"city\\":\\"Paris\\"}"`,
        paths.toolArguments(i, j),
      ),
    );
    return null;
  }
  if (isRecord(decoded)) return decoded;
  findings.push(
    finding(
      line,
      "error",
      "arguments_not_object",
      typeof decoded === "string"
        ? `arguments decode to a string (${preview(decoded)}), expected a JSON object — double-encoded?`
        : `arguments decode to ${decodedName(decoded)}, expected a JSON object`,
      paths.toolArguments(i, j),
    ),
  );
  return null;
}

function decodedName(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean") {
    return `${typeName(value)} (${String(value)})`;
  }
  return typeName(value);
}

function declaredNames(tools: ToolDef[]): string {
  const names = tools.slice(0, 10).map((t) => preview(t.function.name, 40));
  return tools.length > 10 ? `${names.join(", ")}, …` : names.join(", ");
}
