/** Reading a stored version back: preview pages with search, downloads, cleaned versions. */
import { createReadStream } from "node:fs";
import { PassThrough, Readable } from "node:stream";
import type { Finding, PreviewRow } from "@/lib/schemas/datasets";
import { reportSchema, type rowsQuerySchema } from "@/lib/schemas/datasets";
import type { z } from "zod";
import { splitOfExample } from "@/lib/domain/datasets/split";
import { discardTemp, receiveToTemp } from "@/lib/server/core/artifacts";
import { authorize } from "@/lib/server/core/authorize";
import { hasLine, INDEX_EVERY, readErrorLines, readLineIndex } from "./sidecars";
import { lineChecker } from "./analysis";
import { loadVersion, readablePath, uploadVersion } from "./datasets";
import { env } from "@/lib/server/core/env";
import { conflict, HttpError } from "@/lib/server/core/errors";
import { isTruncatedGzip, readLines } from "./jsonl-lines";
import type { Principal } from "@/lib/server/core/principal";

type RowsQuery = z.infer<typeof rowsQuerySchema>;
const SEARCH_SCAN_LIMIT = 500_000;

/**
 * A page of examples. `offset` counts non-blank lines; `line` jumps to a file line; `q` filters
 * by text (case-insensitive), scanning at most SEARCH_SCAN_LIMIT lines per request.
 */
export async function listRows(p: Principal, versionId: string, q: RowsQuery) {
  authorize(p, "team.read");
  const v = await loadVersion(p, versionId);
  const report = v.report ? reportSchema.safeParse(v.report) : null;
  const kept = new Map<number, Finding[]>();
  for (const f of report?.success ? report.data.findings : []) {
    if (f.line === null) continue;
    kept.set(f.line, [...(kept.get(f.line) ?? []), f]);
  }
  const checker = await lineChecker({ declaredFormat: v.declaredFormat, baseModel: v.baseModel });
  const needle = q.q?.toLowerCase();
  const rows: PreviewRow[] = [];
  let seen = 0; // non-blank lines passed, for offset paging
  let scanned = 0;
  let nextOffset: number | null = null;
  let nextLine: number | null = null;

  // Jumping to a line in a plain file seeks to the nearest indexed line first.
  let start: { offset: number; line: number } | undefined;
  if (q.line && !v.compressed) {
    const index = await readLineIndex(v.teamId, v.id);
    const slot = Math.min(Math.floor((q.line - 1) / INDEX_EVERY), index.length - 1);
    if (slot > 0) start = { offset: index[slot]!, line: slot * INDEX_EVERY + 1 };
  }

  const file = await readablePath(v);
  await readLines(
    file,
    (line) => {
      scanned++;
      if (line.kind === "blank") return;
      if (q.line && line.line < q.line) return;
      if (!q.line && seen++ < q.offset) return;
      if (scanned > SEARCH_SCAN_LIMIT && needle) {
        nextOffset = q.line ? null : seen - 1;
        nextLine = line.line;
        return false;
      }
      const text = line.kind === "text" ? line.text : "";
      if (needle && !text.toLowerCase().includes(needle)) return;
      if (rows.length === q.limit) {
        // `seen` counted this line too: the next page starts at it.
        nextOffset = q.line ? null : seen - 1;
        nextLine = line.line;
        return false;
      }
      const checked = checker.check(line);
      const findings = [...(checked?.findings ?? [])];
      for (const f of kept.get(line.line) ?? []) {
        if (!findings.some((x) => x.code === f.code)) findings.push(f);
      }
      let value: unknown = null;
      try {
        value = text ? JSON.parse(text) : null;
      } catch {
        value = null;
      }
      const clean = !findings.some((f) => f.severity === "error");
      rows.push({
        line: line.line,
        raw: text.length > 200_000 ? `${text.slice(0, 200_000)}…` : text,
        value: text.length > 2_000_000 ? null : value,
        split:
          clean && checked?.result?.example
            ? splitOfExample(checked.result.example, v.evalFraction)
            : null,
        findings,
      });
    },
    {
      compressed: v.compressed,
      maxLineBytes: env().DATASET_MAX_LINE_BYTES,
      ...(start ? { start } : {}),
    },
  ).catch(refuseUnreadable);
  return { rows, nextOffset, nextLine, scannedLines: scanned };
}

