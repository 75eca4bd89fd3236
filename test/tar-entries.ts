/** Reading a streamed tar download back in tests: its chunks as they arrived, and its entries. */
import { createHash } from "node:crypto";
import { extract } from "tar-stream";

export type TarEntry = { name: string; size: number; type: string; sha256: string };

/** The body's chunks in arrival order (a body read whole would hide how it was streamed). */
export async function bodyChunks(res: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** Parses a tar with tar-stream (the library that wrote it), hashing each entry's bytes. */
export async function tarEntries(bytes: Uint8Array): Promise<TarEntry[]> {
  const ex = extract();
  const entries: TarEntry[] = [];
  const done = (async () => {
    for await (const entry of ex) {
      const hash = createHash("sha256");
      for await (const chunk of entry) hash.update(chunk as Uint8Array);
      entries.push({
        name: entry.header.name,
        size: entry.header.size,
        type: entry.header.type,
        sha256: hash.digest("hex"),
      });
    }
  })();
  ex.end(Buffer.from(bytes));
  await done;
  return entries;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
