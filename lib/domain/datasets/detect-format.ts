import type { InputFormat } from "@/lib/schemas/datasets";
import { isRecord } from "./describe-value";

/**
 * Which input format one row is in, or null when it is in none. Only looks, never validates:
 * a `messages` row with broken messages is still "chat", so the shape rules can say what is
 * wrong with it instead of "unknown format".
 */
export function detectFormat(value: unknown): InputFormat | null {
  if (!isRecord(value)) return null;
  const messages = value.messages;
  if (Array.isArray(messages)) {
    const tools = value.tools;
    if (Array.isArray(tools) && tools.length > 0) return "tool_calling";
    for (let i = 0; i < messages.length; i++) {
      const m: unknown = messages[i];
      if (isRecord(m) && m.role === "assistant") {
        const calls = m.tool_calls;
        if (Array.isArray(calls) && calls.length > 0) return "tool_calling";
      }
    }
    return "chat";
  }
  if (Array.isArray(value.conversations)) return "sharegpt";
  if (typeof value.prompt === "string" && typeof value.completion === "string") return "completion";
  return null;
}

/**
 * The three row layouts, by which key is present (not by its type): a declared format is matched
 * on this, and a row with the right key but a wrong-typed value gets `invalid_shape`, which says
 * more than `unknown_format` would.
 */
export type RowLayout = "messages" | "conversations" | "completion";

export function rowLayout(value: Record<string, unknown>): RowLayout | null {
  if (value.messages !== undefined) return "messages";
  if (value.conversations !== undefined) return "conversations";
  if (value.prompt !== undefined || value.completion !== undefined) return "completion";
  return null;
}

export function layoutOfFormat(format: InputFormat): RowLayout {
  switch (format) {
    case "chat":
    case "tool_calling":
      return "messages";
    case "sharegpt":
      return "conversations";
    case "completion":
      return "completion";
  }
}

/** Whether the row has the key(s) of `layout`, regardless of any other keys it has. */
export function hasLayout(value: Record<string, unknown>, layout: RowLayout): boolean {
  switch (layout) {
    case "messages":
      return value.messages !== undefined;
    case "conversations":
      return value.conversations !== undefined;
    case "completion":
      return value.prompt !== undefined || value.completion !== undefined;
  }
}
