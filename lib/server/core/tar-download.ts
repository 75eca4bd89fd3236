/**
 * A tar archive of files on disk as a streamed download (an adapter, a kept checkpoint). Each
 * file is read in chunks into tar-stream's pack, and the pack is read only as fast as the client
 * takes the body, so memory holds a few chunks, never a whole file. Callers list the files (and
 * check them with `regularFile`) before any byte is sent: a refusal is still a JSON error then.
 */
import { constants } from "node:fs";
import { lstat, open } from "node:fs/promises";
import { pack as tarPack, type Pack } from "tar-stream";

export type TarFile = {
  /** The entry's name inside the archive (relative, "/"-separated). */
  name: string;
  /** Where it is read from. */
  path: string;
  /** Bytes the entry declares and carries: a file shorter than this fails the download. */
  bytes: number;
  mtime: Date;
};

const CHUNK = 256 * 1024;
const BLOCK = 512;
// A read never follows a symlink put in place after the listing checked the file.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

/** Size and mtime of a regular file; null when it is missing or anything else (a symlink too). */
export async function regularFile(p: string): Promise<{ bytes: number; mtime: Date } | null> {
  const s = await lstat(p).catch(() => null);
  return s?.isFile() ? { bytes: s.size, mtime: s.mtime } : null;
}

/**
 * The archive's exact length when every entry takes a plain ustar header (an ASCII name of at
 * most 100 bytes, as tar-stream writes it): a header block, the data padded to blocks, and two
 * zero blocks at the end. Otherwise null (tar-stream would add PAX records; no length is sent).
 */
export function tarLength(files: readonly Pick<TarFile, "name" | "bytes">[]): number | null {
  let total = 2 * BLOCK;
  for (const f of files) {
    if (!/^[\x20-\x7e]{1,100}$/.test(f.name)) return null;
    total += BLOCK + Math.ceil(f.bytes / BLOCK) * BLOCK;
  }
  return total;
}

/** A filename safe inside `Content-Disposition` on every platform: word characters, dot, dash. */
export function safeFilename(name: string): string {
  return name.replace(/[^\w.-]+/g, "_").replace(/^[._]+/, "") || "download";
}

/** The files as `application/x-tar`, an attachment named `filename` (already safe). */
export function tarResponse(files: readonly TarFile[], filename: string): Response {
  const pack = tarPack();
  // A failure reaches the client through the body (the reader below rejects with it); unheard,
  // the stream's "error" event would be an uncaught exception in the server.
  pack.on("error", () => undefined);
  // Failure mid-stream (a file shrank, a disk error) errors the body: the client sees a broken
  // download, never a tar that silently lacks bytes.
  void writeEntries(pack, files).catch((e: unknown) =>
    pack.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  const chunks = pack[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value as Uint8Array);
      },
      // The client went away: stop reading files.
      cancel() {
        pack.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  const length = tarLength(files);
  return new Response(body, {
    headers: {
      "content-type": "application/x-tar",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      ...(length === null ? {} : { "content-length": String(length) }),
    },
  });
}

async function writeEntries(pack: Pack, files: readonly TarFile[]): Promise<void> {
  for (const f of files) {
    let settle: (err?: Error | null) => void = () => undefined;
    const finished = new Promise<void>((ok, fail) => {
      settle = (err) => (err ? fail(err) : ok());
    });
    // Awaited below; marked handled now, since an error may settle it before that await.
    finished.catch(() => undefined);
    const sink = pack.entry(
      { name: f.name, size: f.bytes, mode: 0o644, mtime: f.mtime, type: "file" },
      (err) => settle(err),
    );
    // Its error also settles `finished` (and so destroys the pack): heard there, not here.
    sink.on("error", () => undefined);
    if (f.bytes > 0) {
      const handle = await open(f.path, READ_FLAGS);
      // The stream closes the handle when it ends or is destroyed.
      const file = handle.createReadStream({
        start: 0,
        end: f.bytes - 1,
        highWaterMark: CHUNK,
      });
      // Leaving the loop early (an error) destroys the read stream.
      for await (const chunk of file) {
        if (!sink.write(chunk)) await drained(sink);
      }
    }
    // tar-stream refuses an entry that got fewer bytes than its header declares ("Size mismatch").
    sink.end(undefined);
    await finished;
  }
  pack.finalize();
}

/** Resolves when the entry can take more, rejects when it was destroyed meanwhile. */
function drained(sink: ReturnType<Pack["entry"]>): Promise<void> {
  return new Promise((resolve, reject) => {
    if (sink.destroying || sink.destroyed) {
      reject(new Error("the tar entry was closed before its file was written"));
      return;
    }
    const off = () => {
      sink.off("drain", onDrain);
      sink.off("close", onClose);
    };
    const onDrain = () => {
      off();
      resolve();
    };
    const onClose = () => {
      off();
      reject(new Error("the tar entry was closed before its file was written"));
    };
    sink.on("drain", onDrain);
    sink.on("close", onClose);
  });
}
