/**
 * OpenTelemetry GenAI spans → retune telemetry events and traces (docs/architecture.md,
 * "OpenTelemetry ingestion", holds the attribute table). Pure: the server decodes the request
 * into SpanViews, this decides what each span means, the server resolves Models and stores.
 *
 * One event per model call: a span whose `gen_ai.operation.name` is an inference operation
 * (chat, text_completion, generate_content), or, from instrumentations older than that
 * attribute, one with `gen_ai.request.model` and no operation. Agent, tool and embedding spans
 * make no event: `execute_tool` spans only tell which tool a call chose and whether it worked.
 * Linking a tool span to its call needs both in one export request (a BatchSpanProcessor exports
 * them together unless a batch boundary falls between them).
 */
import type { TelemetryEvent } from "@/lib/schemas/telemetry";
import type { TraceInput } from "@/lib/schemas/traces";
import {
  argumentsAreObject,
  type AttrValue,
  type ChatMessage,
  declaredToolNames,
  messagesFrom,
  messagesFromEvents,
  type SpanEvent,
  systemFrom,
  toolsFrom,
} from "./genai-messages";

export type { AttrValue } from "./genai-messages";

/** A decoded span with what it inherits from its resource. Times are epoch milliseconds. */
export type SpanView = {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  name: string;
  startMs: number;
  endMs: number;
  attributes: Map<string, AttrValue>;
  /** Shared by every span of one ResourceSpans. */
  resource: Map<string, AttrValue>;
  events: (SpanEvent & { timeMs: number })[];
  /** 0 unset, 1 ok, 2 error. */
  status: { code: number; message: string };
};

export type GenAiOptions = {
  /** Attribute (span, else resource) naming the retune Model: its name or id. */
  modelAttribute: string;
  /** Boolean attribute (span, else resource) saying the call was escalated. */
  escalatedAttribute: string;
};

/** The attributes retune reads besides the GenAI conventions' own. */
export const RETUNE_ATTRIBUTES = {
  version: "retune.model.version",
  intent: "retune.intent",
  cost: "retune.cost_usd",
  toolCallValid: "retune.tool_call.valid",
} as const;

/** Inference operations (gen_ai.operation.name) that make a telemetry event. */
export const CALL_OPERATIONS = new Set(["chat", "text_completion", "generate_content"]);
const TOOL_OPERATION = "execute_tool";

export type GenAiCall = {
  /** The span's position in the request's span list. */
  index: number;
  /** `<traceId>-<spanId>`: the event's id and the trace's, so a resent export is a duplicate. */
  id: string;
  /**
   * Model references to try in order: the configured attribute alone when the span or its
   * resource carries it (a reference someone set must not fall through to a guess), else the
   * request model, then the response model.
   */
  modelRefs: string[];
  modelFrom: "attribute" | "model name";
  event: Omit<TelemetryEvent, "model">;
  /** The conversation, when the span recorded one with an assistant turn. */
  trace: Omit<TraceInput, "model"> | null;
};

const get = (s: SpanView, key: string): AttrValue | undefined =>
  s.attributes.get(key) ?? s.resource.get(key);
const str = (v: AttrValue | undefined) =>
  typeof v === "string" && v.trim() ? v.trim() : undefined;
const num = (v: AttrValue | undefined) => {
  const n = typeof v === "string" && v.trim() ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
};
function bool(v: AttrValue | undefined): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "1" || s === "yes") return true;
    if (s === "false" || s === "0" || s === "no") return false;
  }
  return undefined;
}
/** Labels (tool, intent) are 1–200 characters. */
const label = (v: string | undefined) => (v ? v.slice(0, 200) : undefined);

const operation = (s: SpanView) => str(s.attributes.get("gen_ai.operation.name"));
const isCall = (s: SpanView) => {
  const op = operation(s);
  return op ? CALL_OPERATIONS.has(op) : s.attributes.has("gen_ai.request.model");
};
const isTool = (s: SpanView) => operation(s) === TOOL_OPERATION;
const failed = (s: SpanView) => s.status.code === 2 || s.attributes.has("error.type");

/** A trace's model calls and tool spans: links are looked for within one trace only. */
type TraceGroup = { calls: SpanView[]; tools: SpanView[] };

/** The tool spans of a call: the ones its tool calls name by id, else the next ones after it. */
function toolSpansOf(call: SpanView, callIds: string[], group: TraceGroup): SpanView[] {
  if (group.tools.length === 0) return [];
  if (callIds.length) {
    const byId = group.tools.filter((t) => {
      const id = str(t.attributes.get("gen_ai.tool.call.id"));
      return id !== undefined && callIds.includes(id);
    });
    if (byId.length) return byId;
  }
  // A tool span that started after this call ended and before the next call of the same agent
  // step (same parent) started: the tool this call asked for.
  let next = Infinity;
  for (const c of group.calls)
    if (c !== call && c.parentSpanId === call.parentSpanId && c.startMs >= call.endMs)
      next = Math.min(next, c.startMs);
  return group.tools
    .filter(
      (t) =>
        (t.parentSpanId === call.parentSpanId || t.parentSpanId === call.spanId) &&
        t.startMs >= call.endMs &&
        t.startMs < next,
    )
    .sort((a, b) => a.startMs - b.startMs);
}

