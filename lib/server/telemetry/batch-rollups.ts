/**
 * A batch's rollup rows, summed here instead of in PostgreSQL. When every event of a batch is
 * inserted (ingest.ts' plain statement, which fails whole on any repeated id), the rows to fold
 * into TelemetryRollup and TelemetryDimRollup are known before the statement runs: summing
 * 1,000 events in a Map costs the API a fraction of a millisecond, while grouping the
 * statement's RETURNING rows cost PostgreSQL (the contended side on a small host) about a third
 * of the batch's database time (npm run bench:telemetry). A batch with repeated ids still
 * rolls up in SQL, from the rows actually inserted.
 *
 * Exactly what ingest.ts' rollupSelect / dimRollupSelect compute, so either path leaves the
 * same rollups (ingest.int.test.ts posts the same events both ways and compares):
 * - `latencyMs` is stored as REAL: it is rounded to float32 first (Math.fround is IEEE
 *   round-to-nearest, as PostgreSQL's float8 → float4 cast), then summed and bucketed;
 * - minutes are UTC epoch-minute floors, as date_trunc('minute') of a UTC timestamp;
 * - rows come sorted as the SQL sorts them (minute, then Model id; dims by minute, dim, key,
 *   Model id): concurrent upserts lock rollup rows in one order. JS compares UTF-16 code units
 *   and PostgreSQL's "C" collation UTF-8 bytes; they differ only between surrogates and
 *   U+E000–U+FFFF in a tool or intent name, and a deadlock from that is rerun (ingest.ts).
 */
import { latencyBucket } from "@/lib/domain/latency-histogram";
import { ROLLUP_SUM_KEYS } from "@/lib/domain/telemetry-metrics";

const MINUTE_MS = 60_000;

/** The event columns a rollup reads (ingest.ts' Columns; `model` is a 1-based index into modelIds). */
export type RollupInput = {
  modelIds: string[];
  model: number[];
  ms: number[];
  success: boolean[];
  toolCallValid: (boolean | null)[];
  escalated: (boolean | null)[];
  latencyMs: (number | null)[];
  costUsd: (number | null)[];
  tool: (string | null)[];
  intent: (string | null)[];
};

/** TelemetryRollup rows as columns; `sums[k][i]` is row i's value of ROLLUP_SUM_KEYS[k]. */
export type MinuteRows = { model: number[]; minute: number[]; sums: number[][] };
/** TelemetryDimRollup rows as columns. */
export type DimRows = {
  model: number[];
  dim: string[];
  minute: number[];
  key: string[];
  count: number[];
};

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const SUMS = ROLLUP_SUM_KEYS.length;
const K = Object.fromEntries(ROLLUP_SUM_KEYS.map((k, i) => [k, i])) as Record<
  (typeof ROLLUP_SUM_KEYS)[number],
  number
>;

/**
 * Keys are numbers, not strings: (minute offset, Model) packs into one integer, and a row's
 * dimension counts sit in an array indexed by label (a batch names few tools, intents and
 * latency buckets), so no string is built per event (string keys made this step cost as much as
 * zod's validation of the batch).
 */
export function batchRollups(c: RollupInput): { minutes: MinuteRows; dims: DimRows } {
  const n = c.ms.length;
  let first = Infinity;
  for (let i = 0; i < n; i++) first = Math.min(first, c.ms[i]!);
  const base = Math.floor(first / MINUTE_MS);
  const models = c.modelIds.length + 1;
  // Dimension labels (tool names, intents, latency buckets) as small integers.
  const labels: { dim: string; key: string }[] = [];
  const labelIds = new Map<string, number>();
  const label = (dim: string, key: string) => {
    const id = `${dim}\u0000${key}`;
    let k = labelIds.get(id);
    if (k === undefined) {
      labelIds.set(id, (k = labels.length));
      labels.push({ dim, key });
    }
    return k;
  };
  const toolIds = new Map<string, number>();
  const intentIds = new Map<string, number>();
  const bucketIds = new Map<number, number>();

  // minute offset * models + model → the row's sums and its counts by label
  const rows = new Map<number, { s: Float64Array; d: number[] }>();
  for (let i = 0; i < n; i++) {
    const model = c.model[i]!;
    const m = Math.floor(c.ms[i]! / MINUTE_MS) - base;
    const id = m * models + model;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { s: new Float64Array(SUMS), d: [] }));
    const { s, d } = row;
    s[K.samples]!++;
    if (!c.success[i]) s[K.failures]!++;
    const valid = c.toolCallValid[i];
    if (valid !== null && valid !== undefined) {
      s[K.toolCalls]!++;
      if (!valid) s[K.toolCallErrors]!++;
    }
    const esc = c.escalated[i];
    if (esc !== null && esc !== undefined) {
      s[K.escalationKnown]!++;
      if (esc) s[K.escalations]!++;
    }
    const lat = c.latencyMs[i];
    if (lat !== null && lat !== undefined) {
      const stored = Math.fround(lat);
      s[K.latencyCount]!++;
      s[K.latencySumMs]! += stored;
      const b = latencyBucket(stored);
      let lab = bucketIds.get(b);
      if (lab === undefined) bucketIds.set(b, (lab = label("latency", String(b))));
      d[lab] = (d[lab] ?? 0) + 1;
    }
    const cost = c.costUsd[i];
    if (cost !== null && cost !== undefined) {
      s[K.costCount]!++;
      s[K.costSumUsd]! += cost;
      if (esc === true) {
        s[K.escalatedCostCount]!++;
        s[K.escalatedCostSumUsd]! += cost;
      } else if (esc === false) {
        s[K.keptCostCount]!++;
        s[K.keptCostSumUsd]! += cost;
      }
    }
    const tool = c.tool[i];
    if (tool !== null && tool !== undefined) {
      let lab = toolIds.get(tool);
      if (lab === undefined) toolIds.set(tool, (lab = label("tool", tool)));
      d[lab] = (d[lab] ?? 0) + 1;
    }
    const intent = c.intent[i];
    if (intent !== null && intent !== undefined) {
      let lab = intentIds.get(intent);
      if (lab === undefined) intentIds.set(intent, (lab = label("intent", intent)));
      d[lab] = (d[lab] ?? 0) + 1;
    }
  }

  const modelId = (model: number) => c.modelIds[model - 1]!;
  const minuteRows = [...rows].map(([id, { s, d }]) => ({
    model: id % models,
    minute: (base + Math.floor(id / models)) * MINUTE_MS,
    s,
    d,
  }));
  minuteRows.sort((a, b) => a.minute - b.minute || cmp(modelId(a.model), modelId(b.model)));
  const dimRows: { model: number; minute: number; dim: string; key: string; count: number }[] = [];
  for (const r of minuteRows) {
    r.d.forEach((count, lab) => {
      if (count) dimRows.push({ model: r.model, minute: r.minute, ...labels[lab]!, count });
    });
  }
  dimRows.sort(
    (a, b) =>
      a.minute - b.minute ||
      cmp(a.dim, b.dim) ||
      cmp(a.key, b.key) ||
      cmp(modelId(a.model), modelId(b.model)),
  );
  return {
    minutes: {
      model: minuteRows.map((r) => r.model),
      minute: minuteRows.map((r) => r.minute),
      sums: ROLLUP_SUM_KEYS.map((_, k) => minuteRows.map((r) => r.s[k]!)),
    },
    dims: {
      model: dimRows.map((d) => d.model),
      dim: dimRows.map((d) => d.dim),
      minute: dimRows.map((d) => d.minute),
      key: dimRows.map((d) => d.key),
      count: dimRows.map((d) => d.count),
    },
  };
}
