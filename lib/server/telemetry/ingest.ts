/**
 * Production telemetry ingestion (POST /api/v1/telemetry, docs/architecture.md, "Telemetry, drift and re-tuning"). A batch is validated
 * whole — any invalid event refuses it with per-index errors and stores nothing — then stored by
 * ONE statement: the events go in as column arrays (a repeated event is stored once) and
 * data-modifying CTEs fold only the newly inserted rows into the per-minute rollups that
 * monitors and the summary read. One statement is one round trip and one commit, and the
 * rollups can never disagree with the events. npm run bench:telemetry measures it.
 *
 * Dedupe key: (teamId, eventId, timestamp). TelemetryEvent is partitioned by day on timestamp
 * (./partitions.ts), and PostgreSQL requires a partitioned table's unique constraints to hold
 * the partition key, so "an id is stored once per team" became "an id with its timestamp is
 * stored once per team". A client resending an event resends it whole, timestamp included;
 * the same id sent with a different timestamp is a different event and is stored.
 */
import { ROLLUP_SUM_KEYS } from "@/lib/domain/telemetry-metrics";
import { v7 as uuidv7 } from "uuid";
import type { z } from "zod";
import { LATENCY_GROWTH } from "@/lib/domain/latency-histogram";
import {
  type BatchError,
  TELEMETRY_MAX_BYTES,
  TELEMETRY_MAX_EVENTS,
  type TelemetryAccepted,
  type TelemetryEvent,
  telemetryEventSchema,
} from "@/lib/schemas/telemetry";
import { authorize } from "@/lib/server/core/authorize";
import { readBatchBody } from "@/lib/server/core/batch-body";
import { sql } from "@/lib/server/core/db";
import { fastAcceptor } from "@/lib/server/core/fast-accept";
import { HttpError } from "@/lib/server/core/errors";
import { accepted, json } from "@/lib/server/core/http";
import { batchRollups, type RollupInput } from "./batch-rollups";
import { resolveModelRefs } from "./model-refs";
import type { Principal } from "@/lib/server/core/principal";

/** A refused batch lists at most this many problems; the message says how many there were. */
export const MAX_LISTED_ERRORS = 100;
/** Clocks drift, but an event stamped more than a day ahead is a producer bug. */
const MAX_FUTURE_MS = 86_400_000;

/** 422 with the per-index errors at the top level, as the telemetry API promises. */
export class BatchRefusedError extends HttpError {
  constructor(
    message: string,
    readonly errors: BatchError[],
  ) {
    super(422, "invalid_batch", message);
  }
}

/**
 * The route's response for a refused batch: `{ error, errors }` (teamRoute's generic error body
 * has no room for `errors`). Anything else is rethrown to teamRoute.
 */
export function batchRefusedResponse(e: unknown): Response {
  if (!(e instanceof BatchRefusedError)) throw e;
  return json({ error: { code: e.code, message: e.message }, errors: e.errors }, e.status);
}

function refuse(errors: BatchError[], sent: number): never {
  errors.sort((a, b) => a.index - b.index);
  const bad = new Set(errors.map((e) => e.index)).size;
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const more =
    errors.length > listed.length
      ? ` (${errors.length} problems; first ${listed.length} listed)`
      : "";
  throw new BatchRefusedError(
    `${bad} of ${sent} events are invalid${more}; nothing was stored — fix them and resend the batch`,
    listed,
  );
}

/** One zod issue as a batch error: `field` is the event's property ("timestamp", "latencyMs"). */
function issueErrors(index: number, issues: readonly z.core.$ZodIssue[]): BatchError[] {
  return issues.map((i) => ({
    index,
    field:
      i.path.length > 0
        ? i.path.join(".")
        : i.code === "unrecognized_keys"
          ? i.keys.join(",")
          : "(event)",
    message: i.message,
  }));
}

/**
 * The schema compiled by ajv: a batch is a thousand events, and zod's parse was the largest
 * share of the route's CPU (about 2 ms a batch, against 0.25 ms). zod still decides every event
 * the fast path declines, and words its errors.
 */
