/**
 * The registry workflow on real PostgreSQL: gate decisions from stored eval runs, promotion
 * blocked with the failing conditions named, OWNER override (audited) vs ENGINEER override
 * (refused), approval, one PRODUCTION version at a time (also under concurrent promotions),
 * rollback, the model card and the webhook notifications each step queues. Eval runs are written
 * as the evaluation worker writes them; real generation is covered in eval-runs.int.test.ts and
 * the e2e spec.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
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
const { HttpError } = await import("@/lib/server/core/errors");

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
async function version(modelId: string, n: number) {
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
    },
  });
}

/** A finished eval run of `versionId` whose cases pass as `passes` says. */
async function evaluated(versionId: string, passes: boolean[]) {
  const accuracy = passes.filter(Boolean).length / passes.length;
  const run = await db().evalRun.create({
    data: {
      teamId,
      suiteId,
      targetKind: "MODEL_VERSION",
      target: { label: "version", modelVersionId: versionId },
      targetKey: `model-version:${versionId}`,
      modelVersionId: versionId,
      inputHash: `h-${versionId}`,
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
    const md = await getModelCardMarkdown(as.ENGINEER, v2.id);
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