/** A Response streaming the stored file, or only its valid rows (normalised: no BOM, LF). */
export async function downloadVersion(
  p: Principal,
  versionId: string,
  validOnly: boolean,
): Promise<Response> {
  authorize(p, "team.read");
  const v = await loadVersion(p, versionId);
  const file = await readablePath(v);
  const name = `dataset-${v.datasetId}-v${v.version}${validOnly ? "-valid" : ""}.jsonl`;
  if (!validOnly) {
    const stream = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return new Response(stream, {
      headers: {
        "content-type": v.compressed ? "application/gzip" : "application/x-ndjson",
        "content-disposition": `attachment; filename="${name}${v.compressed ? ".gz" : ""}"`,
        "content-length": String(v.sizeBytes),
      },
    });
  }
  if (v.status === "VALIDATING")
    throw conflict("this version is still being validated; valid rows are known once it finishes");
  const out = new PassThrough();
  void streamValidRows(v, file, out).catch((e) => out.destroy(e as Error));
  return new Response(Readable.toWeb(out) as ReadableStream<Uint8Array>, {
    headers: {
      "content-type": "application/x-ndjson",
      "content-disposition": `attachment; filename="${name}"`,
    },
  });
}

async function streamValidRows(
  v: Awaited<ReturnType<typeof loadVersion>>,
  file: string,
  out: PassThrough,
): Promise<number> {
  const errors = await readErrorLines(v.teamId, v.id);
  let written = 0;
  let buffered: string[] = [];
  const flush = async () => {
    if (!buffered.length) return;
    const chunk = buffered.join("");
    buffered = [];
    if (!out.write(chunk)) await new Promise((r) => out.once("drain", r));
  };
  await readLines(
    file,
    (line) => {
      if (line.kind !== "text" || hasLine(errors, line.line)) return;
      buffered.push(line.text, "\n");
      written++;
    },
    { compressed: v.compressed, maxLineBytes: env().DATASET_MAX_LINE_BYTES, afterChunk: flush },
  );
  await flush();
  out.end();
  return written;
}

/**
 * A stored gzip stream that ends early (a version validated INVALID for it) cannot be read past
 * its cut: say so instead of failing with zlib's error as a 500.
 */
function refuseUnreadable(e: unknown): never {
  if (isTruncatedGzip(e))
    throw new HttpError(
      409,
      "truncated_gzip",
      "truncated gzip: this version's file ends before its gzip stream does, so it cannot be read past that point; upload the complete file as a new version",
    );
  throw e;
}

/** One action: a new version holding only the valid rows of an INVALID one, validated anew. */
export async function createCleanedVersion(p: Principal, versionId: string) {
  authorize(p, "resource.write");
  const v = await loadVersion(p, versionId);
  if (v.status !== "INVALID")
    throw conflict(`only an INVALID version can be cleaned; this one is ${v.status}`);
  // Swept INVALID because its validation gave up: there is no report to clean by.
  if (v.error)
    throw conflict(
      `this version's validation did not finish (${v.error}); upload the file again to validate it`,
    );
  const report = v.report ? reportSchema.safeParse(v.report) : null;
  if (report?.success && report.data.countsByCode.truncated_gzip)
    refuseUnreadable(Object.assign(new Error("truncated"), { code: "Z_BUF_ERROR" }));
  // The valid rows go through the same hashing, size check and temp file as an upload.
  const file = await readablePath(v);
  const out = new PassThrough();
  const receiving = receiveToTemp(
    Readable.toWeb(out) as ReadableStream<Uint8Array>,
    env().DATASET_MAX_UPLOAD_BYTES,
  );
  const rows = await streamValidRows(v, file, out);
  const tmp = await receiving;
  if (rows === 0) {
    await discardTemp(tmp.tmpPath);
    throw new HttpError(
      422,
      "no_valid_rows",
      "every row of this version has an error; there is nothing to keep",
    );
  }
  return uploadVersion(
    p,
    v.datasetId,
    {
      body: null,
      contentType: "application/x-ndjson",
      query: {
        format: v.declaredFormat as "auto",
        evalFraction: v.evalFraction,
        ...(v.provenance ? { provenance: v.provenance.toLowerCase() as "synthetic" } : {}),
        ...(v.baseModel ? { baseModel: v.baseModel } : {}),
      },
    },
    { parentVersionId: v.id, tmp },
  );
}
