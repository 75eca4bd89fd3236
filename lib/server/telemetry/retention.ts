/**
 * Telemetry retention, run by the worker's maintenance tick (workers/processors/outbox.ts;
 * docs/architecture.md, "Telemetry, drift and re-tuning"):
 *
 * - raw events: TelemetryEvent has one partition per UTC day (./partitions.ts), shared by all
 *   teams. A day is dropped whole once it is older than the LONGEST retention any team has;
 *   a team that keeps less has its own rows of the days in between deleted through the primary
 *   key (teamId leads it), a bounded number per tick. Why not a partition per team and day: it
 *   multiplies partitions by teams (planning and the catalogue grow with both), and most teams
 *   keep the default, so the deletes are the exception. `npm run bench:telemetry` measures a
 *   team's delete against a partition drop.
 * - rollups (TelemetryRollup, TelemetryDimRollup) are kept ROLLUP_RETENTION_DAYS (longer than
 *   any raw retention), so monitors and long summaries outlive the events they came from.
 * - traces: a team's trace files and their rows, by the team's raw retention (./trace-retention.ts).
 *
 * A team's retention of N days keeps today (UTC) and the N days before it.
 */
import { ROLLUP_RETENTION_DAYS, TELEMETRY_RETENTION_DAYS } from "@/lib/schemas/teams";
import { sql } from "@/lib/server/core/db";
import {
  createDayPartition,
  DAY_MS,
  dayStart,
  DEFAULT_PARTITION,
  defaultPartitionDays,
  dropDayPartition,
  expireDefaultRows,
  listDayPartitions,
} from "./partitions";
import { DIMS } from "./rollups";
import { expireTraces } from "./trace-retention";

/** Day partitions made ahead of today, so a day's first event never waits for DDL. */
export const PARTITIONS_AHEAD_DAYS = 7;
/** Days moved out of the DEFAULT partition per tick (a backlog, e.g. after the migration). */
const DEFAULT_DAYS_PER_TICK = 3;
/** A team's rows deleted per statement, and per tick over all teams: each tick stays short. */
const DELETE_CHUNK = 50_000;
const DELETE_BUDGET = 200_000;
/** Any constant serves; it keeps two workers' ticks from running the maintenance at once. */
const LOCK_KEY = 0x7e1e_3e7a;

export type RetentionReport = {
  /** False when another worker held the maintenance lock; nothing was done. */
  ran: boolean;
  created: string[];
  dropped: string[];
  movedFromDefault: number;
  expiredFromDefault: number;
  teamRowsDeleted: number;
  rollupsDeleted: number;
  traces: { rows: number; files: number };
  /** Work left for the next tick (a delete budget or the DEFAULT's backlog ran out). */
  more: boolean;
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ts = (ms: number) => new Date(ms).toISOString();

/** One tick of retention; `now` is for tests (epoch ms). */
export async function maintainTelemetry(opts: { now?: number } = {}): Promise<RetentionReport> {
  const report: RetentionReport = {
    ran: false,
    created: [],
    dropped: [],
    movedFromDefault: 0,
    expiredFromDefault: 0,
    teamRowsDeleted: 0,
    rollupsDeleted: 0,
    traces: { rows: 0, files: 0 },
    more: false,
  };
  const lock = await sql().connect();
  try {
    const { rows } = await lock.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [
      LOCK_KEY,
    ]);
    if (!rows[0]!.ok) return report;
    try {
      report.ran = true;
      await tick(opts.now ?? Date.now(), report);
    } finally {
      await lock.query(`SELECT pg_advisory_unlock($1)`, [LOCK_KEY]);
    }
  } finally {
    lock.release();
  }
  return report;
}

