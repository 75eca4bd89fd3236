/**
 * The checkpoints a job keeps: `checkpoint-<step>/` folders the trainer writes into the job's
 * output folder (docs/architecture.md, "Processes and stores"). The job page lists them and the
 * checkpoint download reads them through here, so a name is downloadable only if it is listed.
 * A trainer may run in a container a team chose: symlinks and anything but plain files and
 * folders are skipped, so nothing outside the job's folder is ever listed or read.
 */
import { lstat, readdir } from "node:fs/promises";
import path from "node:path";
import { regularFile, type TarFile } from "@/lib/server/core/tar-download";
import { outputDir } from "./paths";

/** What a checkpoint folder may be called: one path segment, no traversal. */
export const CHECKPOINT_NAME = /^checkpoint-[\w-]+$/;

/** Trainers write checkpoint-<step>/ with a flat or shallow layout; deeper is not walked. */
const MAX_DEPTH = 4;

export type KeptCheckpoint = { name: string; bytes: number };

/** The job's checkpoint folders with their files' total size, in step order. */
export async function keptCheckpoints(jobId: string): Promise<KeptCheckpoint[]> {
  const out = outputDir(jobId);
  const entries = await readdir(out, { withFileTypes: true }).catch(() => []);
  const kept: KeptCheckpoint[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !CHECKPOINT_NAME.test(e.name)) continue;
    const files = await filesUnder(path.join(out, e.name), e.name, 0);
    kept.push({ name: e.name, bytes: files.reduce((n, f) => n + f.bytes, 0) });
  }
  return kept.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/**
 * The files of one kept checkpoint, named `<checkpoint>/<path>` inside an archive; null when
 * the job keeps no such folder. `name` must already match CHECKPOINT_NAME.
 */
export async function checkpointFiles(jobId: string, name: string): Promise<TarFile[] | null> {
  if (!CHECKPOINT_NAME.test(name)) return null;
  const dir = path.join(outputDir(jobId), name);
  const s = await lstat(dir).catch(() => null);
  if (!s?.isDirectory()) return null;
  return filesUnder(dir, name, 0);
}

async function filesUnder(dir: string, prefix: string, depth: number): Promise<TarFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: TarFile[] = [];
  for (const e of entries) {
    const p = path.join(dir, e.name);
    const name = `${prefix}/${e.name}`;
    if (e.isDirectory() && depth < MAX_DEPTH) files.push(...(await filesUnder(p, name, depth + 1)));
    else if (e.isFile()) {
      const f = await regularFile(p);
      if (f) files.push({ name, path: p, ...f });
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
