/**
 * The registry workflow on real PostgreSQL: gate decisions from stored eval runs, promotion
 * blocked with the failing conditions named, OWNER override (audited) vs ENGINEER override
 * (refused), approval, one PRODUCTION version at a time (also under concurrent promotions),
 * rollback, the model card and the webhook notifications each step queues; no evidence is never
 * a pass (no eval, no policy), and a suite built on the candidate's training rows fails the gate
 * as leakage. Eval runs are written as the evaluation worker writes them; real generation is
 * covered in eval-runs.int.test.ts and the e2e spec.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import type { CaseScores } from "@/lib/schemas/eval-metrics";
import { createTeamWith, signUp } from "@/test/principals";
import type { Principal } from "@/lib/server/core/principal";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-registry-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { createModel, getModel } = await import("./models");
const { afterEvalRun } = await import("./after-eval-run");
const { approveVersion } = await import("./approvals");
const { getVersionDetail } = await import("./version-detail");
const { promoteVersion } = await import("./stage-changes");
const { setAliases } = await import("./aliases");
const { getModelCard, getModelCardMarkdown } = await import("./model-cards");
const { compareVersion } = await import("./version-compare");
const { autoPromote } = await import("./stage-changes");
const { HttpError } = await import("@/lib/server/core/errors");
const { createEvalSuite } = await import("@/lib/server/evals/suites");
const { loadEvalCases } = await import("@/lib/server/evals/cases");
const { readyVersion, tinyJob } = await import("@/test/training-helpers");

type Role = "OWNER" | "ADMIN" | "ENGINEER";
const as = {} as Record<Role, Principal>;
let teamId: string;
let suiteId: string;

function principal(role: Role, userId: string): Principal {
  return { teamId, actor: { kind: "user", role }, userId, apiKeyId: null, ip: null };
}

async function refused(p: Promise<unknown>): Promise<InstanceType<typeof HttpError>> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!(e instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(e)}`);
  return e;
}

/** A version with an adapter on disk that vLLM can serve (rank 8, no DoRA). */
async function version(modelId: string, n: number, trainingJobId: string | null = null) {
  const uri = `artifact:models/${modelId}/v${n}`;
  const dir = path.join(artifactDir, "models", modelId, `v${n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "adapter_config.json"),
    JSON.stringify({ peft_type: "LORA", r: 8, lora_alpha: 16, target_modules: ["q_proj"] }),
  );
  writeFileSync(path.join(dir, "adapter_model.safetensors"), "x");
  return db().modelVersion.create({
    data: {
      teamId,
      modelId,
      version: n,
      baseModel: "retune/tiny-chat",
      adapterUri: uri,
      adapterFiles: [{ name: "adapter_config.json", bytes: 60 }],
      trainingJobId,
    },
  });
}

/** A finished eval run of `versionId` (on `suite`, default the shared one) passing as `passes` says. */
async function evaluated(versionId: string, passes: boolean[], suite = suiteId) {
  const accuracy = passes.filter(Boolean).length / passes.length;
  const run = await db().evalRun.create({
    data: {
      teamId,
      suiteId: suite,
      targetKind: "MODEL_VERSION",
      target: { label: "version", modelVersionId: versionId },
      targetKey: `model-version:${versionId}`,
      modelVersionId: versionId,
      inputHash: `h-${versionId}-${suite}`,
      status: "SUCCEEDED",
      metrics: { tool_call_accuracy: accuracy, json_validity: 1, latency_p95_ms: 120 },
      caseCount: passes.length,
      casesDone: passes.length,
      finishedAt: new Date(),
    },
  });
  await db().evalCaseResult.createMany({
    data: passes.map((ok, index) => {
      const scores: CaseScores = {
        scores: { tool_call_accuracy: ok ? 1 : 0, json_validity: 1 },
        reasons: ok ? {} : { tool_call_accuracy: 'get_order: missing required argument "id"' },
        slice: { tool: "get_order", intent: null },
      };
      return {
        evalRunId: run.id,
        index,
        passed: ok,
        input: { messages: [{ role: "user", content: `case ${index}` }], tools: [] },
        expected: {
          text: null,
          toolCalls: [{ name: "get_order", arguments: { id: String(index) } }],
        },
        output: {
          text: "",
          toolCalls: ok ? [{ name: "get_order", arguments: { id: String(index) } }] : [],
          latencyMs: 100,
          promptTokens: 10,
          completionTokens: 5,
        },
        scores,
      };
    }),
  });
  await afterEvalRun(run.id);
  return run;
}

beforeAll(async () => {
  const users = {
    OWNER: await signUp("reg-owner"),
    ADMIN: await signUp("reg-admin"),
    ENGINEER: await signUp("reg-engineer"),
  };
  const team = await createTeamWith(users);
  teamId = team.id;
  for (const role of ["OWNER", "ADMIN", "ENGINEER"] as const)
    as[role] = principal(role, users[role].id);
  const ds = await db().dataset.create({ data: { teamId, name: "reg-evals" } });
  const dv = await db().datasetVersion.create({
    data: {
      teamId,
      datasetId: ds.id,
      version: 1,
      contentHash: "1".repeat(64),
      storageUri: "artifact:none",
      status: "READY",
    },
  });
  suiteId = (
    await db().evalSuite.create({
      data: { teamId, name: "reg-suite", datasetVersionId: dv.id, scorers: ["tool_call"] },
    })
  ).id;
  await db().webhook.create({
    data: { teamId, url: "https://hooks.example.test/reg", secretName: "none", events: ["*"] },
  });
});

describe("gates, promotion and rollback", () => {
  let modelId: string;
  let v1: { id: string };
  let v2: { id: string };

  it("blocks a failing gate with its conditions named, refuses an ENGINEER override and audits an OWNER's", async () => {
    const model = await createModel(as.ENGINEER, {
      name: "support tool caller",
      evalSuiteId: suiteId,
      gatePolicy: {
        conditions: [
          { metric: "tool_call_accuracy", op: ">=", threshold: 0.75 },
          { metric: "tool_call_accuracy", op: ">=", threshold: -0.01, relativeTo: "production" },
        ],
        minCases: 4,
        requireApproval: true,
        approverRoles: ["OWNER", "ADMIN"],
      },
    });
    modelId = model.id;
    v1 = await version(modelId, 1);
    await evaluated(v1.id, [true, false, true, false]); // 0.5

    await db().evalRun.create({
      data: {
        teamId,
        suiteId,
        targetKind: "BASE_MODEL",
        target: { label: "retune/tiny-chat (base)", baseModel: "retune/tiny-chat" },
        targetKey: "base-model:retune/tiny-chat",
        inputHash: "h-base",
        status: "SUCCEEDED",
        metrics: { tool_call_accuracy: 0 },
      },
    });
    const detail = await getVersionDetail(as.ENGINEER, v1.id);
    // No production version yet: the base model's run shows as the base model.
    expect(detail.evals.map((e) => e.target.kind)).toEqual(["MODEL_VERSION", "BASE_MODEL"]);
    expect(detail.gate.status).toBe("FAILED");
    expect(detail.gate.failures.join(" ")).toContain("tool_call_accuracy");

    const blocked = await refused(promoteVersion(as.ENGINEER, v1.id, { stage: "PRODUCTION" }));
    expect(blocked.status).toBe(409);
    expect(blocked.message).toContain("tool_call_accuracy");
    expect(blocked.message).toContain("approval");

    const engineer = await refused(
      promoteVersion(as.ENGINEER, v1.id, { stage: "PRODUCTION", override: true, reason: "hotfix" }),
    );
    expect(engineer.status).toBe(403);
    expect((await db().modelVersion.findUniqueOrThrow({ where: { id: v1.id } })).stage).toBe(
      "CANDIDATE",
    );

    const noReason = await refused(
      promoteVersion(as.OWNER, v1.id, { stage: "PRODUCTION", override: true } as never),
    ).catch((e: unknown) => e);
    expect(String((noReason as Error).message ?? noReason)).toMatch(/reason/);

    const done = await promoteVersion(as.OWNER, v1.id, {
      stage: "PRODUCTION",
      override: true,
      reason: "the old prompt-only path is worse; accepted for a week",
    });
    expect(done.stage).toBe("PRODUCTION");
    expect(done.promotions[0]).toMatchObject({ toStage: "PRODUCTION", override: true });
    const audit = await db().auditEvent.findFirst({
      where: { teamId, action: "model-version.promote-override", targetId: v1.id },
    });
    expect(audit?.actorUserId).toBe(as.OWNER.userId);
    expect((audit?.metadata as { reason?: string }).reason).toContain("accepted for a week");
  });

  it("passes a better candidate's gate, waits for approval, and swaps production atomically", async () => {
    v2 = await version(modelId, 2);
    await evaluated(v2.id, [true, true, true, true]); // 1.0 vs production 0.5
    const detail = await getVersionDetail(as.ENGINEER, v2.id);
    expect(detail.gate.status).toBe("PASSED");
    expect(detail.gate.conditions.map((c) => c.passed)).toEqual([true, true]);
    expect(detail.evals.map((e) => e.target.kind)).toEqual([
      "MODEL_VERSION",
      "PRODUCTION",
      "BASE_MODEL",
    ]);
    expect(detail.approval).toMatchObject({ required: true, status: "PENDING" });

    const waiting = await refused(promoteVersion(as.ENGINEER, v2.id, { stage: "PRODUCTION" }));
    expect(waiting.status).toBe(409);
    expect(waiting.message).toContain("approval by OWNER or ADMIN is required");

    const byEngineer = await refused(approveVersion(as.ENGINEER, v2.id, { decision: "approve" }));
    expect(byEngineer.status).toBe(403);
    await approveVersion(as.ADMIN, v2.id, { decision: "approve", comment: "fixes order lookups" });

    const promoted = await promoteVersion(as.ENGINEER, v2.id, { stage: "PRODUCTION" });
    expect(promoted.stage).toBe("PRODUCTION");
    const stages = await db().modelVersion.findMany({
      where: { modelId },
      orderBy: { version: "asc" },
      select: { stage: true },
    });
    expect(stages.map((s) => s.stage)).toEqual(["ARCHIVED", "PRODUCTION"]);

    const comparison = await compareVersion(as.ENGINEER, v2.id, v1.id);
    expect(comparison.counts).toEqual({ fixed: 2, broken: 0, same: 2 });
    expect(comparison.cases[0]!.change).toBe("fixed");
  });

  it("rolls back to the earlier production version without a new gate, one PRODUCTION at a time", async () => {
    const back = await promoteVersion(as.ENGINEER, v1.id, { stage: "PRODUCTION" });
    expect(back.stage).toBe("PRODUCTION");
    expect(back.promotions[0]).toMatchObject({ kind: "rollback", toStage: "PRODUCTION" });
    const model = await getModel(as.ENGINEER, modelId);
    expect(model.production).toMatchObject({ id: v1.id, version: 1 });
    expect(model.versions.filter((v) => v.stage === "PRODUCTION")).toHaveLength(1);

    // Two promotions racing: the Model row lock serializes them; one PRODUCTION remains.
    await Promise.allSettled([
      promoteVersion(as.OWNER, v2.id, { stage: "PRODUCTION" }),
      promoteVersion(as.OWNER, v1.id, { stage: "STAGING" }),
    ]);
    const production = await db().modelVersion.count({ where: { modelId, stage: "PRODUCTION" } });
    expect(production).toBe(1);

    const kinds = await db().webhookDelivery.findMany({
      where: { webhook: { teamId } },
      select: { event: true },
    });
    const events = new Set(kinds.map((k) => k.event));
    for (const e of ["gate_failed", "gate_passed", "awaiting_approval", "promoted", "rolled_back"])
      expect(events, e).toContain(e);
  });

  it("moves an alias from the version that held it", async () => {
    await setAliases(as.ENGINEER, v1.id, { aliases: ["champion", "stable"] });
    const after = await setAliases(as.ENGINEER, v2.id, { aliases: ["champion"] });
    expect(after.aliases).toEqual(["champion"]);
    const first = await db().modelVersion.findUniqueOrThrow({ where: { id: v1.id } });
    expect(first.aliases).toEqual(["stable"]);
    await expect(setAliases(as.ENGINEER, v1.id, { aliases: ["Not An Alias"] })).rejects.toThrow(
      /lower-case/,
    );
  });

  it("writes a model card from the data and exports it as Markdown with front matter", async () => {
    const card = await getModelCard(as.ENGINEER, v2.id);
    expect(card.version.version).toBe(2);
    expect(card.evals.find((e) => e.targetKind === "VERSION")?.metrics.tool_call_accuracy).toBe(1);
    expect(card.approvals[0]).toMatchObject({
      decision: "APPROVED",
      comment: "fixes order lookups",
    });
    // People by name wherever an actor is shown, as the version page and audit log name them.
    expect(card.approvals[0]!.by).toBe("reg-admin");
    const history = card.history.find((h) => h.version === 2)!;
    expect(history.promotions.map((pr) => pr.by)).toContain("reg-engineer");
    expect(JSON.stringify(card)).not.toContain("a team member");
    const { text: md, filename } = await getModelCardMarkdown(as.ENGINEER, v2.id);
    // Named for the Model and version, not an id.
    expect(filename).toMatch(/^[a-z0-9._-]+-v2-model-card\.md$/);
    expect(filename.startsWith(card.model.name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-"))).toBe(
      true,
    );
    const [, front, body] = md.split(/^---$/m);
    const meta = parse(front!) as Record<string, unknown>;
    expect(meta.base_model).toBe("retune/tiny-chat");
    expect(meta.library_name).toBe("peft");
    expect(body).toContain("tool_call_accuracy");
  });

  it("keeps another team's versions out of reach", async () => {
    const outsider = await signUp("reg-outsider");
    const other = await createTeamWith({ OWNER: outsider });
    const p: Principal = {
      teamId: other.id,
      actor: { kind: "user", role: "OWNER" },
      userId: outsider.id,
      apiKeyId: null,
      ip: null,
    };
    expect((await refused(getVersionDetail(p, v2.id))).status).toBe(404);
    expect(
      (await refused(promoteVersion(p, v2.id, { stage: "ARCHIVED", override: false }))).status,
    ).toBe(404);
  });
});

describe("no evidence is never a pass", () => {
  let modelId: string;
  let v1: { id: string };

  it("shows a policy-less, unevaluated version as NOT_EVALUATED everywhere, never PASSED", async () => {
    const model = await createModel(as.ENGINEER, { name: "no gate and no suite" });
    modelId = model.id;
    v1 = await version(modelId, 1);

    const detail = await getVersionDetail(as.ENGINEER, v1.id);
    expect(detail.gate.status).toBe("NOT_EVALUATED");
    expect(detail.gate.failures).toContain("no evaluation of this version has finished");
    expect(detail.gate.failures).toContain(
      "the Model has no gate policy: add one to decide this version",
    );
    expect((await getModel(as.ENGINEER, modelId)).versions[0]!.gateStatus).toBe("NOT_EVALUATED");

    const card = await getModelCard(as.ENGINEER, v1.id);
    expect(card.gateStatus).toBe("NOT_EVALUATED");
    expect(card.gateFailures).toEqual(detail.gate.failures);
    const { text: md } = await getModelCardMarkdown(as.ENGINEER, v1.id);
    expect(md).toContain("**Status: NOT_EVALUATED**");
    expect(md).not.toContain("PASSED");
  });

  it("refuses PRODUCTION with a 409 naming the missing evidence; STAGING needs none", async () => {
    const blocked = await refused(promoteVersion(as.OWNER, v1.id, { stage: "PRODUCTION" }));
    expect(blocked.status).toBe(409);
    expect(blocked.code).toBe("promotion_blocked");
    expect(blocked.message).toContain("no evaluation of this version has finished");

    const staged = await promoteVersion(as.ENGINEER, v1.id, { stage: "STAGING" });
    expect(staged.stage).toBe("STAGING");
    const still = await refused(promoteVersion(as.OWNER, v1.id, { stage: "PRODUCTION" }));
    expect(still.status).toBe(409);

    // Evaluated on a suite but still no policy: evidence, nothing to decide it: PENDING.
    await db().model.update({ where: { id: modelId }, data: { evalSuiteId: suiteId } });
    await evaluated(v1.id, [true, true, true, true]);
    const detail = await getVersionDetail(as.ENGINEER, v1.id);
    expect(detail.gate.status).toBe("PENDING");
    expect(detail.gate.failures).toEqual([
      "the Model has no gate policy: add one to decide this version",
    ]);
    expect((await getModel(as.ENGINEER, modelId)).versions[0]!.gateStatus).toBe("PENDING");
    const noPolicy = await refused(promoteVersion(as.OWNER, v1.id, { stage: "PRODUCTION" }));
    expect(noPolicy.status).toBe(409);
    expect(noPolicy.message).toContain("no gate policy");
    expect(
      await db().promotion.count({ where: { modelVersionId: v1.id, toStage: "PRODUCTION" } }),
    ).toBe(0);
  });

  it("lets an OWNER override, audited, and a rollback needs no new gate", async () => {
    const v2 = await version(modelId, 2);
    const engineer = await refused(
      promoteVersion(as.ENGINEER, v2.id, { stage: "PRODUCTION", override: true, reason: "x" }),
    );
    expect(engineer.status).toBe(403);
    const done = await promoteVersion(as.OWNER, v1.id, {
      stage: "PRODUCTION",
      override: true,
      reason: "shipping the prompt-only fix before the gate exists",
    });
    expect(done.stage).toBe("PRODUCTION");
    expect(done.promotions[0]).toMatchObject({ toStage: "PRODUCTION", override: true });
    const audit = await db().auditEvent.findFirst({
      where: { teamId, action: "model-version.promote-override", targetId: v1.id },
    });
    expect(audit?.actorUserId).toBe(as.OWNER.userId);
    expect((audit?.metadata as { reason?: string }).reason).toContain("before the gate exists");

    await promoteVersion(as.OWNER, v2.id, {
      stage: "PRODUCTION",
      override: true,
      reason: "try v2 for a day",
    });
    const back = await promoteVersion(as.ENGINEER, v1.id, { stage: "PRODUCTION" });
    expect(back.stage).toBe("PRODUCTION");
    expect(back.promotions[0]).toMatchObject({ kind: "rollback", override: false });
  });

  it("with a policy: NOT_EVALUATED before any run, PENDING while one runs, and no auto-promotion", async () => {
    const model = await createModel(as.ENGINEER, {
      name: "gated and auto-promoting",
      evalSuiteId: suiteId,
      gatePolicy: {
        conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.5 }],
        minCases: 1,
        autoPromoteTo: "PRODUCTION",
      },
    });
    const v = await version(model.id, 1);
    const detail = await getVersionDetail(as.ENGINEER, v.id);
    expect(detail.gate.status).toBe("NOT_EVALUATED");
    expect(detail.gate.failures).toEqual(["no evaluation of this version has finished"]);
    expect((await getModel(as.ENGINEER, model.id)).versions[0]!.gateStatus).toBe("NOT_EVALUATED");
    expect(await autoPromote(v.id)).toBe(false);
    const blocked = await refused(promoteVersion(as.OWNER, v.id, { stage: "PRODUCTION" }));
    expect(blocked.message).toContain("no evaluation of this version has finished");

    await db().evalRun.create({
      data: {
        teamId,
        suiteId,
        targetKind: "MODEL_VERSION",
        target: { label: "version", modelVersionId: v.id },
        targetKey: `model-version:${v.id}`,
        modelVersionId: v.id,
        inputHash: `h-running-${v.id}`,
        status: "RUNNING",
      },
    });
    expect((await getVersionDetail(as.ENGINEER, v.id)).gate.status).toBe("PENDING");
    expect((await getModel(as.ENGINEER, model.id)).versions[0]!.gateStatus).toBe("PENDING");
    expect(await autoPromote(v.id)).toBe(false);
    expect((await db().modelVersion.findUniqueOrThrow({ where: { id: v.id } })).stage).toBe(
      "CANDIDATE",
    );
  });
});

describe("leakage: a suite built on the candidate's training rows", () => {
  let trainingVersionId: string;
  let allSuite: string;
  let evalSuite: string;
  let allCases: number;
  let evalCases: number;

  /** A gated Model on `suite` and a version trained (on paper) by a job on the dataset. */
  async function trainedCandidate(name: string, suite: string) {
    const model = await createModel(as.ENGINEER, {
      name,
      evalSuiteId: suite,
      gatePolicy: {
        conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.5 }],
        minCases: 1,
      },
    });
    const job = await db().trainingJob.create({
      data: {
        teamId,
        modelId: model.id,
        name: `${name} job`,
        status: "SUCCEEDED",
        method: "LORA",
        baseModel: "retune/tiny-chat",
        datasetVersionId: trainingVersionId,
        spec: tinyJob(trainingVersionId) as object,
      },
    });
    return version(model.id, 1, job.id);
  }

  beforeAll(async () => {
    trainingVersionId = await readyVersion(as.ENGINEER, 120);
    const mk = async (split: "all" | "eval") =>
      (
        await createEvalSuite(as.ENGINEER, {
          name: `leak-${split}`,
          datasetVersionId: trainingVersionId,
          split,
          scorers: ["tool_call"],
        })
      ).id;
    allSuite = await mk("all");
    evalSuite = await mk("eval");
    const row = await db().datasetVersion.findUniqueOrThrow({ where: { id: trainingVersionId } });
    allCases = (
      await loadEvalCases({ datasetVersionId: row.id, split: "all", turns: "first" }, row)
    ).cases.length;
    evalCases = (
      await loadEvalCases({ datasetVersionId: row.id, split: "eval", turns: "first" }, row)
    ).cases.length;
    expect(evalCases).toBeGreaterThan(0);
    expect(allCases).toBeGreaterThan(evalCases);
  });

  it('fails the gate of a candidate scored on split "all" of its own training data, with the count as evidence', async () => {
    const v = await trainedCandidate("leaky suite", allSuite);
    await evaluated(v.id, [true, true, true, true], allSuite);
    const detail = await getVersionDetail(as.ENGINEER, v.id);
    expect(detail.gate.status).toBe("FAILED");
    const overlap = allCases - evalCases; // the train side: every case not held out
    expect(detail.gate.failures).toEqual([
      `${overlap} of ${allCases} suite cases are in the candidate's training data (leakage)`,
    ]);
    const stored = await db().gateDecision.findFirstOrThrow({
      where: { modelVersionId: v.id },
      orderBy: { createdAt: "desc" },
    });
    expect(stored.passed).toBe(false);
    expect((stored.evidence as { leakage?: unknown }).leakage).toMatchObject({
      suiteDatasetVersionId: trainingVersionId,
      suiteSplit: "all",
      trainingDatasetVersionId: trainingVersionId,
      suiteCases: allCases,
      overlapping: overlap,
    });
    const blocked = await refused(promoteVersion(as.OWNER, v.id, { stage: "PRODUCTION" }));
    expect(blocked.status).toBe(409);
    expect(blocked.message).toContain("(leakage)");
    // Computed once per (suite data, training data) pair and kept on disk.
    const cached = readdirSync(path.join(artifactDir, "eval-leakage")).filter((f) =>
      f.endsWith(".json"),
    );
    expect(
      cached.some((f) => f.startsWith(`${trainingVersionId}__all__${trainingVersionId}`)),
    ).toBe(true);
  });

  it("passes a candidate scored on the dataset's held-out eval split: no overlap", async () => {
    const v = await trainedCandidate("held-out suite", evalSuite);
    await evaluated(v.id, [true, true, true, true], evalSuite);
    const detail = await getVersionDetail(as.ENGINEER, v.id);
    expect(detail.gate.status).toBe("PASSED");
    expect(detail.gate.evidence?.leakage).toMatchObject({
      suiteSplit: "eval",
      suiteCases: evalCases,
      overlapping: 0,
    });
  });
});
