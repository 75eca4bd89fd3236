import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { type Line, readLines } from "./jsonl-lines";

const dir = mkdtempSync(path.join(tmpdir(), "jsonl-"));
function file(name: string, content: Buffer | string) {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function collect(
  p: string,
  compressed = false,
  maxLineBytes = 1 << 20,
  start?: { offset: number; line: number },
) {
  const out: Line[] = [];
  await readLines(p, (l) => void out.push(l), {
    compressed,
    maxLineBytes,
    ...(start ? { start } : {}),
  });
  return out;
}

describe("readLines", () => {
  it("strips a BOM, accepts CRLF, reports blank lines with their numbers", async () => {
    const lines = await collect(file("bom.jsonl", '\uFEFF{"a":1}\r\n\r\n  \n{"b":2}\r\n'));
    expect(lines.map((l) => [l.kind, l.line, l.kind === "text" ? l.text : ""])).toEqual([
      ["text", 1, '{"a":1}'],
      ["blank", 2, ""],
      ["blank", 3, ""],
      ["text", 4, '{"b":2}'],
    ]);
  });

  it("reads gzip and a last line without a newline", async () => {
    const lines = await collect(file("x.jsonl.gz", gzipSync('{"a":1}\n{"b":2}')), true);
    expect(lines.map((l) => l.kind === "text" && l.text)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("reports over-long lines without buffering them and carries on", async () => {
    const big = `{"x":"${"a".repeat(3_000_000)}"}`;
    const lines = await collect(file("long.jsonl", `{"a":1}\n${big}\n{"b":2}\n`), false, 1_000_000);
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ["text", 1],
      ["too_long", 2],
      ["text", 3],
    ]);
    expect(lines[1]).toMatchObject({ bytes: big.length });
  });

  it("flags invalid UTF-8 on its line", async () => {
    const bad = Buffer.concat([
      Buffer.from('{"a":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}\n{"ok":1}\n'),
    ]);
    const lines = await collect(file("bad.jsonl", bad));
    expect(lines.map((l) => [l.kind, l.line])).toEqual([
      ["invalid_utf8", 1],
      ["text", 2],
    ]);
  });

  it("starts at an offset with the right line numbers and stops early", async () => {
    const p = file("seek.jsonl", '{"a":1}\n{"b":2}\n{"c":3}\n');
    const lines = await collect(p, false, 1 << 20, { offset: 8, line: 2 });
    expect(lines.map((l) => [l.line, l.offset])).toEqual([
      [2, 8],
      [3, 16],
    ]);
    const seen: number[] = [];
    await readLines(p, (l) => (seen.push(l.line), false), { compressed: false, maxLineBytes: 100 });
    expect(seen).toEqual([1]);
  });
});
