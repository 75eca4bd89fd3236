/**
 * Streams the lines of a stored JSONL file (plain or gzip) to a synchronous callback, without
 * holding more than one line in memory: BOM stripped, CRLF and LF both accepted, over-long lines
 * reported (and skipped) instead of buffered, invalid UTF-8 reported per line.
 */
import { createReadStream } from "node:fs";
import { isUtf8 } from "node:buffer";
import { createGunzip } from "node:zlib";

export const GZIP_MAGIC = [0x1f, 0x8b] as const;

export type Line =
  | { kind: "text"; line: number; text: string; offset: number }
  | { kind: "blank"; line: number; offset: number }
  | { kind: "invalid_utf8"; line: number; offset: number; bytes: number }
  | { kind: "too_long"; line: number; offset: number; bytes: number };

export type ReadLinesOptions = {
  compressed: boolean;
  maxLineBytes: number;
  /** Called with bytes of the stored file read so far (compressed bytes for gzip). */
  onProgress?: (storedBytesRead: number) => void;
  signal?: AbortSignal;
  /** Start mid-file (plain files only): the byte offset of a line start and that line's number. */
  start?: { offset: number; line: number };
  /** Awaited after each chunk: lets a consumer apply backpressure (e.g. a slow download). */
  afterChunk?: () => Promise<void>;
};

const LF = 0x0a;
const CR = 0x0d;

/** `onLine` may return false to stop reading early. Resolves with the last line number seen. */
export async function readLines(
  path: string,
  onLine: (l: Line) => boolean | void,
  opts: ReadLinesOptions,
): Promise<number> {
  if (opts.start && opts.compressed) throw new Error("cannot seek inside a gzip stream");
  const raw = createReadStream(path, { highWaterMark: 1 << 20, start: opts.start?.offset ?? 0 });
  let stored = 0;
  raw.on("data", (c) => {
    stored += c.length;
  });
  const source = opts.compressed ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  if (opts.compressed) raw.on("error", (e) => source.destroy(e));

  let lineNo = opts.start ? opts.start.line - 1 : 0;
  let offset = opts.start?.offset ?? 0; // uncompressed offset of the start of the current line
  let stop = false;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = false; // the current line already exceeded maxLineBytes: drop its bytes

  const deliver = (l: Line) => {
    if (onLine(l) === false) stop = true;
  };
  const emit = (buf: Buffer) => {
    lineNo++;
    const body = lineBody(buf, 0, buf.length, lineNo);
    if (!body) deliver({ kind: "blank", line: lineNo, offset });
    else if (!isUtf8(body))
      deliver({ kind: "invalid_utf8", line: lineNo, offset, bytes: body.length });
    else deliver({ kind: "text", line: lineNo, text: body.toString("utf8"), offset });
  };

  const finishLine = (tail: Buffer, consumed: number) => {
    if (overflow) {
      lineNo++;
      deliver({ kind: "too_long", line: lineNo, offset, bytes: pendingBytes + tail.length });
    } else if (pending.length) {
      pending.push(tail);
      emit(Buffer.concat(pending, pendingBytes + tail.length));
    } else {
      emit(tail);
    }
    offset += consumed;
    pending = [];
    pendingBytes = 0;
    overflow = false;
  };

  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error("aborted");
    let pos = 0;
    while (!stop) {
      const nl = chunk.indexOf(LF, pos);
      if (nl === -1) break;
      const piece = chunk.subarray(pos, nl);
      if (!overflow && pendingBytes + piece.length > opts.maxLineBytes) overflow = true;
      finishLine(piece, pendingBytes + piece.length + 1);
      pos = nl + 1;
    }
    if (stop) {
      raw.destroy();
      source.destroy();
      return lineNo;
    }
    if (pos < chunk.length) {
      const rest = chunk.subarray(pos);
      if (!overflow && pendingBytes + rest.length > opts.maxLineBytes) {
        overflow = true;
        pending = [];
      }
      if (!overflow) pending.push(Buffer.from(rest)); // copy: the stream may reuse its buffer
      pendingBytes += rest.length;
    }
    opts.onProgress?.(stored);
    if (opts.afterChunk) await opts.afterChunk();
  }
  if (pendingBytes > 0 || overflow) finishLine(Buffer.alloc(0), pendingBytes);
  opts.onProgress?.(stored);
  return lineNo;
}

/**
 * The bytes of one line between `start` and `end` (its \n excluded): a CR before the LF and a
 * BOM on line 1 dropped; null for a blank (empty or whitespace-only) line. The one definition of
 * a line's content, shared by readLines and the parallel analyzer's block checker.
 */
export function lineBody(buf: Buffer, start: number, end: number, lineNo: number): Buffer | null {
  if (end > start && buf[end - 1] === CR) end--;
  if (
    lineNo === 1 &&
    end - start >= 3 &&
    buf[start] === 0xef &&
    buf[start + 1] === 0xbb &&
    buf[start + 2] === 0xbf
  ) {
    start += 3;
  }
  const body = buf.subarray(start, end);
  return body.length === 0 || isBlank(body) ? null : body;
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== CR) return false;
  }
  return true;
}

/**
 * zlib's "unexpected end of file": the gzip stream stops before its end — half a file, or one
 * missing only its 8-byte trailer (CRC and length).
 */
export function isTruncatedGzip(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === "Z_BUF_ERROR";
}
