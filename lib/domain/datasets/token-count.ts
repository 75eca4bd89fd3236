import type { ChatMessage, ToolDef } from "./types";

export type TokenCounts = { total: number; assistant: number };
export type CountTokens = (text: string) => number;

/**
 * Tokens of one chat example over a fixed rendering: per message "role\ncontent" and one
 * "\nname arguments" line per tool call; each declared tool's JSON once. It is not the base model's chat
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

// Rows repeat the same tool definitions, often as different subsets of one catalogue. Each tool
// is counted on its own (its JSON), and the last definition seen under each name is remembered
// with its count, keyed by the counter (another base model means another tokenizer): a
// structural comparison is several times cheaper than serializing the definition again.
let lastCounter: CountTokens | null = null;
const lastByName = new Map<string, { tool: ToolDef; tokens: number }>();
const MAX_REMEMBERED_TOOLS = 10_000;

function toolsTokens(tools: readonly ToolDef[], countTokens: CountTokens): number {
  if (countTokens !== lastCounter) {
    lastByName.clear();
    lastCounter = countTokens;
  }
  let total = 0;
  for (let i = 0; i < tools.length; i++) {
    const tool = tools[i]!;
    const name = tool.function.name;
    const last = lastByName.get(name);
    if (last && sameJson(last.tool, tool)) {
      total += last.tokens;
      continue;
    }
    const tokens = countTokens(JSON.stringify(tool));
    if (lastByName.size >= MAX_REMEMBERED_TOOLS) lastByName.clear();
    lastByName.set(name, { tool, tokens });
    total += tokens;
  }
  return total;
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
