/**
 * What telemetry occupies (GET /api/v1/telemetry/storage, the status page): rows and bytes of
 * the raw events (over their day partitions), the rollups and the traces (index rows and files),
 * and the oldest day each still holds. Partitions and the artifact store are shared by teams, so
 * the figures are the deployment's; the retention shown beside them is the caller's team's.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { ROLLUP_RETENTION_DAYS } from "@/lib/schemas/teams";
import type { TelemetryStorage } from "@/lib/schemas/telemetry";
import { artifactRoot } from "@/lib/server/core/artifacts";
import { authorize } from "@/lib/server/core/authorize";
import { db, sql } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { DEFAULT_PARTITION, PARENT } from "./partitions";

/** The status page polls; sizes move slowly and walking the trace folders is not free. */
const CACHE_MS = 30_000;
/** Below this heap size a never-analysed table is counted exactly; above, statistics only. */
const EXACT_BELOW_BYTES = 64 * 1024 * 1024;

type Relation = { name: string; est: number; bytes: number; heap: number };

/** Rows of a relation: PostgreSQL's estimate, or an exact count while it has none and is small. */
async function rowsOf(r: Relation): Promise<number> {
  if (r.est >= 0) return Math.round(r.est);
  if (r.heap > EXACT_BELOW_BYTES) return 0;
  const { rows } = await sql().query<{ n: number }>(
    `SELECT count(*)::float8 AS n FROM "${r.name}"`,
  );
  return rows[0]!.n;
}

const RELATION = `c.relname AS name, c.reltuples::float8 AS est,
  pg_total_relation_size(c.oid)::float8 AS bytes, pg_relation_size(c.oid)::float8 AS heap`;

async function relations(names: string[]): Promise<Relation[]> {
  const { rows } = await sql().query<Relation>(
    `SELECT ${RELATION} FROM pg_class c
      WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace`,
    [names],
  );
  return rows;
}

async function events(): Promise<TelemetryStorage["events"]> {
  const { rows: parts } = await sql().query<Relation>(
    `SELECT ${RELATION} FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = '"${PARENT}"'::regclass`,
  );
  let rows = 0;
  let bytes = 0;
  let defaultRows = 0;
  let oldest: string | null = null;
  for (const p of parts) {
    const n = await rowsOf(p);
    rows += n;
    bytes += p.bytes;
    if (p.name === DEFAULT_PARTITION) defaultRows = n;
    const m = /^TelemetryEvent_p(\d{4})(\d{2})(\d{2})$/.exec(p.name);
    const day = m ? `${m[1]}-${m[2]}-${m[3]}` : null;
    if (day && n > 0 && (oldest === null || day < oldest)) oldest = day;
  }
  if (defaultRows > 0) {
    const { rows: r } = await sql().query<{ day: string | null }>(
      `SELECT to_char(min(timestamp), 'YYYY-MM-DD') AS day FROM "${DEFAULT_PARTITION}"`,
    );
    const day = r[0]!.day;
    if (day && (oldest === null || day < oldest)) oldest = day;
  }
  return {
    rows,
    bytes,
    partitions: parts.filter((p) => p.name !== DEFAULT_PARTITION).length,
    defaultRows,
    oldestDay: oldest,
  };
}

async function rollups(): Promise<TelemetryStorage["rollups"]> {
  const rels = await relations(["TelemetryRollup", "TelemetryDimRollup"]);
  let rows = 0;
  for (const r of rels) rows += await rowsOf(r);
  // The oldest minute per Model through the primary key (modelId, minute), Models walked by a
  // recursive CTE: no scan of the table.
  const { rows: o } = await sql().query<{ day: string | null }>(
    `WITH RECURSIVE m AS (
       (SELECT "modelId" AS id FROM "TelemetryRollup" ORDER BY 1 LIMIT 1)
       UNION ALL
       SELECT (SELECT "modelId" FROM "TelemetryRollup" WHERE "modelId" > m.id ORDER BY 1 LIMIT 1)
         FROM m WHERE m.id IS NOT NULL)
     SELECT to_char(min(first.minute), 'YYYY-MM-DD') AS day
       FROM m, LATERAL (SELECT min(minute) AS minute FROM "TelemetryRollup"
                         WHERE "modelId" = m.id) first
      WHERE m.id IS NOT NULL`,
  );
  return { rows, bytes: rels.reduce((s, r) => s + r.bytes, 0), oldestDay: o[0]?.day ?? null };
}

async function traces(): Promise<TelemetryStorage["traces"]> {
  const [rel] = await relations(["Trace"]);
  const root = path.join(artifactRoot(), "traces");
  const list = (p: string) => readdir(p).catch(() => [] as string[]);
  let fileBytes = 0;
  let files = 0;
  let oldest: string | null = null;
  for (const team of await list(root)) {
    for (const day of await list(path.join(root, team))) {
      const names = await list(path.join(root, team, day));
      if (names.length > 0 && (oldest === null || day < oldest)) oldest = day;
      for (const n of names) {
        const s = await stat(path.join(root, team, day, n)).catch(() => null);
        if (s?.isFile()) {
          fileBytes += s.size;
          files += 1;
        }
      }
    }
  }
  return {
    rows: rel ? await rowsOf(rel) : 0,
    bytes: rel?.bytes ?? 0,
    fileBytes,
    files,
    oldestDay: oldest,
  };
}

let cached: { at: number; value: Omit<TelemetryStorage, "retention"> } | null = null;

export async function telemetryStorage(p: Principal): Promise<TelemetryStorage> {
  authorize(p, "team.read");
  const team = await db().team.findUniqueOrThrow({
    where: { id: p.teamId },
    select: { telemetryRetentionDays: true },
  });
  const now = Date.now();
  if (!cached || now - cached.at > CACHE_MS) {
    const [e, r, t] = await Promise.all([events(), rollups(), traces()]);
    cached = {
      at: now,
      value: { events: e, rollups: r, traces: t, measuredAt: new Date(now).toISOString() },
    };
  }
  return {
    ...cached.value,
    retention: { eventsDays: team.telemetryRetentionDays, rollupsDays: ROLLUP_RETENTION_DAYS },
  };
}
