/**
 * Issue 14: a truncated gzip upload stayed VALIDATING forever. Now the upload inflates the whole
 * stream (half a file, or one missing only its 8-byte trailer, is refused with 422 "truncated
 * gzip"), and the corrected bytes upload; a stored truncated file (from before) validates INVALID
 * with a finding that says so, and reads answer a clear error. The reconciler's sweep of a version
 * whose validation failed for good: workers/sweep.int.test.ts.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { GOOD } from "@/test/dataset-fixtures";
import { ownerOfNewTeam } from "@/test/principals";
import { artifactPath, artifactUri } from "@/lib/server/core/artifacts";
import { db } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { createDataset, getVersion, uploadVersion } from "./datasets";
import { createCleanedVersion, listRows } from "./rows";
import { validateDatasetVersion } from "./validation";

let p: Principal;

const stream = (buf: Buffer) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < buf.length; i += 65_536) c.enqueue(buf.subarray(i, i + 65_536));
      c.close();
    },
  });

// Large enough that the first inflated chunk is valid JSONL long before the cut.
const whole = gzipSync(Array.from({ length: 400 }, (_, i) => GOOD[i % GOOD.length]).join("\n"));
const half = whole.subarray(0, Math.floor(whole.length / 2));
const noTrailer = whole.subarray(0, whole.length - 8);
const query = { format: "auto", evalFraction: 0.1, baseModel: "retune/tiny-chat" } as never;

async function refusal(promise: Promise<unknown>): Promise<HttpError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HttpError);
  return e as HttpError;
}

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("gzip"));
});

describe("truncated gzip", () => {
  it("refuses half a gzip stream and one without its trailer at upload, then takes the whole file", async () => {
    const d = await createDataset(p, { name: "cut-short" });
    for (const body of [half, noTrailer]) {
      const e = await refusal(
        uploadVersion(p, d.id, { body: stream(body), contentType: "application/gzip", query }),
      );
      expect([e.status, e.code]).toEqual([422, "truncated_gzip"]);
      expect(e.message).toContain("truncated gzip");
    }
    expect(await db().datasetVersion.count({ where: { datasetId: d.id } })).toBe(0);
    // The corrected bytes upload and validate as usual.
    const ok = await uploadVersion(p, d.id, {
      body: stream(whole),
      contentType: "application/gzip",
      query,
    });
    expect(ok.deduplicated).toBe(false);
    expect((await validateDatasetVersion(ok.id)).status).toBe("READY");
  });

  it("a stored truncated file validates INVALID with a finding that says so; reads say why", async () => {
    const d = await createDataset(p, { name: "stored-cut" });
    // A version stored before uploads were inflated whole: the file is written as commitTemp would.
    const key = `datasets/${p.teamId}/truncated-${Date.now()}.jsonl.gz`;
    const file = artifactPath(artifactUri(key));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, noTrailer);
    const v = await db().datasetVersion.create({
      data: {
        teamId: p.teamId,
        datasetId: d.id,
        version: 1,
        contentHash: "truncated-fixture",
        storageUri: artifactUri(key),
        compressed: true,
        sizeBytes: BigInt(noTrailer.length),
        baseModel: "retune/tiny-chat",
      },
    });
    expect((await validateDatasetVersion(v.id)).status).toBe("INVALID");
    const version = await getVersion(p, v.id);
    expect(version.status).toBe("INVALID");
    const finding = version.report!.findings.find((f) => f.code === "truncated_gzip");
    expect(finding?.message).toContain("truncated gzip");
    // The lines before the cut read as usual; a read that reaches the cut says why it stops.
    const first = await listRows(p, v.id, { line: 1, offset: 0, limit: 20 });
    expect(first.rows[0]?.line).toBe(1);
    const rows = await refusal(listRows(p, v.id, { line: 399, offset: 0, limit: 20 }));
    expect([rows.status, rows.code]).toEqual([409, "truncated_gzip"]);
    expect(rows.message).toContain("truncated gzip");
    const clean = await refusal(createCleanedVersion(p, v.id));
    expect([clean.status, clean.code]).toEqual([409, "truncated_gzip"]);
  });
});
