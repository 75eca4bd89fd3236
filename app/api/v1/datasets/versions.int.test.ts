/**
 * /api/v1/datasets/{id}/versions through its route handlers, with real PostgreSQL and files:
 * GET lists the dataset's versions (newest first, in the caller's team only); a UTF-16 or
 * UTF-32 file, with or without a BOM, gzipped or not, is refused at upload saying so.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { datasetVersionListSchema } from "@/lib/schemas/datasets";
import { keyFor, ownerOfNewTeam } from "@/test/principals";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-versions-"));
const versionsRoute = await import("./[id]/versions/route");
const datasetsRoute = await import("./route");

const APP = "http://localhost:3999";
const LINE =
  '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}\n';

let key: string;
let otherKey: string;

beforeAll(async () => {
  const mine = await ownerOfNewTeam("versions");
  key = (await keyFor(mine.team.id, mine.owner.id, ["read", "write"])).key;
  const other = await ownerOfNewTeam("versions-other");
  otherKey = (await keyFor(other.team.id, other.owner.id, ["read", "write"])).key;
});

const ctx = (id = "") => ({ params: Promise.resolve({ id }) });

async function newDataset(): Promise<string> {
  const res = await datasetsRoute.POST(
    new Request(`${APP}/api/v1/datasets`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `ds ${Math.random().toString(36).slice(2)}` }),
    }),
    ctx(),
  );
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function upload(id: string, bytes: Uint8Array, type = "application/x-ndjson") {
  return versionsRoute.POST(
    new Request(`${APP}/api/v1/datasets/${id}/versions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": type },
      body: new Uint8Array(bytes),
    }),
    ctx(id),
  );
}

const list = (id: string, bearer = key) =>
  versionsRoute.GET(
    new Request(`${APP}/api/v1/datasets/${id}/versions`, {
      headers: { authorization: `Bearer ${bearer}` },
    }),
    ctx(id),
  );

describe("GET /api/v1/datasets/{id}/versions", () => {
  it("lists the dataset's versions, newest first", async () => {
    const id = await newDataset();
    expect(await (await list(id)).json()).toEqual({ versions: [] });
    expect((await upload(id, Buffer.from(LINE))).status).toBe(202);
    expect((await upload(id, Buffer.from(LINE + LINE))).status).toBe(202);
    const res = await list(id);
    expect(res.status).toBe(200);
    const body = datasetVersionListSchema.parse(await res.json());
    expect(body.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(body.versions.every((v) => v.datasetId === id)).toBe(true);
  });

  it("is a 404 for another team's dataset", async () => {
    const id = await newDataset();
    const res = await list(id, otherKey);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("POST /api/v1/datasets/{id}/versions with a file that is not UTF-8", () => {
  const text = LINE.repeat(3);
  const utf16le = Buffer.from(text, "utf16le");
  const cases: [string, Buffer, string][] = [
    ["UTF-16LE with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le]), "UTF-16LE"],
    ["UTF-16LE without a BOM", utf16le, "UTF-16LE"],
    [
      "UTF-16BE with a BOM",
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16le).swap16()]),
      "UTF-16BE",
    ],
    [
      "gzipped UTF-16LE with a BOM",
      gzipSync(Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le])),
      "UTF-16LE",
    ],
  ];
  for (const [label, bytes, encoding] of cases) {
    it(`refuses ${label}, saying to re-save it as UTF-8`, async () => {
      const res = await upload(await newDataset(), bytes);
      expect(res.status).toBe(422);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe("not_utf8");
      expect(error.message).toContain(`the file is ${encoding.slice(0, 6)} (${encoding})`);
      expect(error.message).toContain("re-save it as UTF-8");
    });
  }
});
