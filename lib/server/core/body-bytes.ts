/**
 * A request body as bytes, gunzipped when it is gzip (Content-Encoding: gzip, or the gzip magic),
 * within `maxBytes` before and after decompression (413 naming the limit): the batch reader
 * (./batch-body.ts, JSON and NDJSON), OTLP protobuf and JSON, chat log imports. A
 * Content-Encoding other than gzip or identity is a 415.
 */
import { gunzipSync } from "node:zlib";
import { HttpError } from "./errors";
import { bodyTooLarge, readCapped } from "./json-body";

export async function readBodyBytes(req: Request, maxBytes: number, what: string): Promise<Buffer> {
  let buf = await readCapped(req, maxBytes, what);
  const encoding = (req.headers.get("content-encoding") ?? "").trim().toLowerCase();
  // 0x1f begins no JSON text and no protobuf message (as a tag it is field 3 with wire type 7,
  // which does not exist), so the magic alone is safe to trust.
  if (encoding === "gzip" || (buf[0] === 0x1f && buf[1] === 0x8b)) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: maxBytes });
    } catch (e) {
      if (e instanceof RangeError) throw bodyTooLarge(maxBytes, `${what} once gunzipped`);
      throw new HttpError(400, "invalid_gzip", `body is not valid gzip: ${(e as Error).message}`);
    }
  } else if (encoding && encoding !== "identity") {
    throw new HttpError(
      415,
      "unsupported_encoding",
      `Content-Encoding ${encoding} is not supported: send gzip or none`,
    );
  }
  return buf;
}
