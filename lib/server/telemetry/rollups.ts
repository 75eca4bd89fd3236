/**
 * Reads of the per-minute telemetry rollups (TelemetryRollup, TelemetryDimRollup), which the
 * batched ingest keeps current. Monitors and the summary read only these, so their cost grows
 * with the window's minutes, not with the events in it. Plain SQL through the shared pool:
 * sums over thousands of rows are not what Prisma's query builder is for.
 */
import { ROLLUP_SUM_KEYS, type WindowTotals } from "@/lib/domain/telemetry-metrics";
import { sql } from "@/lib/server/core/db";

/** TelemetryDimRollup's dimensions (ingest.ts' dimRollupSelect writes exactly these). */
export const DIMS = ["tool", "intent", "latency"] as const;
export type Dim = (typeof DIMS)[number];

/** Timestamps are UTC in `timestamp` columns (Prisma's convention): pass ISO text, cast. */
const ts = (d: Date) => d.toISOString();

/** One sum per WindowTotals field, named as the field ("toolCalls" → sum("toolCalls")). */
const SUMS = ROLLUP_SUM_KEYS.map((k) => `sum("${k}") AS "${k}"`).join(", ");

/** A row of SUMS as numbers; sums over no rows are NULL, i.e. 0. */
function toTotals(r: Record<keyof WindowTotals, string | null>): WindowTotals {
  return Object.fromEntries(
    ROLLUP_SUM_KEYS.map((k) => [k, r[k] === null ? 0 : Number(r[k])]),
  ) as WindowTotals;
}

export async function readTotals(modelId: string, from: Date, to: Date): Promise<WindowTotals> {
  const { rows } = await sql().query<Record<keyof WindowTotals, string | null>>(
    `SELECT ${SUMS} FROM "TelemetryRollup"
      WHERE "modelId" = $1 AND minute >= $2::timestamp AND minute < $3::timestamp`,
    [modelId, ts(from), ts(to)],
  );
  return toTotals(rows[0]!);
}

/** `{ key: count }` of one dimension over [from, to). */
export async function readDim(
  modelId: string,
  dim: Dim,
  from: Date,
  to: Date,
): Promise<Map<string, number>> {
  const { rows } = await sql().query<{ key: string; count: string }>(
    `SELECT key, sum(count) AS count FROM "TelemetryDimRollup"
      WHERE "modelId" = $1 AND dim = $2 AND minute >= $3::timestamp AND minute < $4::timestamp
      GROUP BY key`,
    [modelId, dim, ts(from), ts(to)],
  );
  return new Map(rows.map((r) => [r.key, Number(r.count)]));
}

export function latencyBuckets(counts: Map<string, number>): Map<number, number> {
  return new Map([...counts].map(([k, v]) => [Number(k), v]));
}

const bucketOf = `floor(extract(epoch FROM minute) / $4) * $4 * 1000`;

/**
 * Totals per bucket of `bucketSeconds` over [from, to), keyed by bucket start (epoch ms), without
 * the latency histogram: a Model's live economics needs sums only. Buckets are aligned to the
 * epoch, so 86,400 s buckets are UTC days.
 */
export async function readTotalSeries(
  modelId: string,
  from: Date,
  to: Date,
  bucketSeconds: number,
): Promise<Map<number, WindowTotals>> {
  const { rows } = await sql().query<Record<keyof WindowTotals | "b", string | null>>(
    `SELECT ${bucketOf} AS b, ${SUMS} FROM "TelemetryRollup"
      WHERE "modelId" = $1 AND minute >= $2::timestamp AND minute < $3::timestamp
      GROUP BY 1`,
    [modelId, ts(from), ts(to), bucketSeconds],
  );
  return new Map(rows.map((r) => [Number(r.b), toTotals(r)]));
}

/** Totals per bucket of `bucketSeconds` over [from, to), keyed by bucket start (epoch ms). */
export async function readSeries(
  modelId: string,
  from: Date,
  to: Date,
  bucketSeconds: number,
): Promise<{ totals: Map<number, WindowTotals>; latency: Map<number, Map<number, number>> }> {
  const [totals, l] = await Promise.all([
    readTotalSeries(modelId, from, to, bucketSeconds),
    sql().query<{ b: string; key: string; count: string }>(
      `SELECT ${bucketOf} AS b, key, sum(count) AS count FROM "TelemetryDimRollup"
        WHERE "modelId" = $1 AND dim = 'latency' AND minute >= $2::timestamp AND minute < $3::timestamp
        GROUP BY 1, 2`,
      [modelId, ts(from), ts(to), bucketSeconds],
    ),
  ]);
  const latency = new Map<number, Map<number, number>>();
  for (const r of l.rows) {
    const b = Number(r.b);
    let m = latency.get(b);
    if (!m) latency.set(b, (m = new Map()));
    m.set(Number(r.key), Number(r.count));
  }
  return { totals, latency };
}
