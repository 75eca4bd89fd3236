import type { StoredTrace } from "./trace-store";

/**
 * A trace as one dataset row (JSONL line) in the chat/tool-calling format uploads use: its
 * messages (a corrected trace's final answer is the correction), and its tools when it declared
 * any. One writer for every dataset made from traces, so the same trace is the same line.
 */
export function traceRowJson(t: Pick<StoredTrace, "messages" | "tools">): string {
  return JSON.stringify(
    t.tools?.length ? { messages: t.messages, tools: t.tools } : { messages: t.messages },
  );
}
