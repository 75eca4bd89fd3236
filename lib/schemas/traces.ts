import { z } from "zod";
import { isoDateSchema } from "./common";
import { searchTextSchema } from "./search";

/**
 * Opted-in full interactions (POST /api/v1/traces): the raw material of retraining datasets.
 * Messages use the OpenAI chat shape that datasets use; the full row rules run when a retrain
 * builds a dataset version from traces (validated like any upload).
 */
export const TRACE_MAX_BATCH = 1_000;

const toolCallSchema = z.looseObject({
  id: z.string().optional(),
  type: z.literal("function").optional(),
  function: z.looseObject({
    name: z.string().min(1),
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
  }),
});

export const traceMessageSchema = z.looseObject({
  role: z.enum(["system", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(z.unknown()), z.null()]).optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
});

export const TRACE_OUTCOMES = ["success", "failure"] as const;
export const CORRECTORS = ["frontier", "human"] as const;

export const traceInputSchema = z
  .strictObject({
    id: z.string().min(1).max(200).optional(),
    timestamp: z.iso.datetime({
      offset: true,
      message: "expected an ISO 8601 time with offset, e.g. 2026-03-01T10:00:00Z",
    }),
    model: z.string().min(1).max(200),
    messages: z
      .array(traceMessageSchema)
      .min(1)
      .max(500)
      .refine((m) => m.some((x) => x.role === "assistant"), "needs at least one assistant message"),
    tools: z
      .array(z.looseObject({ type: z.string().optional() }))
      .max(200)
      .optional(),
    outcome: z.enum(TRACE_OUTCOMES),
    correctedBy: z.enum(CORRECTORS).optional(),
    /**
     * With `correctedBy`: the conversation as the model first answered it, before the correction.
     * `messages` is then the corrected conversation (what a retrain learns from); the console
     * shows the two side by side.
     */
    originalMessages: z.array(traceMessageSchema).min(1).max(500).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((t) => !t.originalMessages || t.correctedBy, {
    path: ["originalMessages"],
    message: "only with correctedBy: the original of a trace nobody corrected is its messages",
  });
export type TraceInput = z.infer<typeof traceInputSchema>;

export const tracesAcceptedSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
});

export const traceSummarySchema = z.object({
  id: z.string(),
  traceId: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  timestamp: isoDateSchema,
  outcome: z.enum(TRACE_OUTCOMES),
  correctedBy: z.enum(CORRECTORS).nullable(),
  messageCount: z.number(),
  toolsCalled: z.array(z.string()),
  createdAt: isoDateSchema,
});
export type TraceSummary = z.infer<typeof traceSummarySchema>;

export const traceDetailSchema = traceSummarySchema.extend({
  messages: z.array(traceMessageSchema),
  /** A corrected trace's conversation before the correction, when the producer sent it. */
  originalMessages: z.array(traceMessageSchema).nullable().default(null),
  tools: z.array(z.unknown()).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});
export type TraceDetail = z.infer<typeof traceDetailSchema>;

export const tracesQuerySchema = z.object({
  model: z.string().optional(),
  outcome: z.enum(TRACE_OUTCOMES).optional(),
  correctedBy: z.enum([...CORRECTORS, "none"]).optional(),
  /** A substring of the name of a tool the assistant called (any case). */
  tool: searchTextSchema,
  /** A substring of the trace id or of a called tool's name (any case). */
  q: searchTextSchema,
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  /** Opaque cursor from the previous page. */
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TracesQuery = z.input<typeof tracesQuerySchema>;

export const tracesPageSchema = z.object({
  traces: z.array(traceSummarySchema),
  nextCursor: z.string().nullable(),
});
export type TracesPage = z.infer<typeof tracesPageSchema>;
