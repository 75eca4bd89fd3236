/**
 * Trace bodies in the artifact store. One ingest batch is one JSONL file
 * (`traces/<teamId>/<yyyy-mm-dd>/<uuidv7>.jsonl`), one trace per line; each Trace index row keeps
 * its file, byte offset and length, so a trace is read back with one positioned read and a
 * retraining dataset with one open per file, never by scanning.
 */
import { randomUUID } from "node:crypto";
import { mkdir, open, rm } from "node:fs/promises";
import path from "node:path";
import { v7 as uuidv7 } from "uuid";
import { z } from "zod";
import { CORRECTORS, TRACE_OUTCOMES, traceMessageSchema } from "@/lib/schemas/traces";
import { artifactPath, artifactRoot, commitTemp } from "@/lib/server/core/artifacts";

/** One stored line: the posted trace, normalized (UTC timestamp, Model id, explicit nulls). */
export const storedTraceSchema = z.object({
  traceId: z.string(),
  timestamp: z.string(),
  /** The Model id (a name can be renamed; the id cannot). */
  model: z.string(),
  messages: z.array(traceMessageSchema),
  tools: z.array(z.unknown()).nullable(),
  outcome: z.enum(TRACE_OUTCOMES),
  correctedBy: z.enum(CORRECTORS).nullable(),
  /** Lines stored before corrections kept their original have none. */
  originalMessages: z.array(traceMessageSchema).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});
export type StoredTrace = z.infer<typeof storedTraceSchema>;

export type TraceLocation = { storageUri: string; offset: bigint; length: number };

/**
 * Writes the batch as one file, atomically (a temp file, fsynced, then renamed into place), so
 * a reader never sees a half-written file. Returns where each trace's line sits, in order.
 */
export async function writeTraceFile(
  teamId: string,
  traces: StoredTrace[],
  now = new Date(),
): Promise<TraceLocation[]> {
  const lines = traces.map((t) => Buffer.from(JSON.stringify(t), "utf8"));
  const locations: Omit<TraceLocation, "storageUri">[] = [];
  let offset = 0;
  for (const line of lines) {
    locations.push({ offset: BigInt(offset), length: line.length });
    offset += line.length + 1;
  }
  const body = Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")]));

  const tmpDir = path.join(artifactRoot(), "tmp");
  await mkdir(tmpDir, { recursive: true });
  const tmpPath = path.join(tmpDir, `${randomUUID()}.part`);
  try {
    const fh = await open(tmpPath, "wx");
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    await rm(tmpPath, { force: true });
    throw e;
  }
  const day = now.toISOString().slice(0, 10);
  const storageUri = await commitTemp(tmpPath, `traces/${teamId}/${day}/${uuidv7()}.jsonl`);
  return locations.map((l) => ({ storageUri, ...l }));
}

/** Removes a batch file that no index row points to (the insert failed or found only duplicates). */
export async function removeTraceFile(storageUri: string): Promise<void> {
  await rm(artifactPath(storageUri), { force: true });
}

/**
 * Reads the stored bodies of index rows, in the order given. Rows are grouped by file: each file
 * is opened once and its lines read by byte range, so building a dataset from thousands of
 * traces costs one open per ingest batch, not one per trace.
 */
export async function readTraceBodies(rows: readonly TraceLocation[]): Promise<StoredTrace[]> {
  const out = new Array<StoredTrace>(rows.length);
  const byFile = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const list = byFile.get(r.storageUri);
    if (list) list.push(i);
    else byFile.set(r.storageUri, [i]);
  });
  const files = [...byFile];
  let next = 0;
  const reader = async () => {
    while (next < files.length) {
      const [uri, indexes] = files[next++]!;
      await readFileRanges(uri, indexes, rows, out);
    }
  };
  await Promise.all(Array.from({ length: Math.min(FILES_AT_ONCE, files.length) }, reader));
  return out;
}

/** Enough files in flight to hide disk latency, few enough to stay far from the fd limit. */
const FILES_AT_ONCE = 8;

async function readFileRanges(
  uri: string,
  indexes: number[],
  rows: readonly TraceLocation[],
  out: StoredTrace[],
): Promise<void> {
  const fh = await open(artifactPath(uri), "r");
  try {
    // Ascending offsets read the file front to back, which the page cache likes.
    indexes.sort((a, b) => Number(rows[a]!.offset - rows[b]!.offset));
    for (const i of indexes) {
      const { offset, length } = rows[i]!;
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, Number(offset));
      if (bytesRead !== length)
        throw new Error(`${uri}: expected ${length} bytes at offset ${offset}, read ${bytesRead}`);
      out[i] = storedTraceSchema.parse(JSON.parse(buf.toString("utf8")));
    }
  } finally {
    await fh.close();
  }
}
