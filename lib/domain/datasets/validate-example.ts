import type { Finding, InputFormat } from "@/lib/schemas/datasets";
import { readChatMessages } from "./chat-messages";
import { isBlank, isRecord, listKeys, typeName } from "./describe-value";
import {
  detectFormat,
  hasLayout,
  layoutOfFormat,
  rowLayout,
  type RowLayout,
} from "./detect-format";
import { scanCompletionForPii, scanMessagesForPii } from "./example-pii";
import { CHAT_PATHS, type FieldPaths } from "./field-paths";
import { finding, hasErrorFinding, shapeError } from "./finding";
import { checkEmptyContent } from "./empty-content";
import { checkRoleOrder } from "./role-order";
import { assignToolCallIds, convertShareGpt } from "./sharegpt";
import { checkToolCalls } from "./tool-call-rules";
import { readTools } from "./tool-defs";
import { countChatTokens, countCompletionTokens, type TokenCounts } from "./token-count";
import type { ChatMessage, NormalizedExample, ToolDef } from "./types";

export type ExampleContext = {
  /** 1-based file line, put on every finding. */
  line: number;
  /** Declared by the upload, or "auto" to detect per row. */
  format: InputFormat | "auto";
  /** The base model's context length, in tokens. */
  contextTokens: number;
  /** Injected: the real tokenizer lives in lib/server. */
  countTokens: (text: string) => number;
  /**
   * Injected JSON-Schema check (ajv lives in lib/server). Returns null when valid, else a
   * message; "invalid_schema:<msg>" when the tool's parameters schema itself cannot compile.
   */
  checkArguments: (
    tools: ToolDef[],
    toolName: string,
    args: Record<string, unknown>,
  ) => string | null;
};

export type ExampleResult = {
  findings: Finding[];
  /** The normalized example; null when any finding is an error. */
  example: NormalizedExample | null;
  /** Null when the row's structure could not be read (not an object, unknown format, bad shape). */
  tokens: TokenCounts | null;
  /** What the row looks like on its own (detectFormat), whatever was declared. */
  detected: InputFormat | null;
};

const LAYOUT_HINT: Record<RowLayout, string> = {
  messages: `"messages" (chat or tool-calling)`,
  conversations: `"conversations" (ShareGPT)`,
  completion: `"prompt" and "completion"`,
};

/**
 * Validates one parsed JSONL row and normalizes it. Pure and synchronous; runs on every row of
 * an upload, so it allocates little beyond the normalized example and the findings.
 *
 * Rules run in stages: format, then structure (invalid_shape), then the conversation rules, PII
 * hints and token count. A row whose structure cannot be read stops after the structure stage:
 * order and content rules on a half-read conversation would only echo the shape error.
 */
