/** Datasets and their immutable versions: create, list, upload (streamed), read. */
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { Readable } from "node:stream";
import type {
  CreateDatasetBody,
  Dataset,
  DatasetVersion,
  UploadQuery,
} from "@/lib/schemas/datasets";
import { reportSchema, statsSchema } from "@/lib/schemas/datasets";
import { listSearchQuerySchema, type ListSearchQuery } from "@/lib/schemas/search";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { artifactPath, commitTemp, discardTemp, receiveToTemp } from "@/lib/server/core/artifacts";
import { authorize } from "@/lib/server/core/authorize";
import { db, Prisma } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { conflict, HttpError, notFound } from "@/lib/server/core/errors";
import { containsText } from "@/lib/server/core/search";
import { dispatchSoon, enqueueInTx } from "@/lib/server/core/outbox";
import type { Principal } from "@/lib/server/core/principal";
import { bus, jobIdFor } from "@/lib/server/core/queues";
import { detectWideEncoding, wideEncodingMessage } from "@/lib/domain/datasets/text-encoding";
import { GZIP_MAGIC, isTruncatedGzip } from "./jsonl-lines";
import type {
  DatasetVersion as VersionRow,
  Dataset as DatasetRow,
} from "@/lib/server/generated/prisma/client";

const ACCEPTED_TYPES = [
  "application/x-ndjson",
  "application/jsonl",
  "application/json",
  "application/gzip",
  "application/x-gzip",
  "application/octet-stream",
  "text/plain",
];

export function toVersion(v: VersionRow): DatasetVersion {
  const stats = v.stats ? statsSchema.safeParse(v.stats) : null;
  const report = v.report ? reportSchema.safeParse(v.report) : null;
  return {
    id: v.id,
    datasetId: v.datasetId,
    version: v.version,
    status: v.status,
    contentHash: v.contentHash,
    sizeBytes: Number(v.sizeBytes),
    processedBytes: Number(v.processedBytes),
    format: (v.format?.toLowerCase() as DatasetVersion["format"]) ?? null,
    provenance: (v.provenance?.toLowerCase() as DatasetVersion["provenance"]) ?? null,
    evalFraction: v.evalFraction,
    baseModel: v.baseModel,
    parentVersionId: v.parentVersionId,
    stats: stats?.success ? stats.data : null,
    report: report?.success ? report.data : null,
    error: v.error,
    createdAt: v.createdAt.toISOString(),
  };
}

function toDataset(
  d: DatasetRow & { versions: VersionRow[]; _count: { versions: number } },
): Dataset {
  const latest = d.versions[0];
  const summary = latest ? toVersion(latest) : null;
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    createdAt: d.createdAt.toISOString(),
    latestVersion: summary ? (({ stats: _s, report: _r, ...rest }) => rest)(summary) : null,
    versionCount: d._count.versions,
  };
}

const withLatest = {
  versions: { orderBy: { version: "desc" as const }, take: 1 },
  _count: { select: { versions: true } },
};

export async function createDataset(p: Principal, body: CreateDatasetBody): Promise<Dataset> {
  authorize(p, "resource.write");
  try {
    const d = await db().$transaction(async (tx) => {
      const row = await tx.dataset.create({
        data: { teamId: p.teamId, name: body.name, description: body.description ?? null },
        include: withLatest,
      });
      await recordAudit(
        {
          ...actorOf(p),
          action: "dataset.create",
          targetType: "dataset",
          targetId: row.id,
          metadata: { name: body.name },
        },
        tx,
      );
      return row;
    });
    return toDataset(d);
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw conflict(`a dataset named "${body.name}" already exists in this team`);
    }
    throw e;
  }
}

