/**
 * "Add to a dataset" (POST /api/v1/datasets/{id}/versions/from-traces): a new version of a
 * dataset that holds its newest version's rows and then the chosen traces, one row each. Versions
 * are immutable, so adding is making the next version; it goes through the same hashing, size
 * limit and validation as an upload (uploadVersion), streamed, so a large dataset is never held
 * in memory. A trace whose row the newest version already holds is not added twice.
 */
import { PassThrough, Readable } from "node:stream";
import {
  appendTracesBodySchema,
  type AppendTracesAccepted,
  type AppendTracesBody,
} from "@/lib/schemas/dataset-from-traces";
import { uploadQuerySchema, type UploadQuery } from "@/lib/schemas/datasets";
import { discardTemp, receiveToTemp } from "@/lib/server/core/artifacts";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { conflict, HttpError, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { loadDataset, readablePath, uploadVersion } from "@/lib/server/datasets/datasets";
import { isTruncatedGzip, readLines } from "@/lib/server/datasets/jsonl-lines";
import type { DatasetVersion as VersionRow } from "@/lib/server/generated/prisma/client";
import { traceRowJson } from "./trace-rows";
import { readTraceBodies } from "./trace-store";

/** The requested traces in the caller's team, in the order asked; a missing one is a 404. */
async function loadTraces(p: Principal, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  const rows = await db().trace.findMany({
    where: { teamId: p.teamId, OR: [{ id: { in: unique } }, { traceId: { in: unique } }] },
  });
  return unique.map((ref) => {
    const row = rows.find((r) => r.id === ref) ?? rows.find((r) => r.traceId === ref);
    if (!row) throw notFound("trace", ref);
    return row;
  });
}

/** What the new version declares: the base's settings, provenance widened by the traces. */
function uploadQueryFor(base: VersionRow | null): UploadQuery {
  const provenance =
    !base || base.provenance === "PRODUCTION_TRACES"
      ? "production_traces"
      : base.provenance
        ? "mixed"
        : // The base never said where its rows came from: neither can the whole.
          undefined;
  return uploadQuerySchema.parse({
    format: base?.declaredFormat ?? "auto",
    ...(base ? { evalFraction: base.evalFraction } : {}),
    ...(provenance ? { provenance } : {}),
    ...(base?.baseModel ? { baseModel: base.baseModel } : {}),
  });
}

/** Writes to `out`, waiting when it is full; stops if the receiving side has gone. */
async function write(out: PassThrough, text: string) {
  if (out.destroyed) throw new Error("the new version's file stopped receiving");
  if (out.write(text)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off("drain", done);
      out.off("close", done);
      resolve();
    };
    out.once("drain", done);
    out.once("close", done);
  });
}

/**
 * The base's text lines as they are (blank lines and lines validation could not read — invalid
 * UTF-8, over-long — are left out: no row can be made of them), then each new row the base does
 * not already hold. Returns how many new rows the base already held.
 */
async function writeRows(
  out: PassThrough,
  base: VersionRow | null,
  rows: readonly string[],
): Promise<{ alreadyPresent: Set<string> }> {
  const wanted = new Set(rows);
  const alreadyPresent = new Set<string>();
  if (base) {
    const file = await readablePath(base);
    let buffered: string[] = [];
    const flush = async () => {
      if (!buffered.length) return;
      const chunk = buffered.join("");
      buffered = [];
      await write(out, chunk);
    };
    await readLines(
      file,
      (line) => {
        if (line.kind !== "text") return;
        if (wanted.has(line.text)) alreadyPresent.add(line.text);
        buffered.push(line.text, "\n");
      },
      {
        compressed: base.compressed,
        maxLineBytes: env().DATASET_MAX_LINE_BYTES,
        afterChunk: flush,
      },
    );
    await flush();
  }
  for (const row of wanted) if (!alreadyPresent.has(row)) await write(out, `${row}\n`);
  out.end();
  return { alreadyPresent };
}

export async function appendTracesToDataset(
  p: Principal,
  datasetId: string,
  input: AppendTracesBody,
): Promise<AppendTracesAccepted> {
  authorize(p, "resource.write");
  const body = appendTracesBodySchema.parse(input);
  const dataset = await loadDataset(p, datasetId);
  const traces = await loadTraces(p, body.traceIds);
  const base = await db().datasetVersion.findFirst({
    where: { datasetId: dataset.id },
    orderBy: { version: "desc" },
  });
  if (base?.status === "VALIDATING")
    throw conflict(
      `v${base.version} of this dataset is still being validated; add the traces once it has finished, so the new version builds on it`,
    );

  let bodies;
  try {
    bodies = await readTraceBodies(traces);
  } catch (e) {
    console.error("[traces] a trace body is unreadable", e);
    throw new HttpError(500, "trace_body_unreadable", "a trace's stored body cannot be read");
  }
  const rows = bodies.map(traceRowJson);

  const out = new PassThrough();
  const receiving = receiveToTemp(
    Readable.toWeb(out) as ReadableStream<Uint8Array>,
    env().DATASET_MAX_UPLOAD_BYTES,
  );
  const writing = writeRows(out, base, rows).catch((e: unknown) => {
    // Ends the receiving side too, which removes its temp file.
    out.destroy(e as Error);
    if (isTruncatedGzip(e))
      throw conflict(
        `v${base!.version}'s file ends before its gzip stream does, so its rows cannot be copied; upload the complete file as a new version first`,
      );
    throw e;
  });
  const [{ alreadyPresent }, tmp] = await Promise.all([writing, receiving]);
  const appended = new Set(rows).size - alreadyPresent.size;
  if (appended === 0) {
    await discardTemp(tmp.tmpPath);
    throw conflict(
      `v${base!.version} of ${dataset.name} already holds ${rows.length === 1 ? "this trace" : "these traces"}`,
    );
  }
  const created = await uploadVersion(
    p,
    dataset.id,
    { body: null, contentType: "application/x-ndjson", query: uploadQueryFor(base) },
    { tmp },
  );
  await recordAudit({
    ...actorOf(p),
    action: "dataset.add-traces",
    targetType: "dataset-version",
    targetId: created.id,
    metadata: {
      datasetId: dataset.id,
      baseVersion: base?.version ?? null,
      // The clients' trace ids, as the trace browser shows them (metadata holds scalars).
      traces: traces.map((t) => t.traceId).join(", "),
      appended,
    },
  });
  return {
    ...created,
    datasetId: dataset.id,
    baseVersion: base?.version ?? null,
    appended,
    alreadyPresent: alreadyPresent.size,
  };
}
