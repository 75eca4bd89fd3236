/**
 * GET /api/v1/home on real PostgreSQL: what each list holds and leaves out, scoped to the
 * caller's team (another team's versions, monitors, jobs and retrains never show), and whether
 * the caller may approve each version, as the approve endpoint would decide it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { createTeamWith, signUp } from "@/test/principals";
import { tinyJob } from "@/test/training-helpers";

const { db } = await import("@/lib/server/core/db");
const { createModel } = await import("@/lib/server/registry/models");
const { approveVersion } = await import("@/lib/server/registry/approvals");
const { getHome } = await import("./attention");
const { teamRoute } = await import("@/lib/server/core/http");
const { sessionHeaders } = await import("@/test/principals");

// The route as app/api/v1/home declares it (lib/server may not import app/).
const GET = teamRoute("team.read", async (p) => getHome(p));

const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

type Role = "OWNER" | "ENGINEER";
const as = {} as Record<Role, Principal>;
let other: Principal;
let owner: Awaited<ReturnType<typeof signUp>>;
const ids: Record<string, string> = {};

function principal(teamId: string, role: Role, userId: string): Principal {
  return { teamId, actor: { kind: "user", role }, userId, apiKeyId: null, ip: null };
}

async function job(p: Principal, modelId: string, name: string, data: Record<string, unknown>) {
  return db().trainingJob.create({
    data: {
      teamId: p.teamId,
      modelId,
      name,
      method: "LORA",
      baseModel: "retune/tiny-chat",
      datasetVersionId: "dv-fixture",
      spec: tinyJob("dv-fixture", {}, name),
      createdById: p.userId,
      ...data,
    },
  });
}

async function version(p: Principal, modelId: string, n: number, extra: object = {}) {
  return db().modelVersion.create({
    data: { teamId: p.teamId, modelId, version: n, baseModel: "retune/tiny-chat", ...extra },
  });
}

/** One of everything a home lists, and of everything it must leave out, in the team of `p`. */
async function populate(p: Principal, tag: string) {
  const gated = await createModel(p, {
    name: `gated ${tag}`,
    gatePolicy: { requireApproval: true, approverRoles: ["OWNER"], minCases: 1 },
  });
  const open = await createModel(p, { name: `open ${tag}` });
  await version(p, gated.id, 1, { stage: "PRODUCTION" });
  const launched = await job(p, gated.id, `${tag} launched`, { status: "SUCCEEDED" });
  const awaiting = await version(p, gated.id, 3, { trainingJobId: launched.id });
  const staging = await version(p, gated.id, 4, { stage: "STAGING" });
  const approved = await version(p, gated.id, 5);
  await db().approval.create({
    data: { modelVersionId: approved.id, userId: p.userId!, role: "OWNER", decision: "APPROVE" },
  });
  const failedGate = await version(p, gated.id, 6);
  await db().gateDecision.create({
    data: {
      modelVersionId: failedGate.id,
      status: "FAILED",
      passed: false,
      evidence: { failures: ["tool_call_accuracy below 0.9"] },
      policy: {},
    },
  });
  const archived = await version(p, gated.id, 7, { stage: "ARCHIVED" });
  const unasked = await version(p, open.id, 1);

  const monitor = (state: string, enabled: boolean, name: string) =>
    db().driftMonitor.create({
      data: {
        teamId: p.teamId,
        modelId: gated.id,
        name,
        metric: "tool_call_error_rate",
        windowSeconds: 3600,
        threshold: 0.1,
        comparator: "gt",
        minSamples: 10,
        cooldownSeconds: 86_400,
        intervalSeconds: 3600,
        action: "alert",
        enabled,
        state,
        lastValue: state === "WARNING" ? 0.3 : 0.02,
        lastBreachAt: state === "WARNING" ? ago(0) : null,
      },
    });
  const breached = await monitor("WARNING", true, `${tag} breached`);
  await monitor("OK", true, `${tag} fine`);
  await monitor("WARNING", false, `${tag} disabled`);

  const running = await job(p, gated.id, `${tag} running`, { status: "RUNNING", progress: 0.4 });
  const queued = await job(p, gated.id, `${tag} queued`, { status: "QUEUED" });
  const failed = await job(p, gated.id, `${tag} failed`, {
    status: "FAILED",
    error: "CUDA out of memory",
    finishedAt: ago(1),
  });
  await job(p, gated.id, `${tag} failed long ago`, { status: "FAILED", finishedAt: ago(30) });
  await job(p, gated.id, `${tag} done`, { status: "SUCCEEDED", finishedAt: ago(1) });

  const retrainJob = await job(p, gated.id, `${tag} retrain job`, { status: "SUCCEEDED" });
  const retrainVersion = await version(p, gated.id, 8, {
    stage: "ARCHIVED",
    trainingJobId: retrainJob.id,
  });
  const retrain = await db().retrainRequest.create({
    data: {
      teamId: p.teamId,
      modelId: gated.id,
      key: `drift:${tag}`,
      trigger: "DRIFT",
      status: "LAUNCHED",
      reason: "tool_call_error_rate 30.0% > 10.0%",
      trainingJobId: retrainJob.id,
    },
  });
  await db().retrainRequest.create({
    data: {
      teamId: p.teamId,
      modelId: gated.id,
      key: `schedule:${tag}`,
      trigger: "SCHEDULE",
      status: "SKIPPED",
      reason: "old news",
      createdAt: ago(30),
    },
  });
  return {
    awaiting,
    staging,
    approved,
    failedGate,
    archived,
    unasked,
    breached,
    running,
    queued,
    failed,
    retrain,
    retrainVersion,
  };
}

