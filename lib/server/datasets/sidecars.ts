/**
 * Files written next to a validated version: the sorted line numbers that have errors (for
 * `download?valid=true` and cleaned versions) and a sparse line → byte-offset index (so paging
 * a multi-GB plain file seeks instead of scanning from the start).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { artifactPath, artifactUri } from "@/lib/server/core/artifacts";

export const INDEX_EVERY = 1024;

function dir(teamId: string, versionId: string) {
  return `datasets/${teamId}/versions/${versionId}`;
}

export async function writeSidecars(
  teamId: string,
  versionId: string,
  errorLines: Uint32Array,
  lineIndex: Float64Array,
): Promise<void> {
  const base = artifactPath(artifactUri(dir(teamId, versionId)));
  await mkdir(base, { recursive: true });
  await writeFile(
    path.join(base, "error-lines.u32"),
    Buffer.from(errorLines.buffer, errorLines.byteOffset, errorLines.byteLength),
  );
  await writeFile(
    path.join(base, "line-index.f64"),
    Buffer.from(lineIndex.buffer, lineIndex.byteOffset, lineIndex.byteLength),
  );
}

async function readTyped<T>(
  teamId: string,
  versionId: string,
  name: string,
  make: (b: ArrayBuffer) => T,
  empty: T,
): Promise<T> {
  const file = path.join(artifactPath(artifactUri(dir(teamId, versionId))), name);
  const buf = await readFile(file).catch(() => null);
  if (!buf) return empty;
  const copy = new ArrayBuffer(buf.length);
  new Uint8Array(copy).set(buf);
  return make(copy);
}

export function readErrorLines(teamId: string, versionId: string): Promise<Uint32Array> {
  return readTyped(
    teamId,
    versionId,
    "error-lines.u32",
    (b) => new Uint32Array(b),
    new Uint32Array(),
  );
}

/** Entry i is the byte offset of line i * INDEX_EVERY + 1. */
export function readLineIndex(teamId: string, versionId: string): Promise<Float64Array> {
  return readTyped(
    teamId,
    versionId,
    "line-index.f64",
    (b) => new Float64Array(b),
    new Float64Array(),
  );
}

/** Binary search in a sorted array. */
export function hasLine(sorted: Uint32Array, line: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === line) return true;
    if (v < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
