/**
 * Shared setup of the re-tuning loop's integration tests (retrain-triggers, retrain-dataset and
 * monitor-metrics .int.test.ts): an OWNER of one team and of another, a ready dataset version,
 * and Models whose PRODUCTION version came from a finished job. Not a test file: each test file
 * runs `beforeAll(setUpTeams, 120_000)` and reads `p`, `other` and `datasetVersionId` after it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTeamWith, signUp } from "@/test/principals";
import { readyVersion, tinyJob } from "@/test/training-helpers";
import type { Principal } from "@/lib/server/core/principal";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-retrain-"));

const { db } = await import("@/lib/server/core/db");
const { createModel } = await import("@/lib/server/registry/models");

// Live bindings: set by setUpTeams, read by the tests that import them.
export let p: Principal;
export let other: Principal;
export let datasetVersionId: string;

/** A Model whose PRODUCTION version came from a finished job (what a re-tune copies). */
export async function modelInProduction(name: string, costUsd = 1) {
  const model = await createModel(p, { name });
  const job = await db().trainingJob.create({
    data: {
      teamId: p.teamId,
      modelId: model.id,
      name: `${name} #1`,
      status: "SUCCEEDED",
      method: "LORA",
      baseModel: "retune/tiny-chat",
      datasetVersionId,
      spec: tinyJob(datasetVersionId, {}, name),
      costUsd,
      attempts: { create: { attempt: 1, status: "SUCCEEDED" } },
    },
  });
  await db().modelVersion.create({
    data: {
      teamId: p.teamId,
      modelId: model.id,
      version: 1,
      stage: "PRODUCTION",
      baseModel: "retune/tiny-chat",
      trainingJobId: job.id,
    },
  });
  return model;
}

export async function setUpTeams() {
  const owner = await signUp("retrain-owner");
  const team = await createTeamWith({ OWNER: owner });
  p = {
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: owner.id,
    apiKeyId: null,
    ip: null,
  };
  const stranger = await signUp("retrain-other");
  const t2 = await createTeamWith({ OWNER: stranger });
  other = {
    teamId: t2.id,
    actor: { kind: "user", role: "OWNER" },
    userId: stranger.id,
    apiKeyId: null,
    ip: null,
  };
  datasetVersionId = await readyVersion(p, 40);
}
