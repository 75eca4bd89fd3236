/**
 * Trace retention: a trace's body lives in its ingest batch's file under
 * `traces/<teamId>/<yyyy-mm-dd>/` (./trace-store.ts), where the day is the day it was received.
 * A team's traces expire by that day, a whole day folder at a time: its index rows are deleted
 * first (a reader then finds no row rather than a row without its file), then the folder. Going
 * by the folder's day rather than each trace's own timestamp means a file is removed exactly
 * when every row pointing into it is.
 */
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { artifactRoot, artifactUri } from "@/lib/server/core/artifacts";
import { sql } from "@/lib/server/core/db";

const DAY_DIR = /^\d{4}-\d{2}-\d{2}$/;

async function dirs(p: string): Promise<string[]> {
  const entries = await readdir(p, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw e;
  });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/**
 * Removes, for each team, the trace day folders older than `cutoff(teamId)` (an ISO day,
 * `yyyy-mm-dd`; null keeps everything, e.g. for a folder whose team the caller does not know)
 * and their Trace rows. Returns the counts.
 */
export async function expireTraces(
  cutoff: (teamId: string) => string | null,
): Promise<{ rows: number; files: number }> {
  const root = path.join(artifactRoot(), "traces");
  let rows = 0;
  let files = 0;
  for (const teamId of await dirs(root)) {
    const before = cutoff(teamId);
    if (before === null) continue;
    for (const day of await dirs(path.join(root, teamId))) {
      if (!DAY_DIR.test(day) || day >= before) continue;
      const dir = path.join(root, teamId, day);
      const names = (await readdir(dir)).filter((n) => n.endsWith(".jsonl"));
      const uris = names.map((n) => artifactUri(`traces/${teamId}/${day}/${n}`));
      const r = await sql().query(
        `DELETE FROM "Trace" WHERE "teamId" = $1 AND "storageUri" = ANY($2::text[])`,
        [teamId, uris],
      );
      rows += r.rowCount ?? 0;
      await rm(dir, { recursive: true, force: true });
      files += names.length;
    }
  }
  return { rows, files };
}
