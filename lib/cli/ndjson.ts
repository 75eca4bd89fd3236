/**
 * `telemetry push` and `traces push`: NDJSON from a file or stdin, read line by line (a file of
 * any size streams through) and sent in batches within the API's limits — items per request and
 * bytes per request, both from lib/schemas — one after another. A batch the API refuses stops the
 * push: its errors are reported by file line, and the batches before it stay stored (resending
 * is safe for events with an `id`: the API counts them as duplicates).
 */
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import type { TelemetryAccepted } from "@/lib/schemas/telemetry";
import { BatchRefusedError } from "./api";
import type { Context } from "./context";
import { CliError, EXIT, fileError, usageError } from "./errors";
import { formatBytes, formatCount } from "./output";

export type Limits = { maxItems: number; maxBytes: number };

export type Batch = {
  /** The batch's lines joined by newlines (the request body). */
  text: string;
  /** The file line of each item, in order: the API's error `index` looks up here. */
  lines: number[];
  bytes: number;
};

/**
 * Groups non-blank lines into batches of at most `maxItems` items and `maxBytes` bytes (UTF-8,
 * newlines included). A single line over `maxBytes` can never be sent: an error naming it.
 */
export async function* ndjsonBatches(
  lines: AsyncIterable<string>,
  limits: Limits,
): AsyncGenerator<Batch> {
  let items: string[] = [];
  let numbers: number[] = [];
  let bytes = 0;
  let lineNo = 0;
  const flush = (): Batch => {
    const batch = { text: `${items.join("\n")}\n`, lines: numbers, bytes };
    items = [];
    numbers = [];
    bytes = 0;
    return batch;
  };
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (!line) continue;
    const size = Buffer.byteLength(line) + 1;
    if (size > limits.maxBytes)
      throw new CliError(
        `line ${lineNo} is ${formatBytes(size)}, more than one request may carry (${formatBytes(limits.maxBytes)})`,
        EXIT.error,
        "line_too_large",
      );
    if (items.length >= limits.maxItems || bytes + size > limits.maxBytes) yield flush();
    items.push(line);
    numbers.push(lineNo);
    bytes += size;
  }
  if (items.length) yield flush();
}

/** Lines of `file` (gzip when it ends in .gz), or of stdin for `-` or no file. */
export function inputLines(file: string | undefined): AsyncIterable<string> {
  if (!file || file === "-") {
    if (process.stdin.isTTY)
      throw usageError("give a file, or pipe NDJSON into stdin (… | retune telemetry push)");
    return splitLines(process.stdin);
  }
  return (async function* () {
    try {
      const source = createReadStream(file);
      // pipeline, not pipe: an error reading the file must reach the reader, not hang it.
      const input = /\.gz$/i.test(file) ? pipeline(source, createGunzip(), () => {}) : source;
      yield* splitLines(input);
    } catch (e) {
      throw e instanceof CliError ? e : fileError(file, e);
    }
  })();
}

/**
 * Lines of a byte stream (`\n` or `\r\n`), as UTF-8. Unlike readline, an error of the stream
 * ends the iteration with that error, and nothing is read before the first line is asked for.
 */
export async function* splitLines(stream: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of stream) {
    rest += typeof chunk === "string" ? chunk : decoder.write(chunk);
    const lines = rest.split("\n");
    rest = lines.pop()!;
    for (const line of lines) yield line.replace(/\r$/, "");
  }
  rest += decoder.end();
  if (rest) yield rest.replace(/\r$/, "");
}

export type PushTotals = TelemetryAccepted & { batches: number; items: number };

/** Sends every batch in order; the first refused one stops the push (see the header). */
export async function pushBatches(
  ctx: Context,
  batches: AsyncIterable<Batch>,
  send: (text: string) => Promise<TelemetryAccepted>,
  noun: string,
): Promise<PushTotals> {
  const totals: PushTotals = { accepted: 0, duplicates: 0, batches: 0, items: 0 };
  for await (const batch of batches) {
    const first = batch.lines[0]!;
    const last = batch.lines[batch.lines.length - 1]!;
    let result: TelemetryAccepted;
    try {
      result = await send(batch.text);
    } catch (e) {
      const stored =
        totals.batches > 0
          ? `; the ${formatCount(totals.accepted)} ${noun} of the ${totals.batches} batches before it were stored`
          : "; nothing was stored";
      if (e instanceof BatchRefusedError)
        throw new CliError(
          `the batch of lines ${first}-${last} was refused: ${e.message}${stored}`,
          EXIT.error,
          e.code,
          e.errors.map(
            (x) =>
              `line ${batch.lines[x.index] ?? "?"}: ${x.field ? `${x.field}: ` : ""}${x.message}`,
          ),
        );
      if (e instanceof CliError)
        throw new CliError(
          `${e.message} (lines ${first}-${last})${stored}`,
          e.exitCode,
          e.code,
          e.details,
        );
      throw e;
    }
    totals.batches++;
    totals.items += batch.lines.length;
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    ctx.out.info(
      `lines ${first}-${last}: ${formatCount(result.accepted)} ${noun} accepted${result.duplicates ? `, ${formatCount(result.duplicates)} duplicates` : ""}`,
    );
  }
  return totals;
}
