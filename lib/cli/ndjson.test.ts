import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BatchRefusedError } from "./api";
import type { Context } from "./context";
import { CliError } from "./errors";
import { type Batch, inputLines, ndjsonBatches, pushBatches, splitLines } from "./ndjson";
import { Output } from "./output";

async function* linesOf(...lines: string[]) {
  yield* lines;
}

async function collect(it: AsyncIterable<Batch>): Promise<Batch[]> {
  const out: Batch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

const event = (i: number) => JSON.stringify({ id: `e${i}`, model: "m", outcome: "success" });

describe("ndjsonBatches", () => {
  it("cuts batches at the item limit and keeps each item's file line", async () => {
    const batches = await collect(
      ndjsonBatches(linesOf(event(1), "", event(2), "  ", event(3), event(4), event(5)), {
        maxItems: 2,
        maxBytes: 1 << 20,
      }),
    );
    expect(batches.map((b) => b.lines)).toEqual([[1, 3], [5, 6], [7]]);
    expect(batches[0]!.text).toBe(`${event(1)}\n${event(2)}\n`);
  });

  it("cuts batches at the byte limit, counting UTF-8 bytes and newlines", async () => {
    const line = JSON.stringify({ s: "é".repeat(20) }); // 20 two-byte characters
    const size = Buffer.byteLength(line) + 1;
    const batches = await collect(
      ndjsonBatches(linesOf(line, line, line), { maxItems: 100, maxBytes: size * 2 }),
    );
    expect(batches.map((b) => b.lines.length)).toEqual([2, 1]);
    for (const b of batches) {
      expect(b.bytes).toBe(Buffer.byteLength(b.text));
      expect(b.bytes).toBeLessThanOrEqual(size * 2);
    }
  });

  it("names a line that no request could carry", async () => {
    await expect(
      collect(ndjsonBatches(linesOf(event(1), "x".repeat(100)), { maxItems: 10, maxBytes: 64 })),
    ).rejects.toThrow(/line 2 is 101 B, more than one request may carry \(64 B\)/);
  });

  it("sends nothing for an empty input", async () => {
    expect(await collect(ndjsonBatches(linesOf("", " "), { maxItems: 10, maxBytes: 64 }))).toEqual(
      [],
    );
  });
});

describe("pushBatches", () => {
  const sink = { write: () => true };
  const ctx = { out: new Output(false, sink, sink) } as unknown as Context;

  it("adds up what every batch stored", async () => {
    const sent: string[] = [];
    const totals = await pushBatches(
      ctx,
      ndjsonBatches(linesOf(event(1), event(2), event(3)), { maxItems: 2, maxBytes: 1 << 20 }),
      async (text) => {
        sent.push(text);
        return { accepted: text.trim().split("\n").length, duplicates: 0 };
      },
      "events",
    );
    expect(sent).toHaveLength(2);
    expect(totals).toEqual({ accepted: 3, duplicates: 0, batches: 2, items: 3 });
  });

  it("reports a refused batch's errors by file line and stops there", async () => {
    let calls = 0;
    const push = pushBatches(
      ctx,
      ndjsonBatches(linesOf(event(1), event(2), "", event(3), event(4)), {
        maxItems: 2,
        maxBytes: 1 << 20,
      }),
      async () => {
        calls++;
        if (calls === 1) return { accepted: 2, duplicates: 0 };
        throw new BatchRefusedError(422, "invalid_batch", "1 of 2 events are invalid", [
          { index: 1, field: "timestamp", message: "expected an ISO 8601 time" },
        ]);
      },
      "events",
    );
    const error = await push.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    const e = error as CliError;
    expect(e.message).toBe(
      "the batch of lines 4-5 was refused: 1 of 2 events are invalid; the 2 events of the 1 batches before it were stored",
    );
    expect(e.details).toEqual(["line 5: timestamp: expected an ISO 8601 time"]);
    expect(e.exitCode).toBe(1);
    expect(calls).toBe(2);
  });
});

describe("reading lines", () => {
  async function all(it: AsyncIterable<string>): Promise<string[]> {
    const out: string[] = [];
    for await (const l of it) out.push(l);
    return out;
  }

  it("splits \\n and \\r\\n, keeps a last line without newline, and UTF-8 cut across chunks", async () => {
    const bytes = Buffer.from('{"a":"é"}\r\n\n{"b":2}');
    const cut = bytes.indexOf(0xa9); // the second byte of "é"
    async function* chunks() {
      yield bytes.subarray(0, cut);
      yield bytes.subarray(cut);
    }
    expect(await all(splitLines(chunks()))).toEqual(['{"a":"é"}', "", '{"b":2}']);
  });

  it("reads plain and gzip files, and names a file it cannot read", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "retune-cli-ndjson-"));
    try {
      await writeFile(path.join(dir, "e.ndjson"), "1\n2\n");
      await writeFile(path.join(dir, "e.ndjson.gz"), gzipSync("3\n4\n"));
      expect(await all(inputLines(path.join(dir, "e.ndjson")))).toEqual(["1", "2"]);
      expect(await all(inputLines(path.join(dir, "e.ndjson.gz")))).toEqual(["3", "4"]);
      const missing = path.join(dir, "missing.ndjson");
      const e = (await all(inputLines(missing)).catch((x: unknown) => x)) as CliError;
      expect([e.message, e.exitCode]).toEqual([`cannot read ${missing}: ENOENT`, 1]);
      await writeFile(path.join(dir, "bad.gz"), "not gzip");
      await expect(all(inputLines(path.join(dir, "bad.gz")))).rejects.toThrow(
        /cannot read .*bad\.gz: Z_DATA_ERROR/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