const acceptEvent = fastAcceptor(telemetryEventSchema);

/**
 * The batch as columns, in the order of ingestSql's parameters. `model` indexes `modelIds` (a
 * batch names few Models; repeating a 36-character id per event would only grow the message),
 * `ms` is epoch milliseconds (Date.parse's reading of the timestamp, UTC by construction).
 */
type Columns = RollupInput & {
  eventId: string[];
  version: (number | null)[];
  feedback: (string | null)[];
};

/**
 * Validates the whole batch and returns it as columns, or throws BatchRefusedError listing every
 * problem found: schema, unknown model, unknown version, far-future timestamp.
 */
async function validate(teamId: string, items: unknown[], errors: BatchError[]): Promise<Columns> {
  const lineErrors = new Set(errors.map((e) => e.index));
  const n = items.length;
  const events: (TelemetryEvent | null)[] = new Array(n);
  const latest = Date.now() + MAX_FUTURE_MS;
  const ms: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (lineErrors.has(i)) {
      events[i] = null;
      continue;
    }
    const item = items[i];
    let event: TelemetryEvent;
    if (acceptEvent(item)) event = item;
    else {
      const r = telemetryEventSchema.safeParse(item);
      if (!r.success) {
        errors.push(...issueErrors(i, r.error.issues));
        events[i] = null;
        continue;
      }
      event = r.data;
    }
    ms[i] = Date.parse(event.timestamp);
    if (ms[i]! > latest) {
      errors.push({
        index: i,
        field: "timestamp",
        message: `${event.timestamp} is more than a day in the future; check the producer's clock`,
      });
    }
    events[i] = event;
  }

  // Every distinct model reference of the batch in one query (cached across batches).
  const refs = new Set<string>();
  for (const e of events) if (e) refs.add(e.model);
  const models = await resolveModelRefs(teamId, refs);
  const modelIds: string[] = [];
  const modelIndex = new Map<string, number>();
  const model: number[] = new Array(n);
  const versions = new Map<string, Set<number>>();
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!e) continue;
    const m = models.get(e.model);
    if (!m) {
      errors.push({
        index: i,
        field: "model",
        message: `no Model named or with id "${e.model}" in this team`,
      });
      continue;
    }
    let k = modelIndex.get(m.id);
    if (k === undefined) {
      modelIndex.set(m.id, (k = modelIds.length + 1)); // SQL arrays count from 1
      modelIds.push(m.id);
    }
    model[i] = k;
    if (e.version !== undefined) {
      let set = versions.get(m.id);
      if (!set) versions.set(m.id, (set = new Set()));
      set.add(e.version);
    }
  }
  const known = await knownVersions(teamId, versions);
  // Per Model index, its known version numbers: no key string built per event.
  const knownByModel = modelIds.map(
    (id) => new Set([...(versions.get(id) ?? [])].filter((v) => known.has(`${id}\u0000${v}`))),
  );
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (e?.version === undefined || model[i] === undefined) continue;
    if (!knownByModel[model[i]! - 1]!.has(e.version)) {
      errors.push({
        index: i,
        field: "version",
        message: `Model "${e.model}" has no version ${e.version}`,
      });
    }
  }
  if (errors.length > 0) refuse(errors, n);

  const c: Columns = {
    modelIds,
    eventId: new Array(n),
    model,
    version: new Array(n),
    ms,
    success: new Array(n),
    toolCallValid: new Array(n),
    escalated: new Array(n),
    latencyMs: new Array(n),
    costUsd: new Array(n),
    tool: new Array(n),
    intent: new Array(n),
    feedback: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    c.eventId[i] = e.id ?? uuidv7();
    c.version[i] = e.version ?? null;
    c.success[i] = e.outcome === "success";
    c.toolCallValid[i] = e.toolCallValid ?? null;
    c.escalated[i] = e.escalated ?? null;
    c.latencyMs[i] = e.latencyMs ?? null;
    c.costUsd[i] = e.costUsd ?? null;
    c.tool[i] = e.tool ?? null;
    c.intent[i] = e.intent ?? null;
    c.feedback[i] = e.feedback ?? null;
  }
  return c;
}

