import type { Finding } from "@/lib/schemas/datasets";
import { preview } from "./describe-value";
import type { FieldPaths } from "./field-paths";
import { finding } from "./finding";
import type { ChatMessage, ToolCall } from "./types";

/**
 * Conversation order: what every chat template and the OpenAI API assume, so a model trained on
 * anything else learns a shape it will never be prompted with.
 * - `system` only before the first other message;
 * - the first non-system message is a user's (an assistant cannot answer nobody);
 * - never two user messages in a row (the answer between them is missing);
 * - a `tool` message answers a call of the assistant message right before it (tool results for
 *   one assistant turn may follow one another) and names that call's id;
 * - with `requireAnswers`, every call of an assistant turn is answered before the conversation
 *   goes on (a final turn that only calls is fine: that call is what the model learns to make);
 * - at least one assistant message, since only assistant turns are trained on.
 *
 * Tool messages with no `tool_call_id` match calls in order when the calls have no ids either
 * (Hermes/Llama-style data, converted ShareGPT); when the calls have ids, the tool message must
 * name one, as OpenAI requires.
 */
export function checkRoleOrder(
  messages: readonly ChatMessage[],
  paths: FieldPaths,
  line: number,
  findings: Finding[],
  requireAnswers: boolean,
): void {
  let started = false; // a non-system message was seen
  let hasAssistant = false;
  let prevUser = -1; // index of the previous message when it was a user's, else -1
  // The open call turn: the assistant message whose calls the following tool messages answer.
  let open = -1;
  let openCalls: ToolCall[] | undefined;
  let answered: boolean[] | undefined;
  // A tool message of the open turn was orphaned: its call then looks unanswered too, but that
  // is the same defect, already reported.
  let orphaned = false;

  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const role = m.role;
    if (role !== "tool" && open >= 0) {
      if (requireAnswers && !orphaned)
        unanswered(open, openCalls!, answered!, i, paths, line, findings);
      open = -1;
    }
    switch (role) {
      case "system":
        if (started) {
          findings.push(
            finding(
              line,
              "error",
              "role_order",
              `system message at ${paths.message(i)} comes after the conversation started; system messages belong only at the start`,
              paths.role(i),
            ),
          );
        }
        prevUser = -1;
        break;
      case "user":
        if (prevUser >= 0) {
          findings.push(
            finding(
              line,
              "error",
              "role_order",
              `two user messages in a row (${paths.message(prevUser)} and ${paths.message(i)}); expected an assistant turn between them`,
              paths.role(i),
            ),
          );
        }
        started = true;
        prevUser = i;
        break;
      case "assistant":
        if (!started) {
          findings.push(
            finding(
              line,
              "error",
              "role_order",
              `the conversation starts with an assistant message at ${paths.message(i)}; expected a user message first`,
              paths.role(i),
            ),
          );
        }
        started = true;
        hasAssistant = true;
        prevUser = -1;
        if (m.tool_calls && m.tool_calls.length > 0) {
          open = i;
          openCalls = m.tool_calls;
          answered = new Array<boolean>(openCalls.length).fill(false);
          orphaned = false;
        }
        break;
      case "tool":
        started = true;
        prevUser = -1;
        if (open < 0) {
          findings.push(
            finding(
              line,
              "error",
              "orphan_tool_message",
              `tool message at ${paths.message(i)} does not follow an assistant message with tool_calls; a tool result must come right after the call it answers`,
              paths.message(i),
            ),
          );
        } else {
          if (!matchToolMessage(m, i, open, openCalls!, answered!, paths, line, findings)) {
            orphaned = true;
          }
        }
        break;
    }
  }
  if (!hasAssistant) {
    findings.push(
      finding(
        line,
        "error",
        "no_assistant_turn",
        messages.length === 0
          ? `${paths.list} is empty; expected at least a user and an assistant message`
          : `no assistant message: only assistant turns are trained on, so this example teaches nothing`,
        paths.list,
      ),
    );
  }
}

function matchToolMessage(
  m: ChatMessage,
  i: number,
  open: number,
  calls: ToolCall[],
  answered: boolean[],
  paths: FieldPaths,
  line: number,
  findings: Finding[],
): boolean {
  const id = m.tool_call_id;
  if (id === undefined) {
    if (calls.some((c) => c.id !== undefined)) {
      orphan(
        findings,
        line,
        `tool message has no tool_call_id; expected the id of a call in ${paths.message(open)}: ${idList(calls)}`,
        paths.message(i),
      );
      return false;
    }
    const next = answered.indexOf(false);
    if (next < 0) {
      orphan(
        findings,
        line,
        `more tool results than calls: ${paths.message(open)} made ${calls.length} call(s), all already answered`,
        paths.message(i),
      );
      return false;
    }
    answered[next] = true;
    return true;
  }
  let k = -1;
  for (let j = 0; j < calls.length; j++) {
    if (calls[j]!.id === id) {
      k = j;
      break;
    }
  }
  if (k < 0) {
    orphan(
      findings,
      line,
      `tool_call_id ${preview(id)} matches no call of ${paths.message(open)}; expected one of ${idList(calls)}`,
      paths.toolCallId(i),
    );
    return false;
  }
  if (answered[k]) {
    orphan(findings, line, `tool_call_id ${preview(id)} was already answered`, paths.toolCallId(i));
    return false;
  }
  answered[k] = true;
  return true;
}

function orphan(findings: Finding[], line: number, message: string, field: string): void {
  findings.push(finding(line, "error", "orphan_tool_message", message, field));
}

function unanswered(
  open: number,
  calls: ToolCall[],
  answered: boolean[],
  next: number,
  paths: FieldPaths,
  line: number,
  findings: Finding[],
): void {
  const k = answered.indexOf(false);
  if (k < 0) return;
  const call = calls[k]!;
  const id = call.id === undefined ? "" : ` (${preview(call.id)})`;
  findings.push(
    finding(
      line,
      "error",
      "role_order",
      `tool call ${preview(call.function.name)}${id} at ${paths.message(open)} has no tool result before ${paths.message(next)}; expected a tool message${call.id === undefined ? "" : ` with tool_call_id ${preview(call.id)}`} after the call`,
      paths.toolCall(open, k),
    ),
  );
}

function idList(calls: ToolCall[]): string {
  const ids = calls.filter((c) => c.id !== undefined).map((c) => preview(c.id!, 40));
  return ids.length > 0 ? ids.join(", ") : "(the calls have no ids)";
}
