import type { ChatMessage, ToolDef } from "./types";

export type TokenCounts = { total: number; assistant: number };
export type CountTokens = (text: string) => number;

/**
 * Tokens of one chat example over a fixed rendering: per message "role\ncontent" and one
 * "\nname arguments" line per tool call; the tools' JSON once. It is not the base model's chat
 * template (that needs the template engine), so it undercounts the template's special tokens by
 * a few per message; it is deterministic, which is what statistics and the context check need.
 *
 * Counting message by message lets the assistant share come from the same numbers as the total
 * (assistant ≤ total always) without building the rendering twice.
 */
export function countChatTokens(
  messages: readonly ChatMessage[],
  tools: readonly ToolDef[],
  countTokens: CountTokens,
): TokenCounts {
  let total = 0;
  let assistant = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    let text = m.content === null ? m.role : `${m.role}\n${m.content}`;
    const calls = m.tool_calls;
    if (calls) {
      for (let j = 0; j < calls.length; j++) {
        const fn = calls[j]!.function;
        text += `\n${fn.name} ${fn.arguments}`;
      }
    }
    const n = countTokens(text);
    total += n;
    if (m.role === "assistant") assistant += n;
  }
  if (tools.length > 0) total += toolsTokens(tools, countTokens);
  return { total, assistant };
}

// Most datasets repeat one tool list on every row. Remember the last list and its count, keyed
// by the counter (another base model means another tokenizer); a structural comparison with the
// last list is several times cheaper than serializing this one to compare JSON.
let lastCounter: CountTokens | null = null;
let lastTools: readonly ToolDef[] | null = null;
let lastToolsTokens = 0;

function toolsTokens(tools: readonly ToolDef[], countTokens: CountTokens): number {
  if (countTokens !== lastCounter || lastTools === null || !sameJson(tools, lastTools)) {
    lastToolsTokens = countTokens(JSON.stringify(tools));
    lastCounter = countTokens;
    lastTools = tools;
  }
  return lastToolsTokens;
}

/**
 * Whether two JSON values serialize identically: same values, same keys in the same order.
 * Values are JSON-parsed data (no undefined members, no cycles).
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) {
      return false;
    }
  }
  return true;
}

export function countCompletionTokens(
  prompt: string,
  completion: string,
  countTokens: CountTokens,
): TokenCounts {
  const assistant = countTokens(completion);
  return { total: countTokens(prompt) + assistant, assistant };
}
