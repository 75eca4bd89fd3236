import type { Finding } from "@/lib/schemas/datasets";
import { prettyJson } from "@/lib/client/pretty-json";
import { Badge } from "./badge";
import { cx } from "./cx";

/*
 * Renders one parsed JSONL row the way a person reads a training example: a conversation of
 * role-labelled bubbles, tool calls as highlighted blocks with pretty-printed arguments, and the
 * row's tool declarations folded away. Works on the raw parsed value (it may be malformed: that is
 * what the preview is for), so every access is defensive.
 */

type Rec = Record<string, unknown>;

function isRec(v: unknown): v is Rec {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** A tool result that is a JSON object or array, pretty-printed; null for plain text. */
function jsonObjectText(text: string): string | null {
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return null;
  try {
    return prettyJson(JSON.parse(t));
  } catch {
    return null;
  }
}

/** Findings about message `i` (by their field path), and about tool `k`. */
function findingsAt(findings: Finding[], prefix: string): Finding[] {
  return findings.filter(
    (f) =>
      f.field !== undefined &&
      (f.field === prefix || f.field.startsWith(`${prefix}.`) || f.field.startsWith(`${prefix}[`)),
  );
}

type Role = "system" | "user" | "assistant" | "tool" | "other";

const SHAREGPT_ROLE: Record<string, Role> = {
  system: "system",
  human: "user",
  user: "user",
  gpt: "assistant",
  assistant: "assistant",
  function_call: "assistant",
  observation: "tool",
  tool: "tool",
};

function roleOf(v: unknown): Role {
  return v === "system" || v === "user" || v === "assistant" || v === "tool" ? v : "other";
}

type Arguments =
  | { kind: "object"; text: string }
  | { kind: "double-encoded"; text: string }
  | { kind: "invalid"; text: string }
  | { kind: "not-object"; text: string };

/** OpenAI arguments are a JSON-encoded object string; say so when they are anything else. */
function readArguments(args: unknown): Arguments {
  if (isRec(args)) return { kind: "not-object", text: prettyJson(args) };
  if (typeof args !== "string") return { kind: "not-object", text: prettyJson(args) };
  try {
    const decoded: unknown = JSON.parse(args);
    if (isRec(decoded)) return { kind: "object", text: prettyJson(decoded) };
    if (typeof decoded === "string") return { kind: "double-encoded", text: args };
    return { kind: "not-object", text: args };
  } catch {
    return { kind: "invalid", text: args };
  }
}

const ARGUMENT_NOTE: Record<Exclude<Arguments["kind"], "object">, string> = {
  "double-encoded": "double-encoded: a JSON string holding JSON",
  invalid: "not valid JSON",
  "not-object": "not a JSON-encoded object",
};

function ToolCallBlock({
  call,
  findings,
  path,
}: {
  call: unknown;
  findings: Finding[];
  path: string;
}) {
  const fn = isRec(call) && isRec(call.function) ? call.function : isRec(call) ? call : {};
  const name = str(fn.name) ?? "(no name)";
  const id = isRec(call) ? str(call.id) : null;
  const args = readArguments(fn.arguments);
  const own = findingsAt(findings, path);
  return (
    <div
      className={cx("tool-call", own.length > 0 && "has-finding")}
      aria-label={`Tool call ${name}`}
      role="group"
    >
      <div className="tool-call-head">
        <span className="tool-call-label">call</span>
        <span className="mono tool-call-name">{name}</span>
        {id && <span className="mono muted small">{id}</span>}
        {args.kind !== "object" && <Badge tone="danger">{ARGUMENT_NOTE[args.kind]}</Badge>}
      </div>
      <pre className="code-block">{args.text}</pre>
      <InlineFindings findings={own} />
    </div>
  );
}

/** Marks where a finding points; the row's findings list above carries the full messages. */
function InlineFindings({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return null;
  return (
    <p className="inline-findings">
      {findings.map((f, i) => (
        <Badge key={i} tone={f.severity === "error" ? "danger" : "warning"} title={f.message}>
          {f.severity === "error" ? "✕" : "!"} {f.code}
          {f.field && <span className="sr-only"> at {f.field}</span>}
        </Badge>
      ))}
    </p>
  );
}

function MessageBubble({
  message,
  index,
  list,
  findings,
  roleKey = "role",
  contentKey = "content",
}: {
  message: unknown;
  index: number;
  list: string;
  findings: Finding[];
  roleKey?: string;
  contentKey?: string;
}) {
  const path = `${list}[${index}]`;
  const own = findingsAt(findings, path);
  if (!isRec(message)) {
    return (
      <div className="bubble bubble-other has-finding">
        <div className="bubble-role">not a message</div>
        <pre className="code-block">{prettyJson(message)}</pre>
        <InlineFindings findings={own} />
      </div>
    );
  }
  const rawRole = str(message[roleKey]) ?? "(no role)";
  const role = roleKey === "role" ? roleOf(message.role) : (SHAREGPT_ROLE[rawRole] ?? "other");
  const content = message[contentKey];
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const name = str(message.name);
  const toolCallId = str(message.tool_call_id);
  const toolJson = role === "tool" && typeof content === "string" ? jsonObjectText(content) : null;
  // Findings on the message's own fields (content, role) show under it; call findings under the call.
  const callPrefix = `${path}.tool_calls`;
  const messageFindings = own.filter((f) => !f.field?.startsWith(callPrefix));
  return (
    <div
      className={cx("bubble", `bubble-${role}`, own.length > 0 && "has-finding")}
      role="group"
      aria-label={`${rawRole} message ${index + 1}`}
    >
      <div className="bubble-role">
        {rawRole}
        {name && <span className="mono muted"> · {name}</span>}
        {toolCallId && <span className="mono muted"> · answers {toolCallId}</span>}
      </div>
      {content === null || content === undefined ? (
        calls.length === 0 && <p className="muted small">(no content)</p>
      ) : typeof content === "string" ? (
        content.trim() === "" ? (
          <p className="muted small">(empty)</p>
        ) : toolJson ? (
          <pre className="code-block">{toolJson}</pre>
        ) : (
          <p className="bubble-text">{content}</p>
        )
      ) : (
        <pre className="code-block">{prettyJson(content)}</pre>
      )}
      {calls.map((call, j) => (
        <ToolCallBlock key={j} call={call} findings={findings} path={`${callPrefix}[${j}]`} />
      ))}
      <InlineFindings findings={messageFindings} />
    </div>
  );
}

function ToolsDeclared({ tools, findings }: { tools: unknown; findings: Finding[] }) {
  if (!Array.isArray(tools) || tools.length === 0) return null;
  const names = tools.map((t) => {
    const fn = isRec(t) && isRec(t.function) ? t.function : isRec(t) ? t : {};
    return str(fn.name) ?? "(unnamed)";
  });
  const own = findingsAt(findings, "tools");
  return (
    <details className={cx("tools-declared", own.length > 0 && "has-finding")}>
      <summary>
        {tools.length} tool{tools.length === 1 ? "" : "s"} declared:{" "}
        <span className="mono">{names.join(", ")}</span>
      </summary>
      <pre className="code-block">{prettyJson(tools)}</pre>
      <InlineFindings findings={own} />
    </details>
  );
}

/** A parsed row, rendered by its layout: messages, ShareGPT conversations, or prompt/completion. */
export function ExampleView({ value, findings }: { value: unknown; findings: Finding[] }) {
  if (!isRec(value)) return <pre className="code-block">{prettyJson(value)}</pre>;
  if (Array.isArray(value.messages) || Array.isArray(value.conversations)) {
    const sharegpt = !Array.isArray(value.messages);
    const list = sharegpt ? "conversations" : "messages";
    const messages = (sharegpt ? value.conversations : value.messages) as unknown[];
    return (
      <div className="conversation">
        <ToolsDeclared tools={value.tools} findings={findings} />
        {messages.length === 0 && <p className="muted">(no messages)</p>}
        {messages.map((m, i) => (
          <MessageBubble
            key={i}
            message={m}
            index={i}
            list={list}
            findings={findings}
            roleKey={sharegpt ? "from" : "role"}
            contentKey={sharegpt ? "value" : "content"}
          />
        ))}
      </div>
    );
  }
  if ("prompt" in value || "completion" in value) {
    return (
      <div className="conversation">
        {(["prompt", "completion"] as const).map((key) => (
          <div
            key={key}
            role="group"
            aria-label={key}
            className={cx(
              "bubble",
              key === "prompt" ? "bubble-user" : "bubble-assistant",
              findingsAt(findings, key).length > 0 && "has-finding",
            )}
          >
            <div className="bubble-role">{key}</div>
            {typeof value[key] === "string" ? (
              <p className="bubble-text">{value[key] as string}</p>
            ) : (
              <pre className="code-block">{prettyJson(value[key])}</pre>
            )}
            <InlineFindings findings={findingsAt(findings, key)} />
          </div>
        ))}
      </div>
    );
  }
  return <pre className="code-block">{prettyJson(value)}</pre>;
}
