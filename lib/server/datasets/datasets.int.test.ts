/**
 * The dataset pipeline end to end through lib/server with real PostgreSQL, files and tokenizers:
 * upload (streamed) → validation → report, rows, downloads, cleaned versions.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFECTS, GOOD, toolRow } from "@/test/dataset-fixtures";
import { createTeamWith, signUp } from "@/test/principals";
import { artifactRoot } from "@/lib/server/core/artifacts";
import { createCleanedVersion, downloadVersion, listRows } from "./rows";
import { validateDatasetVersion } from "./validation";
import { createDataset, getVersion, uploadVersion } from "./datasets";
import { db } from "@/lib/server/core/db";
import { HttpError } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";

let p: Principal;
let other: Principal;

const stream = (data: Buffer | string) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      const buf = typeof data === "string" ? Buffer.from(data) : data;
      for (let i = 0; i < buf.length; i += 65_536) c.enqueue(buf.subarray(i, i + 65_536));
      c.close();
    },
  });

async function upload(
  data: Buffer | string,
  query: Record<string, unknown> = {},
  contentType = "application/x-ndjson",
) {
  const d = await createDataset(p, { name: `ds-${Math.random().toString(36).slice(2)}` });
  const res = await uploadVersion(p, d.id, {
    body: stream(data),
    contentType,
    query: { format: "auto", evalFraction: 0.1, baseModel: "retune/tiny-chat", ...query } as never,
  });
  const status = await validateDatasetVersion(res.id);
  return { datasetId: d.id, res, status, version: await getVersion(p, res.id) };
}

async function rejects(promise: Promise<unknown>, status: number, code: string) {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected HttpError ${status} ${code}`).toBeInstanceOf(HttpError);
  expect([(e as HttpError).status, (e as HttpError).code]).toEqual([status, code]);
  return e as HttpError;
}

beforeAll(async () => {
  const owner = await signUp("ds-owner");
  const team = await createTeamWith({ OWNER: owner });
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  const stranger = await signUp("ds-stranger");
  const t2 = await createTeamWith({ OWNER: stranger });
  other = {
    teamId: t2.id,
    actor: { kind: "user", role: "OWNER" },
    userId: stranger.id,
    apiKeyId: null,
    ip: null,
  };
});

describe("validation findings", () => {
  it("reports every finding code on the line that holds its defect, and nothing on good lines", async () => {
    // Good rows first and last, defects in between, plus a duplicate of line 1 and an invalid-UTF-8 line.
    const lines = [GOOD[0]!, ...DEFECTS.map((d) => d.text), GOOD[1]!, GOOD[0]!, GOOD[2]!];
    const text = Buffer.concat([
      Buffer.from(lines.join("\n") + "\n"),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      Buffer.from(GOOD[3]! + "\n"),
    ]);
    const { version, status } = await upload(text);
    expect(status.status).toBe("INVALID");
    const findings = version.report!.findings;
    const at = (code: string) => findings.filter((f) => f.code === code).map((f) => f.line);

    DEFECTS.forEach((d, i) => {
      const line = i + 2;
      expect(at(d.code), `${d.code} on line ${line}`).toContain(line);
      expect(findings.find((f) => f.code === d.code && f.line === line)?.severity).toBe(d.severity);
    });
    const dupLine = DEFECTS.length + 3;
    expect(at("duplicate_example")).toEqual([dupLine]);
    expect(findings.find((f) => f.code === "duplicate_example")?.message).toContain("line 1");
    const utf8Line = DEFECTS.length + 5;
    expect(at("invalid_utf8")).toEqual([utf8Line]);

    const goodLines = new Set([1, DEFECTS.length + 2, DEFECTS.length + 4, DEFECTS.length + 6]);
    expect(findings.filter((f) => f.line !== null && goodLines.has(f.line))).toEqual([]);
    expect(version.report!.errorLines).toBe(
      DEFECTS.filter((d) => d.severity === "error").length + 1,
    );
    expect(version.stats!.validRows).toBe(
      goodLines.size + DEFECTS.filter((d) => d.severity === "warning").length + 1,
    );
  });

  it("warns when synthetic data is the majority (a dataset-level finding)", async () => {
    const rows = [0, 1, 2].map((i) =>
      toolRow(`{"city":"C${i}"}`, {
        user: `city ${i}?`,
        source: i === 0 ? "production_traces" : "synthetic",
      }),
    );
    const { version } = await upload(rows.join("\n"));
    expect(version.status).toBe("READY");
    const f = version.report!.findings.find((x) => x.code === "synthetic_majority");
    expect(f).toMatchObject({ line: null, severity: "warning" });
    expect(version.stats!.provenance.synthetic).toBeCloseTo(2 / 3);
  });
});

describe("input encodings", () => {
  it("reads gzip", async () => {
    const { version } = await upload(gzipSync(GOOD.join("\n")), {}, "application/gzip");
    expect(version).toMatchObject({ status: "READY", stats: { rows: 4, validRows: 4 } });
  });

  it("accepts a BOM, CRLF line ends and blank lines, keeping file line numbers", async () => {
    const text = `\uFEFF${GOOD[0]}\r\n\r\n${GOOD[1]}\r\n   \r\n{"bad json"\r\n`;
    const { version } = await upload(text);
    expect(version.stats).toMatchObject({ rows: 3, validRows: 2, blankLines: 2 });
    expect(version.report!.findings.map((f) => [f.line, f.code])).toEqual([[5, "invalid_json"]]);
  });

  it("reports a 20 MB single line as too long without reading it, and validates the rest", async () => {
    const huge = JSON.stringify({
      messages: [
        { role: "user", content: "x".repeat(20 * 1024 * 1024) },
        { role: "assistant", content: "ok" },
      ],
    });
    const { version } = await upload(`${GOOD[0]}\n${huge}\n${GOOD[1]}\n`);
    expect(version.report!.findings.map((f) => [f.line, f.code])).toEqual([[2, "line_too_long"]]);
    expect(version.report!.findings[0]!.message).toMatch(
      /20971\d\d\d bytes, over the 8388608-byte limit/,
    );
    expect(version.stats!.validRows).toBe(2);
  });

  it("refuses an empty file, a blank-only file and a non-JSONL body, storing nothing", async () => {
    const d = await createDataset(p, { name: "refusals" });
    const q = { format: "auto", evalFraction: 0.1 } as never;
    await rejects(
      uploadVersion(p, d.id, { body: stream(""), contentType: "application/x-ndjson", query: q }),
      400,
      "empty_file",
    );
    await rejects(
      uploadVersion(p, d.id, {
        body: stream("\n  \r\n"),
        contentType: "application/x-ndjson",
        query: q,
      }),
      400,
      "empty_file",
    );
    const e = await rejects(
      uploadVersion(p, d.id, {
        body: stream("name,age\nada,36\n"),
        contentType: "application/x-ndjson",
        query: q,
      }),
      422,
      "not_jsonl",
    );
    expect(e.message).toContain("line 1");
    await rejects(
      uploadVersion(p, d.id, { body: stream(GOOD[0]!), contentType: "application/gzip", query: q }),
      422,
      "invalid_gzip",
    );
    await rejects(
      uploadVersion(p, d.id, { body: stream(GOOD[0]!), contentType: "image/png", query: q }),
      415,
      "unsupported_media_type",
    );
    expect(await db().datasetVersion.count({ where: { datasetId: d.id } })).toBe(0);
  });

  it("leaves no version and no file behind when the upload is interrupted", async () => {
    const d = await createDataset(p, { name: "interrupted" });
    const tmpDir = path.join(artifactRoot(), "tmp");
    const before = existsSync(tmpDir) ? readdirSync(tmpDir).length : 0;
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(Buffer.from(`${GOOD[0]}\n${GOOD[1]}\n`));
        setTimeout(() => c.error(new Error("client went away")), 10);
      },
    });
    await rejects(
      uploadVersion(p, d.id, {
        body: broken,
        contentType: "application/x-ndjson",
        query: { format: "auto", evalFraction: 0.1 } as never,
      }),
      400,
      "upload_interrupted",
    );
    expect(await db().datasetVersion.count({ where: { datasetId: d.id } })).toBe(0);
    expect(existsSync(tmpDir) ? readdirSync(tmpDir).length : 0).toBe(before);
  });
});

describe("versions", () => {
  it("dedupes identical content, and a cleaned version keeps exactly the valid rows", async () => {
    const text = [GOOD[0], '{"broken":', GOOD[1], "[1]", GOOD[2]].join("\n");
    const first = await upload(text);
    const again = await uploadVersion(p, first.datasetId, {
      body: stream(text),
      contentType: "application/x-ndjson",
      query: { format: "auto", evalFraction: 0.1 } as never,
    });
    expect(again).toMatchObject({ id: first.res.id, deduplicated: true });

    const cleaned = await createCleanedVersion(p, first.res.id);
    await validateDatasetVersion(cleaned.id);
    const v2 = await getVersion(p, cleaned.id);
    expect(v2).toMatchObject({
      status: "READY",
      parentVersionId: first.res.id,
      version: 2,
      stats: { rows: 3, validRows: 3 },
    });
    await rejects(createCleanedVersion(p, cleaned.id), 409, "conflict");

    const body = await (await downloadVersion(p, first.res.id, true)).text();
    expect(body).toBe(`${GOOD[0]}\n${GOOD[1]}\n${GOOD[2]}\n`);
    const raw = await (await downloadVersion(p, first.res.id, false)).text();
    expect(raw).toBe(text);
  });

  it("pages rows, searches them and jumps to a finding's line", async () => {
    const rows = Array.from({ length: 2500 }, (_, i) =>
      i === 2100 ? '{"oops"' : toolRow(`{"city":"C${i}"}`, { user: `city number ${i}?` }),
    );
    const { res } = await upload(rows.join("\n"));
    const page = await listRows(p, res.id, { offset: 10, limit: 5 });
    expect(page.rows.map((r) => r.line)).toEqual([11, 12, 13, 14, 15]);
    expect(page.nextOffset).toBe(15);
    const jump = await listRows(p, res.id, { offset: 0, limit: 2, line: 2101 });
    expect(jump.rows[0]).toMatchObject({
      line: 2101,
      findings: [{ code: "invalid_json", line: 2101 }],
    });
    expect(jump.scannedLines).toBeLessThan(1100); // seeked via the line index, not scanned from line 1
    const hit = await listRows(p, res.id, { offset: 0, limit: 5, q: "CITY NUMBER 1999?" });
    expect(hit.rows.map((r) => r.line)).toEqual([2000]);
    expect(["train", "eval"]).toContain(hit.rows[0]!.split);
  });
});

describe("a lost artifact", () => {
  it("is named when someone reads the version, not an anonymous 500", async () => {
    const d = await createDataset(p, { name: "lost" });
    const v = await db().datasetVersion.create({
      data: {
        teamId: p.teamId,
        datasetId: d.id,
        version: 1,
        contentHash: "f".repeat(64),
        storageUri: "artifact:datasets/gone.jsonl",
      },
    });
    const e = await rejects(listRows(p, v.id, { offset: 0, limit: 5 }), 500, "artifact_missing");
    expect(e.message).toContain("artifact:datasets/gone.jsonl");
    await rejects(downloadVersion(p, v.id, false), 500, "artifact_missing");
  });
});

describe("tenancy", () => {
  it("treats another team's dataset and version ids as unknown", async () => {
    const { datasetId, res } = await upload(GOOD.join("\n"));
    await rejects(getVersion(other, res.id), 404, "not_found");
    await rejects(listRows(other, res.id, { offset: 0, limit: 5 }), 404, "not_found");
    await rejects(
      uploadVersion(other, datasetId, {
        body: stream(GOOD[0]!),
        contentType: null,
        query: { format: "auto", evalFraction: 0.1 } as never,
      }),
      404,
      "not_found",
    );
    await rejects(createCleanedVersion(other, res.id), 404, "not_found");
  });
});
