/**
 * Checking a block of whole lines (raw bytes) for the parallel analyzer: split, decode and judge
 * every line with the same rules as readLines + analyzeFile. Runs in worker threads and, for its
 * share of the blocks, in the thread that reads the file.
 */
import { isUtf8 } from "node:buffer";
import { hashString } from "@/lib/domain/datasets/example-hash";
import { splitKey } from "@/lib/domain/datasets/split";
import type { DatasetStatsAccumulator } from "@/lib/domain/datasets/stats";
import type { Finding, InputFormat, Provenance } from "@/lib/schemas/datasets";
import { type lineChecker, readErrorFinding } from "./analysis";
import { lineBody } from "./jsonl-lines";

export type BlockInit = {
  declaredFormat: string;
  baseModel: string | null;
  provenance: Provenance | null;
  maxLineBytes: number;
};
/** `bytes` holds whole lines ending in \n (the file's last line may lack it). */
export type BlockMessage = { type: "block"; seq: number; bytes: Uint8Array; startLine: number };
export type BlockResult = {
  type: "result";
  seq: number;
  rows: number;
  blank: number;
  findings: Finding[];
  /** Valid rows, in line order: line numbers, hashes, detected formats. */
  validLines: number[];
  hashes: number[];
  detected: (InputFormat | null)[];
};

type Checker = Awaited<ReturnType<typeof lineChecker>>;

export function blockChecker(checker: Checker, stats: DatasetStatsAccumulator, init: BlockInit) {
  return function checkBlock(msg: Omit<BlockMessage, "type">): BlockResult {
    const out: BlockResult = {
      type: "result",
      seq: msg.seq,
      rows: 0,
      blank: 0,
      findings: [],
      validLines: [],
      hashes: [],
      detected: [],
    };
    const buf = Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength);
    let pos = 0;
    let lineNo = msg.startLine - 1;
    while (pos < buf.length) {
      let nl = buf.indexOf(10, pos);
      if (nl === -1) nl = buf.length;
      lineNo++;
      const pieceStart = pos;
      pos = nl + 1;
      // Same rules as readLines: an over-long line is reported unread; CR before LF and a BOM on
      // line 1 are dropped; whitespace-only lines are blank.
      if (nl - pieceStart > init.maxLineBytes) {
        out.rows++;
        out.findings.push(
          readErrorFinding({ kind: "too_long", line: lineNo, offset: 0, bytes: nl - pieceStart })!,
        );
        continue;
      }
      const body = lineBody(buf, pieceStart, nl, lineNo);
      if (!body) {
        out.blank++;
        continue;
      }
      out.rows++;
      if (!isUtf8(body)) {
        out.findings.push(
          readErrorFinding({ kind: "invalid_utf8", line: lineNo, offset: 0, bytes: body.length })!,
        );
        continue;
      }
      const checked = checker.checkText(body.toString("utf8"), lineNo);
      let clean = true;
      for (const f of checked.findings) {
        out.findings.push(f);
        if (f.severity === "error") clean = false;
      }
      const r = checked.result;
      if (!clean || !r?.example) continue;
      const hash = hashString(checked.text!);
      stats.add(r, splitKey(r.example), init.provenance);
      out.validLines.push(lineNo);
      out.hashes.push(hash);
      out.detected.push(r.detected);
    }
    return out;
  };
}
