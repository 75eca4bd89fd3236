import type { Finding } from "@/lib/schemas/datasets";
import { isBlank } from "./describe-value";
import type { FieldPaths } from "./field-paths";
import { finding } from "./finding";
import type { ChatMessage } from "./types";

/**
 * Empty turns. An assistant turn with neither text nor a call is an error: it trains the model to
 * answer with nothing. Other empty turns are warnings: they are odd, but can be deliberate (an
 * empty system prompt, a tool that returned nothing).
 */
export function checkEmptyContent(
  messages: readonly ChatMessage[],
  paths: FieldPaths,
  line: number,
  findings: Finding[],
): void {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (!isBlank(m.content)) continue;
    const what = m.content === null ? "null" : m.content === "" ? "empty" : "whitespace only";
    if (m.role === "assistant") {
      if (m.tool_calls && m.tool_calls.length > 0) continue;
      findings.push(
        finding(
          line,
          "error",
          "assistant_empty",
          `assistant message has no text (content is ${what}) and no tool_calls; expected a reply or a tool call to learn from`,
          paths.content(i),
        ),
      );
    } else {
      findings.push(
        finding(
          line,
          "warning",
          "empty_content",
          `${m.role} message content is ${what}`,
          paths.content(i),
        ),
      );
    }
  }
}
