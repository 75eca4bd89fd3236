/**
 * TelemetryEvent's partitions (docs/architecture.md, "Telemetry, drift and re-tuning"). The
 * table is range-partitioned by `timestamp`, one partition per UTC day
 * (`TelemetryEvent_pYYYYMMDD`), plus a DEFAULT partition (`TelemetryEvent_default`) so an event
 * outside every day made so far is stored rather than refused. The migration
 * (prisma/migrations/20261204183000_telemetry_retention) creates the parent and the DEFAULT;
 * the worker's maintenance (./retention.ts) calls these to make days ahead, to move what landed
 * in the DEFAULT into its day, and to drop expired days whole.
 *
 * Timestamps are `timestamp(3)` holding UTC (Prisma's convention), so a day's bounds are plain
 * `'YYYY-MM-DD 00:00'` literals.
 */
import type pg from "pg";
import { sql } from "@/lib/server/core/db";

export const DAY_MS = 86_400_000;
export const PARENT = "TelemetryEvent";
export const DEFAULT_PARTITION = "TelemetryEvent_default";
const PREFIX = "TelemetryEvent_p";

/**
 * DDL on a partition locks the parent (DROP and the DEFAULT's re-check take ACCESS EXCLUSIVE),
 * and a lock request waits behind in-flight statements while every later ingest waits behind
 * it. A short lock_timeout bounds that stall; a step that times out is retried next tick.
 */
const LOCK_TIMEOUT = "2s";

/** Epoch ms of the UTC midnight at or before `ms`. */
export const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const partitionName = (day: number) => `${PREFIX}${isoDay(day).replaceAll("-", "")}`;
const bound = (ms: number) => `'${new Date(ms).toISOString().slice(0, 23).replace("T", " ")}'`;
const ident = (name: string) => `"${name}"`;

export type DayPartition = { name: string; day: number };

/** The day partitions that exist, oldest first (the DEFAULT is not listed). */
export async function listDayPartitions(c: pg.Pool | pg.PoolClient = sql()) {
  const { rows } = await c.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = '"${PARENT}"'::regclass`,
  );
  const out: DayPartition[] = [];
  for (const { name } of rows) {
    const m = /^TelemetryEvent_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (m) out.push({ name, day: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) });
  }
  return out.sort((a, b) => a.day - b.day);
}

async function inTransaction<T>(f: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await sql().connect();
  try {
    await c.query(`BEGIN`);
    await c.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    const out = await f(c);
    await c.query(`COMMIT`);
    return out;
  } catch (e) {
    await c.query(`ROLLBACK`).catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

/**
 * Makes the partition of `day` (UTC midnight, epoch ms), moving that day's rows out of the
 * DEFAULT in the same transaction (PostgreSQL refuses a partition whose range the DEFAULT
 * still holds rows of). Built as a plain table and ATTACHed: ATTACH takes only SHARE UPDATE
 * EXCLUSIVE on the parent, so ingest into the other days goes on. Returns the rows moved.
 */
export async function createDayPartition(day: number): Promise<number> {
  const name = partitionName(day);
  const [from, to] = [bound(day), bound(day + DAY_MS)];
  return inTransaction(async (c) => {
    // ATTACH re-checks the DEFAULT under this lock anyway; taking it first means no event of
    // this day can land in the DEFAULT between the move and the ATTACH.
    await c.query(`LOCK TABLE "${DEFAULT_PARTITION}" IN ACCESS EXCLUSIVE MODE`);
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${ident(name)}
         (LIKE "${PARENT}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    const moved = await c.query(
      `WITH moved AS (DELETE FROM "${DEFAULT_PARTITION}"
                       WHERE timestamp >= ${from} AND timestamp < ${to} RETURNING *)
       INSERT INTO ${ident(name)} SELECT * FROM moved`,
    );
    // The CHECK proves the range, so ATTACH skips scanning the new table for it.
    await c.query(
      `ALTER TABLE ${ident(name)} ADD CONSTRAINT ${ident(`${name}_range`)}
         CHECK (timestamp IS NOT NULL AND timestamp >= ${from} AND timestamp < ${to})`,
    );
    await c.query(
      `ALTER TABLE "${PARENT}" ATTACH PARTITION ${ident(name)} FOR VALUES FROM (${from}) TO (${to})`,
    );
    await c.query(`ALTER TABLE ${ident(name)} DROP CONSTRAINT ${ident(`${name}_range`)}`);
    return moved.rowCount ?? 0;
  });
}

/** Drops a day partition: its events are gone in one catalogue change, no row is deleted. */
export async function dropDayPartition(name: string): Promise<void> {
  if (!name.startsWith(PREFIX)) throw new Error(`${name} is not a TelemetryEvent day partition`);
  await inTransaction((c) => c.query(`DROP TABLE IF EXISTS ${ident(name)}`));
}

/** The UTC days (midnight, epoch ms) that have rows in the DEFAULT partition, oldest first. */
export async function defaultPartitionDays(): Promise<number[]> {
  const { rows } = await sql().query<{ day: string }>(
    `SELECT DISTINCT date_trunc('day', timestamp)::text AS day FROM "${DEFAULT_PARTITION}"
      ORDER BY 1`,
  );
  return rows.map((r) => Date.parse(`${r.day.replace(" ", "T")}Z`));
}

/** Deletes the DEFAULT's rows older than `before` (epoch ms); the DEFAULT stays small. */
export async function expireDefaultRows(before: number): Promise<number> {
  const r = await sql().query(
    `DELETE FROM "${DEFAULT_PARTITION}" WHERE timestamp < ${bound(before)}`,
  );
  return r.rowCount ?? 0;
}