function conversation(s: SpanView): { input: ChatMessage[]; output: ChatMessage[] } {
  const a = s.attributes;
  const fromEvents = messagesFromEvents(s.events);
  const input = a.has("gen_ai.input.messages")
    ? messagesFrom(a.get("gen_ai.input.messages"))
    : fromEvents.input;
  const output = a.has("gen_ai.output.messages")
    ? messagesFrom(a.get("gen_ai.output.messages"))
    : fromEvents.output;
  const system = systemFrom(a.get("gen_ai.system_instructions"));
  const hasSystem = input.some((m) => m.role === "system");
  return {
    input: hasSystem ? input : [...system, ...input],
    // An inference's output is the model's turn, whatever role the recording gave it.
    output: output.map((m) => (m.role === "tool" ? m : { ...m, role: "assistant" as const })),
  };
}

/** Maps a request's spans; spans that are not model calls are left out. */
export function mapGenAiSpans(spans: SpanView[], opts: GenAiOptions): GenAiCall[] {
  const groups = new Map<string, TraceGroup>();
  const kinds = spans.map((s) => (isCall(s) ? "call" : isTool(s) ? "tool" : null));
  spans.forEach((s, i) => {
    const kind = kinds[i];
    if (!kind) return;
    let g = groups.get(s.traceId);
    if (!g) groups.set(s.traceId, (g = { calls: [], tools: [] }));
    (kind === "call" ? g.calls : g.tools).push(s);
  });
  const out: GenAiCall[] = [];
  spans.forEach((s, index) => {
    if (kinds[index] !== "call") return;
    const configured = str(get(s, opts.modelAttribute));
    const modelRefs = configured
      ? [configured]
      : [
          str(s.attributes.get("gen_ai.request.model")),
          str(s.attributes.get("gen_ai.response.model")),
        ]
          .filter((r): r is string => r !== undefined)
          .filter((r, i, all) => all.indexOf(r) === i);

    const { input, output } = conversation(s);
    const toolCalls = output.flatMap((m) => m.tool_calls ?? []);
    const toolSpans = toolSpansOf(
      s,
      toolCalls.map((c) => c.id).filter((id): id is string => id !== undefined),
      groups.get(s.traceId)!,
    );
    const tool = label(
      toolCalls[0]?.function.name ?? str(toolSpans[0]?.attributes.get("gen_ai.tool.name")),
    );
    const tools = toolsFrom(s.attributes.get("gen_ai.tool.definitions"));

    let toolCallValid: boolean | undefined;
    if (tool !== undefined) {
      const declared = tools ? declaredToolNames(tools) : null;
      toolCallValid =
        bool(s.attributes.get(RETUNE_ATTRIBUTES.toolCallValid)) ??
        (toolCalls.every(
          (c) =>
            argumentsAreObject(c.function.arguments) &&
            (!declared || declared.has(c.function.name)),
        ) &&
          !toolSpans.some(failed));
    }

    const version = num(get(s, RETUNE_ATTRIBUTES.version));
    const cost =
      num(s.attributes.get(RETUNE_ATTRIBUTES.cost)) ?? num(s.attributes.get("gen_ai.usage.cost"));
    const escalated = bool(get(s, opts.escalatedAttribute));
    const intent = label(str(get(s, RETUNE_ATTRIBUTES.intent)));
    const outcome = failed(s) ? "failure" : "success";
    const latencyMs = Math.max(0, Math.round((s.endMs - s.startMs) * 1000) / 1000);
    const id = `${s.traceId}-${s.spanId}`;
    const timestamp = new Date(s.startMs).toISOString();

    const event: GenAiCall["event"] = {
      id,
      timestamp,
      outcome,
      latencyMs,
      ...(version !== undefined ? { version } : {}),
      ...(tool !== undefined ? { tool } : {}),
      ...(toolCallValid !== undefined ? { toolCallValid } : {}),
      ...(escalated !== undefined ? { escalated } : {}),
      ...(cost !== undefined ? { costUsd: cost } : {}),
      ...(intent !== undefined ? { intent } : {}),
    };

    const messages = [...input, ...output];
    const trace: GenAiCall["trace"] = output.some((m) => m.role === "assistant")
      ? {
          id,
          timestamp,
          outcome,
          messages,
          ...(tools ? { tools } : {}),
          metadata: metadataOf(s),
        }
      : null;
    out.push({
      index,
      id,
      modelRefs,
      modelFrom: configured ? "attribute" : "model name",
      event,
      trace,
    });
  });
  return out;
}

/** What a trace keeps of its span beyond the conversation. */
function metadataOf(s: SpanView): Record<string, unknown> {
  const a = s.attributes;
  const m: Record<string, unknown> = {
    source: "otlp",
    traceId: s.traceId,
    spanId: s.spanId,
  };
  const put = (k: string, v: AttrValue | undefined) => {
    if (v !== undefined && v !== null) m[k] = v;
  };
  put("service", s.resource.get("service.name"));
  put("operation", a.get("gen_ai.operation.name"));
  put("provider", a.get("gen_ai.provider.name") ?? a.get("gen_ai.system"));
  put("requestModel", a.get("gen_ai.request.model"));
  put("responseModel", a.get("gen_ai.response.model"));
  put("inputTokens", num(a.get("gen_ai.usage.input_tokens")));
  put("outputTokens", num(a.get("gen_ai.usage.output_tokens")));
  put("finishReasons", a.get("gen_ai.response.finish_reasons"));
  put("errorType", a.get("error.type"));
  if (s.status.code === 2 && s.status.message) m.statusMessage = s.status.message;
  return m;
}