export function validateExample(value: unknown, ctx: ExampleContext): ExampleResult {
  const findings: Finding[] = [];
  const line = ctx.line;
  if (!isRecord(value)) {
    findings.push(
      finding(
        line,
        "error",
        "not_an_object",
        `expected a JSON object per line, found ${typeName(value)}`,
      ),
    );
    return { findings, example: null, tokens: null, detected: null };
  }
  const detected = detectFormat(value);
  let layout: RowLayout | null;
  if (ctx.format === "auto") {
    layout = rowLayout(value);
    if (layout === null) {
      findings.push(
        finding(
          line,
          "error",
          "unknown_format",
          `no recognisable format: expected ${LAYOUT_HINT.messages}, ${LAYOUT_HINT.conversations}, or ${LAYOUT_HINT.completion}; found keys ${listKeys(value)}`,
        ),
      );
      return { findings, example: null, tokens: null, detected };
    }
  } else {
    layout = layoutOfFormat(ctx.format);
    if (!hasLayout(value, layout)) {
      findings.push(
        finding(
          line,
          "error",
          "unknown_format",
          `row does not match the declared format "${ctx.format}": expected ${LAYOUT_HINT[layout]}; found keys ${listKeys(value)}`,
        ),
      );
      return { findings, example: null, tokens: null, detected };
    }
  }
  const source = sourceOf(value);

  if (layout === "completion") return validateCompletion(value, ctx, source, detected, findings);

  let messages: ChatMessage[] | null;
  let tools: ToolDef[] | null;
  let paths: FieldPaths;
  let sharegpt = false;
  if (layout === "messages") {
    messages = readChatMessages(value.messages, line, findings);
    tools = readTools(value.tools, line, findings, false);
    paths = CHAT_PATHS;
  } else {
    const converted = convertShareGpt(value, line, findings);
    messages = converted?.messages ?? null;
    tools = converted?.tools ?? null;
    paths = converted?.paths ?? CHAT_PATHS;
    sharegpt = true;
  }
  if (!messages || !tools) return { findings, example: null, tokens: null, detected };

  // Calls must name a declared tool when the row (or the upload) is tool-calling data. A plain
  // "chat" upload whose rows carry calls but no tools is not judged on names: there is nothing
  // to judge them against.
  const effective = ctx.format === "auto" ? detected : ctx.format;
  const mustDeclare = tools.length > 0 || effective === "tool_calling";
  // ShareGPT has no call ids and often one observation for several parallel calls, so unanswered
  // calls are not an error there.
  checkRoleOrder(messages, paths, line, findings, !sharegpt);
  checkEmptyContent(messages, paths, line, findings);
  checkToolCalls(messages, tools, mustDeclare, ctx.checkArguments, paths, line, findings);
  scanMessagesForPii(messages, paths, line, findings);
  const tokens = countChatTokens(messages, tools, ctx.countTokens);
  checkContext(tokens, ctx, paths.list, findings);

  if (hasErrorFinding(findings)) return { findings, example: null, tokens, detected };
  if (sharegpt) assignToolCallIds(messages);
  return { findings, example: { kind: "chat", messages, tools, source }, tokens, detected };
}

function validateCompletion(
  value: Record<string, unknown>,
  ctx: ExampleContext,
  source: string | null,
  detected: InputFormat | null,
  findings: Finding[],
): ExampleResult {
  const line = ctx.line;
  const { prompt, completion } = value;
  if (typeof prompt !== "string") {
    shapeError(findings, line, `prompt must be a string, found ${typeName(prompt)}`, "prompt");
  }
  if (typeof completion !== "string") {
    shapeError(
      findings,
      line,
      `completion must be a string, found ${typeName(completion)}`,
      "completion",
    );
  }
  if (typeof prompt !== "string" || typeof completion !== "string") {
    return { findings, example: null, tokens: null, detected };
  }
  if (isBlank(prompt)) {
    findings.push(
      finding(line, "warning", "empty_content", `prompt is empty or whitespace only`, "prompt"),
    );
  }
  if (isBlank(completion)) {
    // An error, unlike other empty content: the completion is the only text trained on.
    findings.push(
      finding(
        line,
        "error",
        "empty_content",
        `completion is empty or whitespace only; the completion is what the model learns, so this example teaches nothing`,
        "completion",
      ),
    );
  }
  scanCompletionForPii(prompt, completion, line, findings);
  const tokens = countCompletionTokens(prompt, completion, ctx.countTokens);
  // Point at whichever part holds most of the tokens: that is the one to shorten.
  checkContext(
    tokens,
    ctx,
    tokens.assistant * 2 >= tokens.total ? "completion" : "prompt",
    findings,
  );
  if (hasErrorFinding(findings)) return { findings, example: null, tokens, detected };
  return {
    findings,
    example: { kind: "completion", prompt, completion, source },
    tokens,
    detected,
  };
}

function checkContext(
  tokens: TokenCounts,
  ctx: ExampleContext,
  field: string,
  findings: Finding[],
): void {
  if (tokens.total <= ctx.contextTokens) return;
  findings.push(
    finding(
      ctx.line,
      "error",
      "exceeds_context",
      `example is ${tokens.total} tokens, over the base model's context of ${ctx.contextTokens} tokens; it would be truncated in training`,
      field,
    ),
  );
}

/** Per-row provenance: `metadata.source` when it is a non-empty string. */
function sourceOf(value: Record<string, unknown>): string | null {
  const metadata = value.metadata;
  if (!isRecord(metadata)) return null;
  const source = metadata.source;
  return typeof source === "string" && source.length > 0 ? source : null;
}
