/**
 * GET /api/v1/training-jobs/{id}/checkpoints/{name} through its route handler, with real
 * PostgreSQL and a job output folder laid out as the trainer leaves it: a kept checkpoint
 * streams as a tar of its files under `checkpoint-<step>/`, the sizes the job page lists; a name
 * that is not a checkpoint (`../`, a path) is a 400, one the job does not keep a 404, and
 * symlinks out of the job folder are neither listed nor read.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { createTeamWith, sessionHeaders, signUp, type TestUser } from "@/test/principals";
import { bodyChunks, sha256, tarEntries } from "@/test/tar-entries";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-checkpoint-download-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { getTrainingJob } = await import("@/lib/server/training/jobs");
const { outputDir } = await import("@/lib/server/training/paths");
const route = await import("./[id]/checkpoints/[name]/route");

const SECRET = "outside the job folder";
let owner: TestUser;
let p: Principal;
let jobId: string;
let foreignJobId: string;
let checkpoint20: Record<string, Buffer>;

async function download(id: string, name: string, user = owner) {
  return route.GET(
    new Request(
      `http://localhost:3999/api/v1/training-jobs/${id}/checkpoints/${encodeURIComponent(name)}`,
      { headers: sessionHeaders(user, p.teamId) },
    ),
    { params: Promise.resolve({ id, name }) },
  );
}

async function job(teamId: string): Promise<string> {
  const model = await db().model.create({ data: { teamId, name: `m-${teamId}` } });
  const dataset = await db().dataset.create({ data: { teamId, name: `d-${teamId}` } });
  const dv = await db().datasetVersion.create({
    data: {
      teamId,
      datasetId: dataset.id,
      version: 1,
      contentHash: "0".repeat(64),
      storageUri: "artifact:none",
    },
  });
  const spec = {
    model: model.name,
    datasetVersionId: dv.id,
    baseModel: "retune/tiny-chat",
    method: "LORA",
    hyperparameters: {
      loraR: 8,
      loraAlpha: 16,
      learningRate: 0.001,
      maxSteps: 30,
      microBatchSize: 1,
      gradientAccumulationSteps: 1,
      sequenceLen: 256,
    },
  };
  const j = await db().trainingJob.create({
    data: {
      teamId,
      modelId: model.id,
      name: "tiny run",
      status: "SUCCEEDED",
      method: "LORA",
      baseModel: "retune/tiny-chat",
      datasetVersionId: dv.id,
      spec,
      attempts: { create: { attempt: 1, status: "SUCCEEDED" } },
    },
  });
  return j.id;
}

function write(file: string, body: Buffer | string) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
}

beforeAll(async () => {
  owner = await signUp("checkpoint-owner");
  const team = await createTeamWith({ OWNER: owner });
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  const other = await createTeamWith({ OWNER: await signUp("checkpoint-outsider") });
  jobId = await job(team.id);
  foreignJobId = await job(other.id);

  const out = outputDir(jobId);
  write(path.join(out, "adapter_model.safetensors"), randomBytes(4096));
  write(path.join(out, "checkpoint-10", "adapter_model.safetensors"), randomBytes(1000));
  checkpoint20 = {
    "adapter_model.safetensors": randomBytes(700_001),
    "optimizer.pt": randomBytes(1_400_003),
    "trainer_state.json": Buffer.from('{"global_step":20}'),
    "nested/rng_state.pth": randomBytes(33),
  };
  for (const [name, body] of Object.entries(checkpoint20))
    write(path.join(out, "checkpoint-20", name), body);
  // What must never be read: a file next to the artifact store's job folders, linked in both as
  // a file inside a kept checkpoint and as a whole checkpoint folder.
  write(path.join(artifactDir, "secret.txt"), SECRET);
  symlinkSync(path.join(artifactDir, "secret.txt"), path.join(out, "checkpoint-20", "leak.txt"));
  mkdirSync(path.join(artifactDir, "elsewhere"));
  write(path.join(artifactDir, "elsewhere", "secret.txt"), SECRET);
  symlinkSync(path.join(artifactDir, "elsewhere"), path.join(out, "checkpoint-99"));
  write(path.join(outputDir(foreignJobId), "checkpoint-1", "adapter_model.safetensors"), "theirs");
});

afterAll(() => rmSync(artifactDir, { recursive: true, force: true }));

describe("GET /training-jobs/{id}/checkpoints/{name}", () => {
  it("streams the kept checkpoint's files as the job page lists it", async () => {
    const listed = (await getTrainingJob(p, jobId)).artifacts;
    const total = Object.values(checkpoint20).reduce((n, b) => n + b.length, 0);
    // The symlinked folder is not a kept checkpoint; the folder size is its files in all.
    expect(listed.filter((a) => a.name.endsWith("/"))).toEqual([
      { name: "checkpoint-10/", bytes: 1000 },
      { name: "checkpoint-20/", bytes: total },
    ]);

    const res = await download(jobId, "checkpoint-20");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-tar");
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="tiny_run-checkpoint-20.tar"',
    );
    const bytes = Buffer.concat(await bodyChunks(res));
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    const entries = await tarEntries(bytes);
    expect(entries.map((e) => e.name)).toEqual(
      Object.keys(checkpoint20)
        .map((n) => `checkpoint-20/${n}`)
        .sort(),
    );
    for (const e of entries) {
      const body = checkpoint20[e.name.slice("checkpoint-20/".length)]!;
      expect({ size: e.size, sha256: e.sha256 }, e.name).toEqual({
        size: body.length,
        sha256: sha256(body),
      });
    }
    expect(entries.reduce((n, e) => n + e.size, 0)).toBe(total);
    expect(bytes.includes(SECRET)).toBe(false);
  });

  it("refuses names that are not a checkpoint, and checkpoints the job does not keep", async () => {
    for (const name of [
      "../../secret.txt",
      "..",
      "checkpoint-20/../../../secret.txt",
      "checkpoint-20/leak.txt",
      "/etc/passwd",
    ]) {
      const res = await download(jobId, name);
      expect(res.status, name).toBe(400);
      const body = await res.text();
      expect(body, name).toMatch(/is not a checkpoint name/);
      expect(body, name).not.toContain(SECRET);
    }
    const missing = await download(jobId, "checkpoint-5");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      `training job ${jobId} keeps no checkpoint-5; it keeps checkpoint-10, checkpoint-20`,
    );
    // A folder linked in from elsewhere is not one of the job's checkpoints.
    const linked = await download(jobId, "checkpoint-99");
    expect(linked.status).toBe(404);
    expect(await linked.text()).not.toContain(SECRET);
  });

  it("is a 404 for another team's job, whatever the name", async () => {
    for (const name of ["checkpoint-1", "../x"]) {
      const res = await download(foreignJobId, name);
      expect(res.status, name).toBe(404);
      expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
        `training job ${foreignJobId} not found`,
      );
    }
  });
});
