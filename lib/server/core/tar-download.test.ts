/**
 * The streamed tar on its own, no database: entries and the declared length (PAX names
 * included), and what happens when the disk disagrees with the listing — a file shorter than
 * declared or swapped for a symlink errors the body instead of ending a short archive, and a
 * client that goes away closes the file being read.
 */
import {
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bodyChunks, sha256, tarEntries } from "@/test/tar-entries";
import { regularFile, safeFilename, type TarFile, tarLength, tarResponse } from "./tar-download";

const dir = mkdtempSync(path.join(tmpdir(), "retune-tar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function file(name: string, body: Buffer | string): Promise<TarFile> {
  const p = path.join(dir, name);
  writeFileSync(p, body);
  return { name, path: p, ...(await regularFile(p))! };
}

/** Descriptors of this process open on `p` (Linux /proc). */
function openOn(p: string): number {
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === p;
    } catch {
      return false;
    }
  }).length;
}

describe("tarResponse", () => {
  it("writes every file as an entry, with a length when names fit ustar and PAX when not", async () => {
    const long = "n".repeat(120) + ".bin";
    const files = [
      await file("a.json", '{"a":1}'),
      await file("empty", ""),
      await file("block.bin", Buffer.alloc(1024, 7)),
    ];
    const res = tarResponse(files, "x.tar");
    const bytes = Buffer.concat(await bodyChunks(res));
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    expect(await tarEntries(bytes)).toEqual([
      { name: "a.json", size: 7, type: "file", sha256: sha256('{"a":1}') },
      { name: "empty", size: 0, type: "file", sha256: sha256("") },
      { name: "block.bin", size: 1024, type: "file", sha256: sha256(Buffer.alloc(1024, 7)) },
    ]);

    const withLong = [await file(long, "x")];
    expect(tarLength(withLong)).toBeNull();
    const res2 = tarResponse(withLong, "x.tar");
    expect(res2.headers.get("content-length")).toBeNull();
    expect((await tarEntries(Buffer.concat(await bodyChunks(res2)))).map((e) => e.name)).toEqual([
      long,
    ]);
  });

  it("errors the body when a file is shorter than declared or became a symlink", async () => {
    const short = await file("short.bin", "12345");
    await expect(bodyChunks(tarResponse([{ ...short, bytes: 9 }], "x.tar"))).rejects.toThrow(
      /Size mismatch/,
    );
    const target = await file("target.txt", "not to be read");
    const link = path.join(dir, "link.txt");
    symlinkSync(target.path, link);
    expect(await regularFile(link)).toBeNull();
    await expect(
      bodyChunks(tarResponse([{ ...target, name: "link.txt", path: link }], "x.tar")),
    ).rejects.toThrow(/ELOOP|symbolic link/);
  });

  it("closes the file it reads when the client cancels", async () => {
    const big = await file("big.bin", Buffer.alloc(8 * 1024 * 1024, 1));
    const reader = tarResponse([big], "x.tar").body!.getReader();
    await reader.read();
    await reader.read();
    expect(openOn(big.path)).toBe(1);
    await reader.cancel();
    for (let i = 0; i < 100 && openOn(big.path) > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(openOn(big.path)).toBe(0);
  });
});

describe("safeFilename", () => {
  it("keeps word characters, dots and dashes, and never starts hidden", () => {
    expect(safeFilename('tool caller/"v2"')).toBe("tool_caller_v2_");
    expect(safeFilename("../../etc")).toBe("etc");
    expect(safeFilename("…")).toBe("download");
  });
});
