/** Reads of the trace index (list with filters, one trace with its body), scoped by team. */
import { z } from "zod";
import {
  type TraceDetail,
  type TraceSummary,
  type TracesPage,
  type TracesQuery,
  tracesQuerySchema,
  traceSummarySchema,
} from "@/lib/schemas/traces";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Prisma } from "@/lib/server/core/db";
import { HttpError, notFound } from "@/lib/server/core/errors";
import { resolveModelRefs } from "./model-refs";
import type { Principal } from "@/lib/server/core/principal";
import { containsText } from "@/lib/server/core/search";
import { readTraceBodies } from "./trace-store";

type TraceRow = Prisma.TraceGetPayload<object>;

/** Keyset position: the last row of a page, in (timestamp desc, id desc) order. */
const cursorSchema = z.object({ t: z.iso.datetime(), id: z.string().min(1) });

function encodeCursor(row: TraceRow): string {
  return Buffer.from(JSON.stringify({ t: row.timestamp.toISOString(), id: row.id })).toString(
    "base64url",
  );
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new HttpError(400, "bad_cursor", "cursor is not one this API returned; start over");
  }
}

/**
 * Newest first, a page at a time. Keyset pagination, not offsets: traces keep arriving while a
 * person pages, and an offset would skip or repeat rows as they do.
 */
export async function listTraces(p: Principal, query: TracesQuery): Promise<TracesPage> {
  authorize(p, "team.read");
  const q = tracesQuerySchema.parse(query);
  const where: Prisma.TraceWhereInput[] = [{ teamId: p.teamId }];
  if (q.model) {
    const model = (await resolveModelRefs(p.teamId, [q.model])).get(q.model);
    if (!model) throw notFound("model", q.model);
    where.push({ modelId: model.id });
  }
  if (q.outcome) where.push({ outcome: q.outcome });
  if (q.correctedBy === "none") where.push({ correctedBy: null });
  else if (q.correctedBy) where.push({ correctedBy: q.correctedBy });
  // toolsText: the called tools' names, one a line (a generated column with a trigram index), so
  // "refund" finds refund_order.
  if (q.tool) where.push({ toolsText: containsText(q.tool) });
  if (q.q) where.push({ OR: [{ traceId: containsText(q.q) }, { toolsText: containsText(q.q) }] });
  if (q.from) where.push({ timestamp: { gte: new Date(q.from) } });
  if (q.to) where.push({ timestamp: { lt: new Date(q.to) } });
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    const t = new Date(c.t);
    where.push({ OR: [{ timestamp: { lt: t } }, { timestamp: t, id: { lt: c.id } }] });
  }
  const rows = await db().trace.findMany({
    where: { AND: where },
    orderBy: [{ timestamp: "desc" }, { id: "desc" }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const names = await modelNames(
    p.teamId,
    page.map((r) => r.modelId),
  );
  return {
    traces: page.map((r) => summaryOf(r, names)),
    nextCursor: rows.length > q.limit ? encodeCursor(page.at(-1)!) : null,
  };
}

/** One trace by its row id or the client's trace id, with the body read from the artifact store. */
export async function getTrace(p: Principal, id: string): Promise<TraceDetail> {
  authorize(p, "team.read");
  const rows = await db().trace.findMany({
    where: { teamId: p.teamId, OR: [{ id }, { traceId: id }] },
    take: 2,
  });
  const row = rows.find((r) => r.id === id) ?? rows[0];
  if (!row) throw notFound("trace", id);
  let body;
  try {
    [body] = await readTraceBodies([row]);
  } catch (e) {
    console.error(`[traces] body of ${row.id} unreadable at ${row.storageUri}`, e);
    throw new HttpError(
      500,
      "trace_body_unreadable",
      `trace ${row.traceId}: its stored body (${row.storageUri}) cannot be read`,
    );
  }
  const names = await modelNames(p.teamId, [row.modelId]);
  return {
    ...summaryOf(row, names),
    messages: body!.messages,
    originalMessages: body!.originalMessages ?? null,
    tools: body!.tools,
    metadata: body!.metadata,
  };
}

async function modelNames(teamId: string, ids: string[]): Promise<Map<string, string>> {
  const models = await db().model.findMany({
    where: { teamId, id: { in: [...new Set(ids)] } },
    select: { id: true, name: true },
  });
  return new Map(models.map((m) => [m.id, m.name]));
}

function summaryOf(r: TraceRow, names: Map<string, string>): TraceSummary {
  return {
    id: r.id,
    traceId: r.traceId,
    modelId: r.modelId,
    // A deleted Model's traces stay readable; its id is all that is left to show.
    modelName: names.get(r.modelId) ?? r.modelId,
    timestamp: r.timestamp.toISOString(),
    outcome: traceSummarySchema.shape.outcome.parse(r.outcome),
    correctedBy: traceSummarySchema.shape.correctedBy.parse(r.correctedBy),
    messageCount: r.messageCount,
    toolsCalled: r.toolsCalled,
    createdAt: r.createdAt.toISOString(),
  };
}