/** The team's datasets, newest first; `q` matches a substring of the name or description. */
export async function listDatasets(p: Principal, query: ListSearchQuery = {}): Promise<Dataset[]> {
  authorize(p, "team.read");
  const { q } = listSearchQuerySchema.parse(query);
  const rows = await db().dataset.findMany({
    where: {
      teamId: p.teamId,
      ...(q ? { OR: [{ name: containsText(q) }, { description: containsText(q) }] } : {}),
    },
    include: withLatest,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toDataset);
}

export async function loadDataset(p: Principal, id: string) {
  const d = await db().dataset.findFirst({ where: { id, teamId: p.teamId }, include: withLatest });
  if (!d) throw notFound("dataset", id);
  return d;
}

export async function getDataset(
  p: Principal,
  id: string,
): Promise<Dataset & { versions: DatasetVersion[] }> {
  authorize(p, "team.read");
  const d = await loadDataset(p, id);
  const versions = await db().datasetVersion.findMany({
    where: { datasetId: d.id },
    orderBy: { version: "desc" },
  });
  return { ...toDataset(d), versions: versions.map((v) => ({ ...toVersion(v), report: null })) };
}

/**
 * `GET /datasets/{id}/versions`: the dataset's versions, newest first; each report is left to
 * `GET /dataset-versions/{id}` (findings can be long), as in `GET /datasets/{id}`.
 */
export async function listVersions(p: Principal, datasetId: string): Promise<DatasetVersion[]> {
  authorize(p, "team.read");
  const d = await loadDataset(p, datasetId);
  const versions = await db().datasetVersion.findMany({
    where: { datasetId: d.id, teamId: p.teamId },
    orderBy: { version: "desc" },
  });
  return versions.map((v) => ({ ...toVersion(v), report: null }));
}

/**
 * READY versions never change (a version is immutable once validated, and versions are never
 * deleted), so launches and evaluations — which read the same version again and again — take
 * them from memory. Bounded; VALIDATING/INVALID rows are always read fresh.
 */
const readyVersions = new Map<string, VersionRow>();
const READY_CACHE_MAX = 2_000;

export async function loadVersion(p: Principal, id: string): Promise<VersionRow> {
  const cached = readyVersions.get(id);
  if (cached) {
    if (cached.teamId !== p.teamId) throw notFound("dataset version", id);
    return cached;
  }
  const v = await db().datasetVersion.findFirst({ where: { id, teamId: p.teamId } });
  if (!v) throw notFound("dataset version", id);
  rememberIfReady(v);
  return v;
}

/** The same cache for server-side readers that are not acting for a principal (workers). */
export async function loadVersionById(id: string): Promise<VersionRow> {
  const cached = readyVersions.get(id);
  if (cached) return cached;
  const v = await db().datasetVersion.findUniqueOrThrow({ where: { id } });
  rememberIfReady(v);
  return v;
}

function rememberIfReady(v: VersionRow) {
  if (v.status !== "READY") return;
  if (readyVersions.size >= READY_CACHE_MAX) readyVersions.clear();
  readyVersions.set(v.id, v);
}

export async function getVersion(p: Principal, id: string): Promise<DatasetVersion> {
  authorize(p, "team.read");
  return toVersion(await loadVersion(p, id));
}

/**
 * The first non-whitespace bytes of the (decompressed) content, to refuse non-JSONL early. A gzip
 * body is inflated to its end here: a stream cut short (half a file, or one missing only its
 * 8-byte trailer) is refused now, with the reason, instead of being stored and failing every
 * validation attempt later (issue 14).
 */
async function sniff(tmpPath: string, compressed: boolean): Promise<string> {
  if (!compressed) {
    const fh = await open(tmpPath);
    try {
      const buf = Buffer.alloc(65_536);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      return buf.subarray(0, bytesRead).toString("utf8");
    } finally {
      await fh.close();
    }
  }
  const { createReadStream } = await import("node:fs");
  const gunzip = createReadStream(tmpPath).pipe(createGunzip());
  let text = "";
  try {
    for await (const chunk of Readable.from(gunzip)) {
      if (text.trim().length === 0 && text.length <= 65_536)
        text += (chunk as Buffer).toString("utf8");
    }
  } catch (e) {
    throw gzipRefusal(e);
  } finally {
    gunzip.destroy();
  }
  return text;
}

/** zlib's failure as a 422 that says what is wrong with the upload. */
function gzipRefusal(e: unknown): HttpError {
  if (isTruncatedGzip(e))
    return new HttpError(
      422,
      "truncated_gzip",
      "truncated gzip: the body ends before its gzip stream does (an interrupted upload or copy, or a missing trailer); upload the complete file",
    );
  return new HttpError(422, "invalid_gzip", `the body is not valid gzip: ${(e as Error).message}`);
}

/**
 * The earlier version of the same bytes an upload returns instead of a new one: READY, INVALID by
 * its content (the same bytes give the same report), or VALIDATING with its job still alive. One
 * whose validation failed for good (an infrastructure failure, `error` set, or a validation job
 * that gave up and awaits the reconciler's sweep) is never returned: the upload makes a new
 * version, so the user can retry (issue 14).
 */
async function reusableVersion(datasetId: string, contentHash: string) {
  const candidates = await db().datasetVersion.findMany({
    where: { datasetId, contentHash, error: null },
    orderBy: { version: "desc" },
    take: 5,
  });
  for (const v of candidates) {
    if (v.status !== "VALIDATING") return v;
    const job = await db().outbox.findUnique({
      where: { jobId: validationJobId(v.id) },
      select: { status: true },
    });
    if (job && job.status !== "FAILED") return v;
  }
  return null;
}

export type UploadInput = {
  body: ReadableStream<Uint8Array> | null;
  contentType: string | null;
  query: UploadQuery;
};

/**
 * Streams the body to the artifact store while hashing it, refuses what is not JSONL, and
 * creates a VALIDATING version plus its validation job in one transaction. The same bytes
 * uploaded to the same dataset again return the earlier version.
 */
export async function uploadVersion(
  p: Principal,
  datasetId: string,
  input: UploadInput,
  extra: { parentVersionId?: string; tmp?: Awaited<ReturnType<typeof receiveToTemp>> } = {},
): Promise<{
  id: string;
  status: DatasetVersion["status"];
  version: number;
  deduplicated: boolean;
}> {
  authorize(p, "resource.write");
  const dataset = await loadDataset(p, datasetId);
  const type = (input.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!extra.tmp && type && !ACCEPTED_TYPES.includes(type)) {
    throw new HttpError(
      415,
      "unsupported_media_type",
      `Content-Type ${type} is not accepted; send application/x-ndjson or application/gzip`,
    );
  }
  const received = extra.tmp ?? (await receiveToTemp(input.body, env().DATASET_MAX_UPLOAD_BYTES));
  try {
    if (received.size === 0)
      throw new HttpError(
        400,
        "empty_file",
        "the file is empty: expected one JSON object per line",
      );
    const compressed = received.head[0] === GZIP_MAGIC[0] && received.head[1] === GZIP_MAGIC[1];
    if (type.includes("gzip") && !compressed) {
      throw new HttpError(
        422,
        "invalid_gzip",
        "Content-Type says gzip but the body does not start with the gzip magic bytes",
      );
    }
    const start = (await sniff(received.tmpPath, compressed)).replace(/^\uFEFF/, "").trimStart();
    if (!start)
      throw new HttpError(
        400,
        "empty_file",
        "the file holds only blank lines: expected one JSON object per line",
      );
    // Uncompressed: the raw first bytes; gzip: the inflated start (NULs survive the decoding).
    const wide = detectWideEncoding(
      compressed ? Buffer.from(start.slice(0, 256), "utf8") : received.head,
    );
    if (wide) throw new HttpError(422, "not_utf8", wideEncodingMessage(wide));
    if (start[0] !== "{") {
      throw new HttpError(
        422,
        "not_jsonl",
        `line 1 does not start a JSON object (found ${JSON.stringify(start.slice(0, 20))}); expected JSONL: one JSON object per line`,
      );
    }

    const existing = await reusableVersion(dataset.id, received.sha256);
    if (existing) {
      await discardTemp(received.tmpPath);
      return {
        id: existing.id,
        status: existing.status,
        version: existing.version,
        deduplicated: true,
      };
    }
    const key = `datasets/${p.teamId}/${received.sha256}${compressed ? ".jsonl.gz" : ".jsonl"}`;
    const storageUri = await commitTemp(received.tmpPath, key);
    const q = input.query;
    const created = await createVersionRow(p, dataset.id, {
      contentHash: received.sha256,
      storageUri,
      compressed,
      sizeBytes: BigInt(received.size),
      declaredFormat: q.format,
      provenance: q.provenance ? (q.provenance.toUpperCase() as "SYNTHETIC") : null,
      evalFraction: q.evalFraction,
      baseModel: q.baseModel ?? null,
      parentVersionId: extra.parentVersionId ?? null,
    });
    await dispatchSoon(bus());
    return {
      id: created.id,
      status: created.status,
      version: created.version,
      deduplicated: false,
    };
  } catch (e) {
    await discardTemp(received.tmpPath);
    throw e;
  }
}

type NewVersion = Omit<
  Prisma.DatasetVersionUncheckedCreateInput,
  "teamId" | "datasetId" | "version"
>;

async function createVersionRow(p: Principal, datasetId: string, data: NewVersion) {
  // Version numbers are per dataset; a concurrent upload that takes the same number retries.
  for (let attempt = 0; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        const last = await tx.datasetVersion.aggregate({
          where: { datasetId },
          _max: { version: true },
        });
        const v = await tx.datasetVersion.create({
          data: {
            ...data,
            teamId: p.teamId,
            datasetId,
            version: (last._max.version ?? 0) + 1,
            createdById: p.userId,
          },
        });
        await enqueueInTx(tx, "dataset-validation", { datasetVersionId: v.id });
        await recordAudit(
          {
            ...actorOf(p),
            action: "dataset.upload",
            targetType: "dataset-version",
            targetId: v.id,
            metadata: { datasetId, version: v.version, bytes: Number(data.sizeBytes ?? 0) },
          },
          tx,
        );
        return v;
      });
    } catch (e) {
      const race = e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
      if (!race || attempt >= 5) throw e;
    }
  }
}

export function storedPath(v: VersionRow): string {
  return artifactPath(v.storageUri);
}

/** The stored file of a version a person is about to read; its absence is named, not a bare 500. */
export async function readablePath(v: VersionRow): Promise<string> {
  const p = storedPath(v);
  const { access } = await import("node:fs/promises");
  await access(p).catch(() => {
    throw new HttpError(
      500,
      "artifact_missing",
      `the stored file of dataset version ${v.id} (${v.storageUri}) is missing from the artifact store`,
    );
  });
  return p;
}

/** The BullMQ (and outbox) job id of a version's validation. */
export function validationJobId(versionId: string): string {
  return jobIdFor("dataset-validation", { datasetVersionId: versionId })!;
}
