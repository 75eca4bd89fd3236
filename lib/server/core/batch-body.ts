/**
 * Reads the body of a batch endpoint (telemetry, traces): JSON `{ <key>: [...] }` or NDJSON,
 * optionally gzip (Content-Encoding: gzip, or gzip bytes under any type), within a size limit
 * before and after decompression. Returns the items unparsed by schema; a line of NDJSON that
 * is not JSON becomes an error for that item's index, so the caller refuses the batch whole.
 */
import type { BatchError } from "@/lib/schemas/telemetry";
import { HttpError } from "./errors";
import { readBodyBytes } from "./body-bytes";
import { bodyTooLarge, jsonDepthExceeds, MAX_JSON_DEPTH, tooDeep } from "./json-body";

export type BatchBody = { items: unknown[]; errors: BatchError[] };

const NDJSON_TYPES = [
  "application/x-ndjson",
  "application/ndjson",
  "application/jsonl",
  "application/x-jsonlines",
];

const tooLarge = (max: number) =>
  new HttpError(
    413,
    "too_large",
    `${bodyTooLarge(max, "batch body").message}; send smaller batches`,
  );

export async function readBatchBody(
  req: Request,
  opts: {
    key: string;
    maxBytes: number;
    maxItems: number;
    allowSingle?: boolean;
    /**
     * The caller refuses, by schema, any item that is not a flat object of scalars (telemetry
     * events), so no item can carry deep nesting past validation and the depth scan, a pass
     * over every character of the batch, is skipped. V8's JSON.parse is iterative: deep text
     * does not overflow it, and its items fail the schema at their first level.
     */
    flatItems?: boolean;
  },
): Promise<BatchBody> {
  let buf: Buffer;
  try {
    buf = await readBodyBytes(req, opts.maxBytes, "batch body");
  } catch (e) {
    if (e instanceof HttpError && e.status === 413) throw tooLarge(opts.maxBytes);
    throw e;
  }
  const text = buf.toString("utf8").replace(/^\uFEFF/, "");
  if (!text.trim())
    throw new HttpError(400, "empty_body", `empty body: send { "${opts.key}": [...] } or NDJSON`);
  // One scan of the whole text also bounds each NDJSON line: no line nests deeper than the text.
  if (!opts.flatItems && jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw tooDeep(MAX_JSON_DEPTH, "batch body");
  const type = (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const body = NDJSON_TYPES.includes(type) ? parseNdjson(text) : parseJsonOrNdjson(text, opts);
  if (body.items.length > opts.maxItems) {
    throw new HttpError(
      413,
      "too_many_items",
      `${body.items.length} ${opts.key} in one batch; at most ${opts.maxItems}`,
    );
  }
  if (body.items.length === 0 && body.errors.length === 0)
    throw new HttpError(400, "empty_batch", `"${opts.key}" is empty: nothing to store`);
  return body;
}

function parseJsonOrNdjson(text: string, opts: { key: string; allowSingle?: boolean }): BatchBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // Several JSON values, one per line, without an NDJSON Content-Type: still NDJSON.
    if (text.trim().includes("\n")) return parseNdjson(text);
    throw new HttpError(400, "malformed_json", `body is not JSON: ${(e as Error).message}`);
  }
  if (Array.isArray(value)) return { items: value, errors: [] };
  if (value && typeof value === "object") {
    const list = (value as Record<string, unknown>)[opts.key];
    if (Array.isArray(list)) return { items: list, errors: [] };
    if (list !== undefined) throw new HttpError(422, "invalid", `"${opts.key}" must be an array`);
    if (opts.allowSingle) return { items: [value], errors: [] };
  }
  throw new HttpError(
    422,
    "invalid",
    `expected { "${opts.key}": [...] } or NDJSON (one JSON object per line)`,
  );
}

function parseNdjson(text: string): BatchBody {
  const items: unknown[] = [];
  const errors: BatchError[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      items.push(JSON.parse(line));
    } catch (e) {
      errors.push({
        index: items.length,
        field: "(line)",
        message: `line ${i + 1} is not JSON: ${(e as Error).message}`,
      });
      items.push(null);
    }
  }
  return { items, errors };
}
