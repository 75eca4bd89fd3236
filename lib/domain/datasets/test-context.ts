import type { ExampleContext } from "./validate-example";
import type { ToolDef } from "./types";

/**
 * Test doubles for the two injected functions: tokens are whitespace-separated words, and
 * arguments are checked against `required` and `properties.*.type` of the tool's parameters — as
 * lib/server's ajv check would for these simple schemas. A schema with `"type": "nonsense"` plays
 * an uncompilable one. Used by the tests beside this file only.
 */
export function countWords(text: string): number {
  let n = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) n++;
    inWord = !space;
  }
  return n;
}

export function checkSimpleSchema(
  tools: ToolDef[],
  toolName: string,
  args: Record<string, unknown>,
): string | null {
  const tool = tools.find((t) => t.function.name === toolName);
  const schema = tool?.function.parameters as
    | { type?: string; required?: string[]; properties?: Record<string, { type?: string }> }
    | undefined;
  if (!schema) return null;
  if (schema.type !== undefined && schema.type !== "object") {
    return `invalid_schema: schema type must be "object", found "${schema.type}"`;
  }
  for (const key of schema.required ?? []) {
    if (!(key in args)) return `must have required property '${key}'`;
  }
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    if (key in args && prop.type !== undefined && typeof args[key] !== prop.type) {
      return `/${key} must be ${prop.type}`;
    }
  }
  return null;
}

export function testContext(overrides: Partial<ExampleContext> = {}): ExampleContext {
  return {
    line: 1,
    format: "auto",
    contextTokens: 4096,
    countTokens: countWords,
    checkArguments: checkSimpleSchema,
    ...overrides,
  };
}
