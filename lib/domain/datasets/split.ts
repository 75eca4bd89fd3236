import { canonicalJson, hashString, normalizedExampleHash, splitOf } from "./example-hash";
import { sameJson } from "./token-count";
import type { ChatMessage, NormalizedExample, ToolCall, ToolDef } from "./types";

/**
 * The one train/eval split of a dataset version: a row validation accepted goes to eval when the
 * hash of its normalized example (normalizedExampleHash: content, not bytes, and not `source`)
 * falls in the version's eval buckets (splitOf). The dataset report's split counts, the row
 * preview's per-row side, the training pre-flight's scanned counts, the files a job trains on
 * (lib/server/training/data.ts) and a suite's eval cases (lib/server/evals/cases.ts) all come
 * from it, so they agree row for row.
 *
 * Keyed on the normalized example rather than the line's bytes: the same conversation written
 * with other key order, other metadata, or once as ShareGPT and once as chat, is one example and
 * sits on one side, so a near-duplicate can never be trained on and evaluated on.
 */
export function splitKey(example: NormalizedExample): number {
  if (example.kind !== "chat" || !plainChat(example)) return normalizedExampleHash(example);
  // normalizedExampleHash's canonical JSON, built without re-serializing the tool definitions
  // every row repeats (validation runs this on every row; the tools are most of the bytes).
  let tools = "[";
  for (let i = 0; i < example.tools.length; i++) {
    if (i > 0) tools += ",";
    tools += toolJson(example.tools[i]!);
  }
  let messages = "[";
  for (let i = 0; i < example.messages.length; i++) {
    if (i > 0) messages += ",";
    messages += messageJson(example.messages[i]!);
  }
  return hashString(`{"kind":"chat","messages":${messages}],"tools":${tools}]}`);
}

const MESSAGE_KEYS = new Set(["content", "name", "role", "tool_call_id", "tool_calls"]);
const CALL_KEYS = new Set(["function", "id", "type"]);

/**
 * canonicalJson of a normalized message, its keys written in sorted order by hand (content,
 * name, role, tool_call_id, tool_calls; a call's function, id, type; arguments, name); anything
 * else — another key, a value of another type — goes through canonicalJson.
 */
function messageJson(m: ChatMessage): string {
  for (const k in m) if (!MESSAGE_KEYS.has(k)) return canonicalJson(m);
  const { content, name, role, tool_call_id: callId, tool_calls: calls } = m;
  if (content !== null && content !== undefined && typeof content !== "string") {
    return canonicalJson(m);
  }
  if (!str(name) || typeof role !== "string" || !str(callId)) return canonicalJson(m);
  const parts: string[] = [];
  if (content !== undefined) parts.push(`"content":${JSON.stringify(content)}`);
  if (name !== undefined) parts.push(`"name":${JSON.stringify(name)}`);
  parts.push(`"role":${JSON.stringify(role)}`);
  if (callId !== undefined) parts.push(`"tool_call_id":${JSON.stringify(callId)}`);
  if (calls !== undefined) {
    if (!Array.isArray(calls)) return canonicalJson(m);
    const written: string[] = [];
    for (const c of calls) {
      const call = callJson(c);
      if (call === null) return canonicalJson(m);
      written.push(call);
    }
    parts.push(`"tool_calls":[${written.join(",")}]`);
  }
  return `{${parts.join(",")}}`;
}

function callJson(c: ToolCall): string | null {
  if (typeof c !== "object" || c === null) return null;
  for (const k in c) if (!CALL_KEYS.has(k)) return null;
  const f = c.function as unknown;
  if (typeof f !== "object" || f === null) return null;
  for (const k in f) if (k !== "arguments" && k !== "name") return null;
  const { arguments: args, name } = f as { arguments?: unknown; name?: unknown };
  if (!str(args) || !str(name) || !str(c.id) || !str(c.type)) return null;
  const fn: string[] = [];
  if (args !== undefined) fn.push(`"arguments":${JSON.stringify(args)}`);
  if (name !== undefined) fn.push(`"name":${JSON.stringify(name)}`);
  const parts = [`"function":{${fn.join(",")}}`];
  if (c.id !== undefined) parts.push(`"id":${JSON.stringify(c.id)}`);
  if (c.type !== undefined) parts.push(`"type":${JSON.stringify(c.type)}`);
  return `{${parts.join(",")}}`;
}

/** A string, or absent (undefined members are dropped, as canonicalJson drops them). */
function str(v: unknown): boolean {
  return v === undefined || typeof v === "string";
}

const CHAT_KEYS = new Set(["kind", "messages", "tools", "source"]);

/** Exactly the keys the fast path writes (anything else goes the general way). */
function plainChat(example: NormalizedExample): boolean {
  for (const k in example) if (!CHAT_KEYS.has(k)) return false;
  return true;
}

// The last definition seen under each tool name, with its canonical JSON: comparing structure
// is several times cheaper than serializing it again (as token-count.ts does for its counts).
const lastTool = new Map<string, { tool: ToolDef; json: string }>();
const MAX_REMEMBERED_TOOLS = 10_000;

function toolJson(tool: ToolDef): string {
  const name = String(tool.function?.name);
  const last = lastTool.get(name);
  if (last && sameJson(last.tool, tool)) return last.json;
  const json = canonicalJson(tool);
  if (lastTool.size >= MAX_REMEMBERED_TOOLS) lastTool.clear();
  lastTool.set(name, { tool, json });
  return json;
}

export function splitOfExample(example: NormalizedExample, evalFraction: number): "train" | "eval" {
  return splitOf(splitKey(example), evalFraction);
}