/**
 * Versions are never renumbered and live as long as their Model, so a pair seen once stays
 * valid; the cache spares the query for producers that post the same version all day.
 */
const VERSION_TTL_MS = 60_000;
const versionCache = new Map<string, number>();

async function knownVersions(
  teamId: string,
  wanted: Map<string, Set<number>>,
): Promise<Set<string>> {
  const known = new Set<string>();
  const ids: string[] = [];
  const nums: number[] = [];
  const now = Date.now();
  for (const [modelId, set] of wanted) {
    for (const v of set) {
      const key = `${modelId}\u0000${v}`;
      const at = versionCache.get(key);
      if (at !== undefined && now - at < VERSION_TTL_MS) known.add(key);
      else {
        ids.push(modelId);
        nums.push(v);
      }
    }
  }
  if (ids.length === 0) return known;
  const { rows } = await sql().query<{ modelId: string; version: number }>(
    `SELECT "modelId", version FROM "ModelVersion"
      WHERE "teamId" = $1 AND ("modelId", version) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
    [teamId, ids, nums],
  );
  if (versionCache.size > 10_000) versionCache.clear();
  for (const r of rows) {
    const key = `${r.modelId}\u0000${r.version}`;
    known.add(key);
    versionCache.set(key, now);
  }
  return known;
}

/**
 * The latency histogram bucket of lib/domain/latency-histogram (latencyBucket), in SQL:
 * floor(ln(ms + 1) / ln(GROWTH)). Both sides are IEEE doubles; the integration test checks
 * that they agree.
 */
export const latencyBucketSql = (col: string) =>
  `floor(ln(${col}::float8 + 1) / ln(${LATENCY_GROWTH}::float8))::int::text`;

/**
 * Per-minute sums over `src`, a relation with TelemetryEvent's columns: the rows of
 * TelemetryRollup. Ordered so concurrent upserts lock rows in one order (no deadlocks between
 * batches that share minutes); any fixed order serves, so the cheap, discriminating key comes
 * first, and text sorts under "C" (the database's libc collation, even C.UTF-8, would cost a
 * strcoll per comparison).
 */
export const rollupSelect = (src: string) => `
  SELECT "modelId" COLLATE "C" AS "modelId", date_trunc('minute', timestamp) AS minute,
         min("teamId") AS "teamId",
         count(*)::int AS samples,
         count(*) FILTER (WHERE NOT success)::int AS failures,
         count("toolCallValid")::int AS "toolCalls",
         count(*) FILTER (WHERE NOT "toolCallValid")::int AS "toolCallErrors",
         count(escalated)::int AS "escalationKnown",
         count(*) FILTER (WHERE escalated)::int AS escalations,
         count("latencyMs")::int AS "latencyCount",
         coalesce(sum("latencyMs"::float8), 0) AS "latencySumMs",
         count("costUsd")::int AS "costCount",
         coalesce(sum("costUsd"), 0) AS "costSumUsd",
         count("costUsd") FILTER (WHERE NOT escalated)::int AS "keptCostCount",
         coalesce(sum("costUsd") FILTER (WHERE NOT escalated), 0) AS "keptCostSumUsd",
         count("costUsd") FILTER (WHERE escalated)::int AS "escalatedCostCount",
         coalesce(sum("costUsd") FILTER (WHERE escalated), 0) AS "escalatedCostSumUsd"
    FROM ${src}
   GROUP BY 2, 1
   ORDER BY 2, 1`;

/**
 * Per-minute counts by tool, intent and latency bucket over `src`: TelemetryDimRollup's rows.
 * Three scans appended cost less than one scan unpivoted through a lateral VALUES.
 */
export const dimRollupSelect = (src: string) => `
  SELECT "modelId", dim, minute, key, count(*)::int AS count
    FROM (SELECT "modelId" COLLATE "C" AS "modelId", 'tool' COLLATE "C" AS dim,
                 date_trunc('minute', timestamp) AS minute, tool COLLATE "C" AS key
            FROM ${src} WHERE tool IS NOT NULL
          UNION ALL
          SELECT "modelId" COLLATE "C", 'intent' COLLATE "C", date_trunc('minute', timestamp),
                 intent COLLATE "C"
            FROM ${src} WHERE intent IS NOT NULL
          UNION ALL
          SELECT "modelId" COLLATE "C", 'latency' COLLATE "C", date_trunc('minute', timestamp),
                 ${latencyBucketSql('"latencyMs"')} COLLATE "C"
            FROM ${src} WHERE "latencyMs" IS NOT NULL) AS d
   GROUP BY 3, 2, 4, 1
   ORDER BY 3, 2, 4, 1`;

const ROLLUP_COLUMNS = ['"modelId"', "minute", '"teamId"', ...ROLLUP_SUM_KEYS.map((c) => `"${c}"`)];

/** Both rollup upserts (SQL-summed and API-summed) add into an existing row the same way. */
const ROLLUP_CONFLICT = `ON CONFLICT ("modelId", minute) DO UPDATE SET
  ${ROLLUP_SUM_KEYS.map((c) => `"${c}" = "TelemetryRollup"."${c}" + EXCLUDED."${c}"`).join(",\n  ")}`;
const DIM_CONFLICT = `ON CONFLICT ("modelId", dim, minute, key) DO UPDATE SET
  count = "TelemetryDimRollup".count + EXCLUDED.count`;

export const upsertRollupSql = (src: string) => `
  INSERT INTO "TelemetryRollup" (${ROLLUP_COLUMNS.join(", ")}) ${rollupSelect(src)}
  ${ROLLUP_CONFLICT}`;

export const upsertDimRollupSql = (src: string) => `
  INSERT INTO "TelemetryDimRollup" ("modelId", dim, minute, key, count) ${dimRollupSelect(src)}
  ${DIM_CONFLICT}`;

const EVENT_COLUMNS =
  '"eventId", "modelId", version, timestamp, success, "toolCallValid", escalated, "latencyMs", "costUsd", tool, intent, feedback';

/** The batch's events from parameters $1-$16 (see store), then `tail` (ORDER BY, ON CONFLICT, RETURNING). */
const insertEvents = (tail: string) => `
  INSERT INTO "TelemetryEvent" ("teamId", ${EVENT_COLUMNS})
  SELECT $1, "eventId", ($2::text[])[model], version,
         timestamp 'epoch' + ms * interval '1 millisecond', success, "toolCallValid", escalated,
         "latencyMs", "costUsd", ($3::text[])[tool], ($4::text[])[intent], feedback
    FROM ROWS FROM (
           json_array_elements_text($5::json), unnest($6::int[]), unnest($7::int[]),
           unnest($8::float8[]), unnest($9::bool[]), unnest($10::bool[]), unnest($11::bool[]),
           unnest($12::float8[]), unnest($13::float8[]), unnest($14::int[]), unnest($15::int[]),
           json_array_elements_text($16::json)
         ) AS t("eventId", model, version, ms, success, "toolCallValid", escalated, "latencyMs",
                "costUsd", tool, intent, feedback)
  ${tail}`;

/**
 * The batch in one statement, as columns that ROWS FROM zips back into rows. Free text arrives
 * as JSON arrays (JSON.stringify is native code, several times cheaper than pg's array-literal
 * encoding, and escapes any text correctly); numbers and booleans as array literals, which
 * PostgreSQL reads faster than JSON; Model ids, tools and intents as indexes into their distinct
 * values (a smaller message, less to parse). RETURNING yields only the rows this statement
 * inserted, so a repeated event (same id and timestamp) feeds no rollup. Each row is routed to
 * its day's partition; a conflict can only be within one partition, since the key holds the
 * timestamp. Timestamps: 'epoch' + epoch ms is exact and UTC,
 * as Prisma stores them.
 *
 * Lock order: the primary query reads `ins` to the end before the unreferenced rollup CTEs run,
 * so a statement takes all its event-row locks before any rollup-row lock, and rollup rows in
 * one order. Two batches can only deadlock by sending the same ids in opposite orders while both
 * are in flight. Sorting every batch's events to rule that out costs more than the rare rerun,
 * so only a rerun after a deadlock is sorted (`sorted`): sorted statements take event-row locks
 * in one order and cannot deadlock with each other, so each deadlock retires one unsorted peer.
 */
const ingestSql = (sorted: boolean) => `
WITH ins AS (
  ${insertEvents(`${sorted ? `ORDER BY "eventId" COLLATE "C"` : ""}
  ON CONFLICT DO NOTHING
  RETURNING "teamId", "modelId", timestamp, success, "toolCallValid", escalated, "latencyMs",
            "costUsd", tool, intent`)}
), rollup AS (${upsertRollupSql("ins")}
), dims AS (${upsertDimRollupSql("ins")}
)
SELECT count(*)::int AS inserted FROM ins`;

/**
 * The plain statement: the batch's rollup rows arrive summed (./batch-rollups.ts), since a plain
 * INSERT stores every event or fails whole. Parameters $17 onwards: the minute rows (Model index,
 * epoch-ms minute, then one array per ROLLUP_SUM_KEYS), then the dimension rows. The events are
 * still read to the end first (`SELECT count(*) FROM ins`), so the lock order is ingestSql's.
 */
const plainSql = () => {
  // Sums of milliseconds and dollars are float8 columns ("latencySumMs", "costSumUsd",
  // "keptCostSumUsd", …); every other sum is a count.
  const float = (k: string) => /Sum(Ms|Usd)$/.test(k);
  const sums = ROLLUP_SUM_KEYS.map(
    (k, i) => `unnest($${19 + i}::${float(k) ? "float8" : "int"}[])`,
  );
  const d = 19 + ROLLUP_SUM_KEYS.length;
  return `
WITH ins AS (
  ${insertEvents("RETURNING 1")}
), rollup AS (
  INSERT INTO "TelemetryRollup" (${ROLLUP_COLUMNS.join(", ")})
  SELECT ($2::text[])[model], timestamp 'epoch' + ms * interval '1 millisecond', $1,
         ${ROLLUP_SUM_KEYS.map((k) => `"${k}"`).join(", ")}
    FROM ROWS FROM (unnest($17::int[]), unnest($18::float8[]), ${sums.join(", ")})
         AS r(model, ms, ${ROLLUP_SUM_KEYS.map((k) => `"${k}"`).join(", ")})
  ${ROLLUP_CONFLICT}
), dims AS (
  INSERT INTO "TelemetryDimRollup" ("modelId", dim, minute, key, count)
  SELECT ($2::text[])[model], dim, timestamp 'epoch' + ms * interval '1 millisecond', key, count
    FROM ROWS FROM (unnest($${d}::int[]), json_array_elements_text($${d + 1}::json),
                    unnest($${d + 2}::float8[]), json_array_elements_text($${d + 3}::json),
                    unnest($${d + 4}::int[])) AS r(model, dim, ms, key, count)
  ${DIM_CONFLICT}
)
SELECT count(*)::int AS inserted FROM ins`;
};

/**
 * Most batches repeat no id, and a plain INSERT costs PostgreSQL ~20% less than ON CONFLICT DO
 * NOTHING (speculative insertion checks the index first and confirms each row in the WAL). So
 * a batch is tried plain; a unique violation aborts that statement whole (nothing stored) and
 * the batch is rerun with ON CONFLICT DO NOTHING, which skips the ids already stored and rolls
 * up, in SQL, only the rows it inserted.
 */
const PLAIN = { name: "telemetry-ingest-plain", text: plainSql() };
const DEDUP = { name: "telemetry-ingest-dedup", text: ingestSql(false) };
const SORTED = { name: "telemetry-ingest-sorted", text: ingestSql(true) };

/**
 * A PostgreSQL array literal of numbers or booleans: JSON's spelling of them, and of null,
 * is valid inside `{…}` (array_in reads NULL case-insensitively), and JSON.stringify is native.
 */
const literal = (values: (number | boolean | null)[]) => `{${JSON.stringify(values).slice(1, -1)}}`;

/** Booleans as `t`/`f`: array_in reads them, and the batch's three flag columns shrink by 60%. */
const flags = (values: (boolean | null)[]) =>
  `{${values.map((v) => (v === null ? "NULL" : v ? "t" : "f")).join(",")}}`;

/** Labels as 1-based indexes into their distinct values: a batch names few tools and intents. */
function dictionary(values: (string | null)[]): [string[], (number | null)[]] {
  const index = new Map<string, number>();
  const distinct: string[] = [];
  const refs = values.map((v) => {
    if (v === null) return null;
    let k = index.get(v);
    if (k === undefined) {
      index.set(v, (k = distinct.length + 1));
      distinct.push(v);
    }
    return k;
  });
  return [distinct, refs];
}

/**
 * A deadlock aborts one statement whole, so it is safe to rerun (sorted, see ingestSql). The
 * bound is for a server under pressure: a sorted rerun can still meet an unsorted newcomer.
 */
const DEADLOCK = "40P01";
const DEADLOCK_RERUNS = 5;
const UNIQUE_VIOLATION = "23505";

async function store(teamId: string, c: Columns): Promise<number> {
  const [tools, tool] = dictionary(c.tool);
  const [intents, intent] = dictionary(c.intent);
  const params = [
    teamId,
    c.modelIds,
    tools,
    intents,
    JSON.stringify(c.eventId),
    literal(c.model),
    literal(c.version),
    literal(c.ms),
    flags(c.success),
    flags(c.toolCallValid),
    flags(c.escalated),
    literal(c.latencyMs),
    literal(c.costUsd),
    literal(tool),
    literal(intent),
    JSON.stringify(c.feedback),
  ];
  const { minutes, dims } = batchRollups(c);
  const plainParams = [
    ...params,
    literal(minutes.model),
    literal(minutes.minute),
    ...minutes.sums.map(literal),
    literal(dims.model),
    JSON.stringify(dims.dim),
    literal(dims.minute),
    JSON.stringify(dims.key),
    literal(dims.count),
  ];
  let statement = PLAIN;
  for (let deadlocks = 0; ;) {
    try {
      // Named: each pooled connection parses and plans each statement once.
      const { rows } = await sql().query<{ inserted: number }>({
        ...statement,
        values: statement === PLAIN ? plainParams : params,
      });
      return rows[0]!.inserted;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === UNIQUE_VIOLATION && statement === PLAIN) statement = DEDUP;
      else if (code === DEADLOCK && ++deadlocks <= DEADLOCK_RERUNS) statement = SORTED;
      else throw e;
    }
  }
}

/** Validates and stores one batch; `{ accepted, duplicates }` or a 422 BatchRefusedError. */
export async function ingestTelemetry(p: Principal, req: Request): Promise<TelemetryAccepted> {
  authorize(p, "telemetry.write");
  const body = await readBatchBody(req, {
    key: "events",
    maxBytes: TELEMETRY_MAX_BYTES,
    maxItems: TELEMETRY_MAX_EVENTS,
    flatItems: true,
  });
  const columns = await validate(p.teamId, body.items, [...body.errors]);
  const inserted = await store(p.teamId, columns);
  return { accepted: inserted, duplicates: body.items.length - inserted };
}

/** POST /api/v1/telemetry's body: 202 `{ accepted, duplicates }`, or 422 `{ error, errors }`. */
export const telemetryBatchResponse = (p: Principal, req: Request) =>
  ingestTelemetry(p, req).then(accepted, batchRefusedResponse);

/**
 * Events already parsed by their producer's own decoder (OTLP spans mapped by otlp.ts): the same
 * validation and the same one-statement store as the route, minus reading a body. Throws
 * BatchRefusedError like the route; the OTLP caller checks each event first, so it does not.
 */
export async function ingestTelemetryEvents(
  p: Principal,
  events: unknown[],
): Promise<TelemetryAccepted> {
  authorize(p, "telemetry.write");
  if (events.length === 0) return { accepted: 0, duplicates: 0 };
  const columns = await validate(p.teamId, events, []);
  const inserted = await store(p.teamId, columns);
  return { accepted: inserted, duplicates: events.length - inserted };
}