async function tick(now: number, report: RetentionReport) {
  const today = dayStart(now);
  const { rows: teams } = await sql().query<{ id: string; days: number }>(
    `SELECT id, "telemetryRetentionDays" AS days FROM "Team"`,
  );
  const longest = Math.max(TELEMETRY_RETENTION_DAYS.default, ...teams.map((t) => t.days));
  const keepFrom = today - longest * DAY_MS;

  // Days ahead (and yesterday, for late events), then the DEFAULT's stragglers into their days.
  const have = new Set((await listDayPartitions()).map((p) => p.day));
  const make = async (day: number) => {
    report.movedFromDefault += await createDayPartition(day);
    report.created.push(isoDay(day));
    have.add(day);
  };
  for (let day = today - DAY_MS; day <= today + PARTITIONS_AHEAD_DAYS * DAY_MS; day += DAY_MS) {
    if (!have.has(day)) await make(day);
  }
  report.expiredFromDefault = await expireDefaultRows(keepFrom);
  const stragglers = (await defaultPartitionDays()).filter((d) => !have.has(d));
  for (const day of stragglers.slice(0, DEFAULT_DAYS_PER_TICK)) await make(day);
  if (stragglers.length > DEFAULT_DAYS_PER_TICK) report.more = true;

  // Whole days past every team's retention.
  const partitions = await listDayPartitions();
  for (const p of partitions) {
    if (p.day >= keepFrom) continue;
    await dropDayPartition(p.name);
    report.dropped.push(isoDay(p.day));
  }

  // Teams that keep less than the longest: their rows of the days still kept for others.
  let budget = DELETE_BUDGET;
  for (const team of teams) {
    const teamFrom = today - team.days * DAY_MS;
    if (teamFrom <= keepFrom) continue;
    const days = partitions.filter((p) => p.day >= keepFrom && p.day < teamFrom);
    for (const p of [...days.map((d) => d.name), DEFAULT_PARTITION]) {
      const deleted = await deleteTeamRows(p, team.id, teamFrom, budget);
      report.teamRowsDeleted += deleted;
      budget -= deleted;
      if (budget <= 0) {
        report.more = true;
        break;
      }
    }
    if (budget <= 0) break;
  }

  report.rollupsDeleted = await expireRollups(today - ROLLUP_RETENTION_DAYS * DAY_MS);

  const traceCutoff = new Map(teams.map((t) => [t.id, isoDay(today - t.days * DAY_MS)]));
  report.traces = await expireTraces((teamId) => traceCutoff.get(teamId) ?? null);
}

/**
 * Deletes up to `limit` of a team's rows older than `before` from one partition, in chunks:
 * each chunk's row addresses come from the primary key (teamId leads it) and the DELETE reads
 * them by address (a TID scan). Exported for the bench, which measures it against a drop.
 */
export async function deleteTeamRows(
  partition: string,
  teamId: string,
  before: number,
  limit: number,
): Promise<number> {
  let deleted = 0;
  while (deleted < limit) {
    const r = await sql().query(
      `DELETE FROM "${partition}" WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM "${partition}" WHERE "teamId" = $1 AND timestamp < $2::timestamp
          LIMIT $3))`,
      [teamId, ts(before), Math.min(DELETE_CHUNK, limit - deleted)],
    );
    const n = r.rowCount ?? 0;
    deleted += n;
    if (n < DELETE_CHUNK) break;
  }
  return deleted;
}

/**
 * Rollup rows older than `before`. The primary keys lead with modelId, so the distinct Model
 * ids are walked through the index (a recursive CTE: PostgreSQL 15 has no skip scan) and each
 * Model's old minutes deleted by range, not by a scan of the whole table.
 */
async function expireRollups(before: number): Promise<number> {
  const models = `WITH RECURSIVE m AS (
      (SELECT "modelId" AS id FROM "TelemetryRollup" ORDER BY 1 LIMIT 1)
      UNION ALL
      SELECT (SELECT "modelId" FROM "TelemetryRollup" WHERE "modelId" > m.id ORDER BY 1 LIMIT 1)
        FROM m WHERE m.id IS NOT NULL)
    SELECT id FROM m WHERE id IS NOT NULL`;
  const dimModels = models.replaceAll('"TelemetryRollup"', '"TelemetryDimRollup"');
  const [a, b] = await Promise.all([
    sql().query(
      `DELETE FROM "TelemetryRollup" r USING (${models}) x
        WHERE r."modelId" = x.id AND r.minute < $1::timestamp`,
      [ts(before)],
    ),
    sql().query(
      `DELETE FROM "TelemetryDimRollup" r USING (${dimModels}) x
        WHERE r."modelId" = x.id AND r.dim = ANY($2::text[]) AND r.minute < $1::timestamp`,
      [ts(before), DIMS],
    ),
  ]);
  return (a.rowCount ?? 0) + (b.rowCount ?? 0);
}