let mine: Awaited<ReturnType<typeof populate>>;
let theirs: Awaited<ReturnType<typeof populate>>;

beforeAll(async () => {
  owner = await signUp("home-owner");
  const engineer = await signUp("home-engineer");
  const team = await createTeamWith({ OWNER: owner, ENGINEER: engineer });
  as.OWNER = principal(team.id, "OWNER", owner.id);
  as.ENGINEER = principal(team.id, "ENGINEER", engineer.id);
  const stranger = await signUp("home-other");
  const t2 = await createTeamWith({ OWNER: stranger });
  other = principal(t2.id, "OWNER", stranger.id);
  mine = await populate(as.OWNER, "mine");
  theirs = await populate(other, "theirs");
  ids.team = team.id;
});

// The fixture's RUNNING and QUEUED jobs are LOCAL rows in the database every integration file
// shares: left so, they hold the LOCAL executor's one slot (and the FIFO queue) and every later
// file that trains waits behind them until it times out (seen in CI). They end here.
afterAll(async () => {
  await db().trainingJob.updateMany({
    where: { teamId: { in: [ids.team!, other.teamId] }, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "CANCELLED" },
  });
});

describe("the home", () => {
  it("lists versions awaiting approval, and none that are decided, failed, stale or unasked", async () => {
    const home = await getHome(as.ENGINEER, now);
    expect(home.awaitingApproval.map((v) => v.id).sort()).toEqual(
      [mine.awaiting.id, mine.staging.id].sort(),
    );
    const v3 = home.awaitingApproval.find((v) => v.id === mine.awaiting.id)!;
    expect(v3).toMatchObject({ modelName: "gated mine", version: 3, stage: "CANDIDATE" });
    expect(v3.approverRoles).toEqual(["OWNER"]);
  });

  it("says who may approve, as the approve endpoint decides", async () => {
    const engineer = (await getHome(as.ENGINEER, now)).awaitingApproval[0]!;
    expect(engineer.youMayApprove).toBe(false);
    expect(engineer.whyNot).toBe("approving needs one of the roles OWNER; you are ENGINEER");
    const key: Principal = {
      ...as.OWNER,
      actor: { kind: "apiKey", scopes: ["read"] },
      userId: null,
      apiKeyId: "k",
    };
    expect((await getHome(key, now)).awaitingApproval.every((v) => !v.youMayApprove)).toBe(true);
    expect((await getHome(as.OWNER, now)).awaitingApproval.every((v) => v.youMayApprove)).toBe(
      true,
    );
  });

  it("drops a version once it is approved", async () => {
    await approveVersion(as.OWNER, mine.staging.id, { decision: "approve" });
    const home = await getHome(as.OWNER, now);
    expect(home.awaitingApproval.map((v) => v.id)).toEqual([mine.awaiting.id]);
  });

  it("lists enabled monitors in breach only", async () => {
    const home = await getHome(as.OWNER, now);
    expect(home.breachedMonitors.map((m) => m.id)).toEqual([mine.breached.id]);
    expect(home.breachedMonitors[0]).toMatchObject({
      modelName: "gated mine",
      metric: "tool_call_error_rate",
      comparator: "gt",
      threshold: 0.1,
      lastValue: 0.3,
    });
  });

  it("lists jobs in flight, and jobs that failed in the last week", async () => {
    const home = await getHome(as.OWNER, now);
    expect(home.runningJobs.map((j) => j.id).sort()).toEqual(
      [mine.running.id, mine.queued.id].sort(),
    );
    expect(home.failedJobs.map((j) => j.id)).toEqual([mine.failed.id]);
    expect(home.failedJobs[0]!.error).toBe("CUDA out of memory");
  });

  it("lists the last week's retrains with the job and the version they made", async () => {
    const home = await getHome(as.OWNER, now);
    expect(home.recentRetrains).toHaveLength(1);
    expect(home.recentRetrains[0]).toMatchObject({
      id: mine.retrain.id,
      trigger: "DRIFT",
      status: "LAUNCHED",
      jobStatus: "SUCCEEDED",
      modelVersionId: mine.retrainVersion.id,
    });
  });

  it("never shows another team's objects", async () => {
    const home = JSON.stringify(await getHome(as.OWNER, now));
    for (const row of Object.values(theirs)) expect(home).not.toContain(row.id);
    const theirHome = JSON.stringify(await getHome(other, now));
    for (const row of Object.values(mine)) expect(theirHome).not.toContain(row.id);
  });

  it("answers the route for the signed-in team's member", async () => {
    const res = await GET(
      new Request("http://localhost:3999/api/v1/home", {
        headers: sessionHeaders(owner, ids.team),
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { breachedMonitors: { id: string }[] };
    expect(body.breachedMonitors.map((m) => m.id)).toEqual([mine.breached.id]);
  });
});
