/**
 * The artifact store: datasets, adapters and logs as files under ARTIFACT_DIR. Paths are always
 * generated here from ids and content hashes, never from user input (no traversal).
 * URIs look like `artifact:datasets/<team>/<sha256>.jsonl.gz`.
 */
import { createHash, randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { env } from "./env";
import { HttpError } from "./errors";

const SCHEME = "artifact:";

export function artifactRoot(): string {
  return path.resolve(env().ARTIFACT_DIR);
}

export function artifactPath(uri: string): string {
  if (!uri.startsWith(SCHEME)) throw new Error(`not an artifact URI: ${uri}`);
  const root = artifactRoot();
  const p = path.resolve(root, uri.slice(SCHEME.length));
  if (!p.startsWith(root + path.sep)) throw new Error(`artifact URI escapes the store: ${uri}`);
  return p;
}

export function artifactUri(key: string): string {
  return `${SCHEME}${key}`;
}

export type ReceivedFile = { tmpPath: string; sha256: string; size: number; head: Buffer };

/**
 * Streams a request body to a temporary file while hashing it, never buffering the whole body.
 * Over `maxBytes` is a 413; a broken or aborted stream leaves nothing behind.
 */
export async function receiveToTemp(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<ReceivedFile> {
  if (!body)
    throw new HttpError(
      400,
      "empty_body",
      "the request body is empty: send the JSONL file as the body",
    );
  const dir = path.join(artifactRoot(), "tmp");
  await mkdir(dir, { recursive: true });
  const tmpPath = path.join(dir, `${randomUUID()}.part`);
  const hash = createHash("sha256");
  let size = 0;
  const headParts: Buffer[] = [];
  let headBytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) {
        done(
          new HttpError(
            413,
            "too_large",
            `upload exceeds the ${maxBytes}-byte limit (DATASET_MAX_UPLOAD_BYTES)`,
          ),
        );
        return;
      }
      if (headBytes < 4096) {
        headParts.push(chunk.subarray(0, 4096 - headBytes));
        headBytes += Math.min(chunk.length, 4096 - headBytes);
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(body as WebReadableStream<Uint8Array>),
      meter,
      createWriteStream(tmpPath),
    );
  } catch (e) {
    await rm(tmpPath, { force: true });
    if (e instanceof HttpError) throw e;
    throw new HttpError(
      400,
      "upload_interrupted",
      `the upload was interrupted after ${size} bytes; nothing was stored`,
    );
  }
  return { tmpPath, sha256: hash.digest("hex"), size, head: Buffer.concat(headParts) };
}

/** Moves a temp file to its content-addressed key; identical content is stored once. */
export async function commitTemp(tmpPath: string, key: string): Promise<string> {
  const target = artifactPath(artifactUri(key));
  await mkdir(path.dirname(target), { recursive: true });
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (exists) await rm(tmpPath, { force: true });
  else await rename(tmpPath, target);
  return artifactUri(key);
}

export async function discardTemp(tmpPath: string): Promise<void> {
  await rm(tmpPath, { force: true });
}
