/**
 * Reading request bodies within limits: bytes are counted while they stream, so a chunked body
 * (no Content-Length) is refused with 413 as soon as it passes the limit instead of being
 * buffered whole; JSON is checked for nesting depth before JSON.parse, whose recursion would
 * otherwise overflow the stack ("Maximum call stack size exceeded", a 500) on hostile input.
 */
import { HttpError } from "./errors";

/** JSON request bodies of /api/v1 and of the auth library's endpoints. */
export const MAX_JSON_BYTES = 1_000_000;
/**
 * Deeper than any request, tool schema or trace message retune takes, and far below where
 * V8's recursive JSON.parse runs out of stack (thousands of levels).
 */
export const MAX_JSON_DEPTH = 100;

const describeBytes = (n: number) =>
  n % 1_000_000 === 0 ? `${n / 1_000_000} MB` : n % 1_000 === 0 ? `${n / 1_000} kB` : `${n} B`;

export const bodyTooLarge = (maxBytes: number, what = "request body") =>
  new HttpError(
    413,
    "too_large",
    `${what} is over the limit of ${describeBytes(maxBytes)} (${maxBytes} bytes)`,
  );

/**
 * The body's bytes, at most `maxBytes`: a declared Content-Length over the limit is refused
 * before reading, and a streamed body is cancelled the moment it passes the limit, so at most
 * `maxBytes` plus one chunk is ever held.
 */
export async function readCapped(
  req: Request,
  maxBytes: number,
  what = "request body",
): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > maxBytes) {
    await req.body?.cancel().catch(() => {});
    throw bodyTooLarge(maxBytes, what);
  }
  if (!req.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw bodyTooLarge(maxBytes, what);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/**
 * How deep the JSON text nests, stopping as soon as it passes `maxDepth`: one pass over the
 * characters, skipping strings (a bracket inside a string does not nest), without recursion.
 * A string is skipped with indexOf to its closing quote (one not escaped by an odd run of
 * backslashes): most of a telemetry batch is strings, and indexOf scans them in native code
 * about twice as fast as a loop here. Malformed text is left to JSON.parse to describe.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return false; // unterminated string: JSON.parse says so
        let k = i - 1;
        while (text.charCodeAt(k) === 0x5c /* backslash */) k--;
        if ((i - 1 - k) % 2 === 0) break;
      }
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth--;
  }
  return false;
}

export const tooDeep = (maxDepth: number, what = "JSON body") =>
  new HttpError(
    422,
    "too_deep",
    `${what} nests objects and arrays more than ${maxDepth} levels deep; the limit is ${maxDepth}`,
  );

/** JSON.parse behind the depth limit; malformed JSON is a 400 that quotes the parser. */
export function parseJsonText(text: string, what = "request body"): unknown {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) throw tooDeep(MAX_JSON_DEPTH, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, "malformed_json", `${what} is not JSON: ${(e as Error).message}`);
  }
}

/** A JSON request body, streamed within MAX_JSON_BYTES and parsed within MAX_JSON_DEPTH. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = (await readCapped(req, MAX_JSON_BYTES, "JSON body")).toString("utf8");
  return text.trim() ? parseJsonText(text) : {};
}

/**
 * For handlers we do not write (Better Auth's): the same request with its body read within
 * `maxBytes` (and, when it is JSON, checked for depth), so the library never buffers more than
 * the limit. Returns a Response to send instead when the body is refused.
 */
export async function boundedRequest(
  req: Request,
  maxBytes = MAX_JSON_BYTES,
): Promise<Request | Response> {
  if (req.method === "GET" || req.method === "HEAD") return req;
  let body: Buffer;
  try {
    body = await readCapped(req, maxBytes);
    const type = (req.headers.get("content-type") ?? "").toLowerCase();
    if (type.includes("json") && jsonDepthExceeds(body.toString("utf8"), MAX_JSON_DEPTH))
      throw tooDeep(MAX_JSON_DEPTH);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return Response.json(
      { error: { code: e.code, message: e.message } },
      { status: e.status, headers: { "cache-control": "no-store" } },
    );
  }
  const headers = new Headers(req.headers);
  headers.delete("transfer-encoding");
  headers.set("content-length", String(body.byteLength));
  return new Request(req.url, {
    method: req.method,
    headers,
    body: body.byteLength ? new Uint8Array(body) : null,
    signal: req.signal,
  });
}
