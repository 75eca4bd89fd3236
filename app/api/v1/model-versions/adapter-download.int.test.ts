/**
 * GET /api/v1/model-versions/{id}/adapter through its route handler, with real PostgreSQL and
 * adapter files on disk where training registers them: the tar's entries are the version's
 * listed files (names, sizes, bytes) and nothing else in the folder; the body arrives in chunks
 * no bigger than a read, not as one buffer; another team's id, a version without an adapter, a
 * stored adapter that is gone, changed or replaced by a symlink are refused before any byte.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyFor, sessionHeaders, signUp, createTeamWith, type TestUser } from "@/test/principals";
import { bodyChunks, sha256, tarEntries } from "@/test/tar-entries";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-adapter-download-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { getModelVersion } = await import("@/lib/server/registry/model-versions");
const route = await import("./[id]/adapter/route");

const MiB = 1024 * 1024;
let owner: TestUser;
let viewer: TestUser;
let teamId: string;
let otherTeamId: string;
let modelId: string;

async function download(id: string, headers: Record<string, string>) {
  return route.GET(
    new Request(`http://localhost:3999/api/v1/model-versions/${id}/adapter`, { headers }),
    { params: Promise.resolve({ id }) },
  );
}

/** A version row with `files` written under its adapter folder (listed: those in `listed`). */
async function version(
  team: string,
  model: string,
  n: number,
  files: Record<string, Uint8Array | string>,
  listed = Object.keys(files),
) {
  const dir = path.join(artifactDir, "models", model, `v${n}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return db().modelVersion.create({
    data: {
      teamId: team,
      modelId: model,
      version: n,
      baseModel: "retune/tiny-chat",
      adapterUri: `artifact:models/${model}/v${n}`,
      adapterFiles: listed.map((name) => ({ name, bytes: Buffer.byteLength(files[name]!) })),
    },
  });
}

beforeAll(async () => {
  owner = await signUp("adapter-owner");
  viewer = await signUp("adapter-viewer");
  teamId = (await createTeamWith({ OWNER: owner, VIEWER: viewer })).id;
  otherTeamId = (await createTeamWith({ OWNER: await signUp("adapter-outsider") })).id;
  modelId = (await db().model.create({ data: { teamId, name: "tool caller/α" } })).id;
});

afterAll(() => rmSync(artifactDir, { recursive: true, force: true }));

describe("GET /model-versions/{id}/adapter", () => {
  it("streams a tar of exactly the listed files, names, sizes and bytes, in chunks", async () => {
    const files = {
      "adapter_config.json": JSON.stringify({ peft_type: "LORA", r: 8, lora_alpha: 16 }),
      // Larger than a read and not a whole number of 512-byte blocks: padding and chunking.
      "adapter_model.safetensors": randomBytes(6 * MiB + 123),
      "tokenizer_config.json": "{}",
      "added_tokens.json": "",
    };
    const v = await version(
      teamId,
      modelId,
      1,
      {
        ...files,
        "stray-not-registered.bin": "not part of the adapter",
      },
      Object.keys(files),
    );
    const listed = (
      await getModelVersion(
        {
          teamId,
          actor: { kind: "user", role: "VIEWER" },
          userId: viewer.id,
          apiKeyId: null,
          ip: null,
        },
        v.id,
      )
    ).adapter!.files;

    const res = await download(v.id, sessionHeaders(viewer, teamId));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-tar");
    // The model's name made safe for a file name; the version number kept.
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="tool_caller_-v1-adapter.tar"',
    );
    const chunks = await bodyChunks(res);
    const total = chunks.reduce((n, c) => n + c.byteLength, 0);
    expect(Number(res.headers.get("content-length"))).toBe(total);
    // Streamed from disk a read at a time: no chunk near the size of the 6 MiB file.
    expect(Math.max(...chunks.map((c) => c.byteLength))).toBeLessThanOrEqual(MiB);
    expect(chunks.length).toBeGreaterThan(6);

    const entries = await tarEntries(Buffer.concat(chunks));
    expect(entries.map((e) => ({ name: e.name, size: e.size, type: e.type }))).toEqual(
      listed.map((f) => ({ name: f.name, size: f.bytes, type: "file" })),
    );
    for (const e of entries)
      expect(e.sha256, e.name).toBe(sha256(files[e.name as keyof typeof files]));
  });

  it("answers an API key with the read scope too", async () => {
    const v = await version(teamId, modelId, 2, { "adapter_config.json": "{}" });
    const { key } = await keyFor(teamId, owner.id, ["read"]);
    const res = await download(v.id, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(200);
    expect((await tarEntries(Buffer.concat(await bodyChunks(res)))).map((e) => e.name)).toEqual([
      "adapter_config.json",
    ]);
  });

  it("is a 404 for another team's version, as for an unknown id", async () => {
    const foreignModel = await db().model.create({ data: { teamId: otherTeamId, name: "theirs" } });
    const foreign = await version(otherTeamId, foreignModel.id, 1, {
      "adapter_model.safetensors": "secret",
    });
    const res = await download(foreign.id, sessionHeaders(owner, teamId));
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("not_found");
    expect(body.error.message).toBe(`model version ${foreign.id} not found`);
  });

  it("is a 404 naming why for a version registered without an adapter", async () => {
    const bare = await db().modelVersion.create({
      data: { teamId, modelId, version: 3, baseModel: "retune/tiny-chat" },
    });
    const res = await download(bare.id, sessionHeaders(owner, teamId));
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /tool caller\/α v3 .* has no adapter files to download/,
    );
  });

  it("refuses before any byte when the stored adapter is gone, changed or a symlink", async () => {
    const gone = await version(teamId, modelId, 4, {
      "adapter_config.json": "{}",
      "adapter_model.safetensors": "w",
    });
    rmSync(path.join(artifactDir, "models", modelId, "v4", "adapter_model.safetensors"));
    const r1 = await download(gone.id, sessionHeaders(owner, teamId));
    expect(r1.status).toBe(404);
    expect(((await r1.json()) as { error: { message: string } }).error.message).toMatch(
      /missing from the artifact store \(adapter_model\.safetensors not found/,
    );

    const changed = await version(teamId, modelId, 5, { "adapter_model.safetensors": "weights" });
    writeFileSync(
      path.join(artifactDir, "models", modelId, "v5", "adapter_model.safetensors"),
      "w",
    );
    const r2 = await download(changed.id, sessionHeaders(owner, teamId));
    expect(r2.status).toBe(409);
    expect(((await r2.json()) as { error: { message: string } }).error.message).toMatch(
      /is 1 bytes in the artifact store but 7 were registered/,
    );

    // A file outside the store, linked in under a listed name, is never read.
    const outside = path.join(artifactDir, "outside-secret.txt");
    writeFileSync(outside, "secret");
    const linked = await version(teamId, modelId, 6, { "adapter_model.safetensors": "secret" });
    const p = path.join(artifactDir, "models", modelId, "v6", "adapter_model.safetensors");
    rmSync(p);
    symlinkSync(outside, p);
    const r3 = await download(linked.id, sessionHeaders(owner, teamId));
    expect(r3.status).toBe(404);
    expect(await r3.text()).not.toContain('"secret"');
  });
});
