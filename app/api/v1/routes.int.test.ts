/**
 * Every /api/v1 route, found on disk (so a route added later is covered without editing this
 * file), called in-process with real PostgreSQL: 401 without credentials or with a bogus key,
 * 404 for another team's ids, 403 for every role and key the permission table refuses.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, can, ROLES, type Role } from "@/lib/domain/permissions";
import type { RouteHandler } from "@/lib/server/core/http";
import { db } from "@/lib/server/core/db";
import { createTeamWith, keyFor, sessionHeaders, signUp, type TestUser } from "@/test/principals";
import { tinyJob } from "@/test/training-helpers";

const API_DIR = path.resolve(import.meta.dirname);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type Route = {
  pattern: string;
  file: string;
  method: (typeof METHODS)[number];
  handler: RouteHandler;
};

async function discoverRoutes(): Promise<Route[]> {
  const files = (readdirSync(API_DIR, { recursive: true }) as string[]).filter((f) =>
    f.endsWith("route.ts"),
  );
  const routes: Route[] = [];
  for (const file of files.sort()) {
    const mod = (await import(path.join(API_DIR, file))) as Record<
      string,
      RouteHandler | undefined
    >;
    const pattern = `/api/v1/${path.dirname(file)}`.replace(/\/\.$/, "");
    for (const method of METHODS) {
      const handler = mod[method];
      if (handler) routes.push({ pattern, file, method, handler });
    }
  }
  return routes;
}

/** Request bodies that pass validation, so a 404 check reaches the lookup. Default: {}. */
const SAMPLE_BODIES: Record<string, unknown> = {
  "PATCH /api/v1/members/[id]": { role: "VIEWER" },
  "PUT /api/v1/secrets/[name]": { value: "sample-secret-value" },
  "POST /api/v1/webhooks": { url: "https://hooks.example.test/retune", events: ["*"] },
  "POST /api/v1/models": { name: "sample model" },
  "POST /api/v1/model-versions/[id]/approve": { decision: "approve" },
  "POST /api/v1/model-versions/[id]/promote": { stage: "STAGING" },
  "PUT /api/v1/model-versions/[id]/aliases": { aliases: ["champion"] },
  "POST /api/v1/model-versions/[id]/routing-calibration": {
    candidateRunId: "no-such-run",
    frontierRunId: "no-such-run-either",
  },
  "POST /api/v1/datasets/[id]/versions/from-traces": { traceIds: ["no-such-trace"] },
};

/**
 * Routes whose parameter is a name in the caller's own namespace, created when absent: another
 * team's name is simply a new name here (checked below: it lands in the caller's team and the
 * other team's row is untouched).
 */
const UPSERTS_BY_NAME = new Set(["PUT /api/v1/secrets/[name]"]);

type Ids = Record<string, string>;
let routes: Route[];
const users = {} as Record<Role, TestUser>;
let outsider: TestUser;
let teamA: { id: string };
let ownIds: Ids;
let foreignIds: Ids;
let keys: { all: string; telemetry: string };

function fill(pattern: string, ids: Ids): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_, param: string, offset: number) => {
    const collection = pattern.slice(0, offset).split("/").filter(Boolean).at(-1)!;
    const id = ids[collection];
    if (!id)
      throw new Error(`no fixture id for ${param} under /${collection}: add one to this test`);
    return id;
  });
}

async function call(r: Route, headers: Record<string, string>, ids: Ids = ownIds) {
  const url = `http://localhost:3999${fill(r.pattern, ids)}`;
  const hasBody = r.method !== "GET" && r.method !== "DELETE";
  const req = new Request(url, {
    method: r.method,
    headers: { ...headers, ...(hasBody ? { "content-type": "application/json" } : {}) },
    ...(hasBody ? { body: JSON.stringify(SAMPLE_BODIES[`${r.method} ${r.pattern}`] ?? {}) } : {}),
  });
  const params = Object.fromEntries(
    [...r.pattern.matchAll(/\[([^\]]+)\]/g)].map((m) => [
      m[1],
      new URL(url).pathname.split("/")[r.pattern.split("/").indexOf(m[0])],
    ]),
  );
  const res = await r.handler(req, { params: Promise.resolve(params) });
  return {
    status: res.status,
    body: (await res.json().catch(() => null)) as { error?: { code: string } } | null,
  };
}

beforeAll(async () => {
  routes = await discoverRoutes();
  for (const role of ROLES) users[role] = await signUp(role.toLowerCase());
  outsider = await signUp("outsider");
  teamA = await createTeamWith(users);
  // Allowed calls really run (a DELETE deletes), so they act on a bystander, not on the
  // members whose roles this test exercises.
  const bystander = await signUp("bystander");
  const bystanderMembership = await db().member.create({
    data: { teamId: teamA.id, userId: bystander.id, role: "VIEWER" },
  });
  const teamB = await createTeamWith({ OWNER: outsider });

  const outsiderMembership = await db().member.findFirstOrThrow({ where: { teamId: teamB.id } });
  const mkInvitation = (teamId: string) =>
    db().invitation.create({
      data: {
        teamId,
        email: `x-${teamId}@example.test`,
        role: "VIEWER",
        tokenHash: `h-${teamId}`,
        invitedById: "",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
  const [invA, invB] = [await mkInvitation(teamA.id), await mkInvitation(teamB.id)];
  const keyA = await keyFor(teamA.id, users.OWNER.id, ["read"]);
  const mkDataset = async (teamId: string) => {
    const d = await db().dataset.create({ data: { teamId, name: `d-${teamId}` } });
    const v = await db().datasetVersion.create({
      data: {
        teamId,
        datasetId: d.id,
        version: 1,
        contentHash: "0".repeat(64),
        storageUri: "artifact:none",
      },
    });
    return { dataset: d.id, version: v.id };
  };
  const [dsA, dsB] = [await mkDataset(teamA.id), await mkDataset(teamB.id)];
  const mkTraining = async (teamId: string, datasetVersionId: string) => {
    const model = await db().model.create({ data: { teamId, name: `m-${teamId}` } });
    const job = await db().trainingJob.create({
      data: {
        teamId,
        modelId: model.id,
        name: "j",
        status: "FAILED",
        method: "LORA",
        baseModel: "retune/tiny-chat",
        datasetVersionId,
        // As a launch stores it (parsed): GET /training-jobs/{id} reads the spec back.
        spec: tinyJob(datasetVersionId, { maxSteps: 5 }, model.name),
        attempts: { create: { attempt: 1, status: "FAILED" } },
      },
    });
    const version = await db().modelVersion.create({
      data: { teamId, modelId: model.id, version: 1, baseModel: "retune/tiny-chat" },
    });
    return { job: job.id, version: version.id, model: model.id };
  };
  const [trA, trB] = [
    await mkTraining(teamA.id, dsA.version),
    await mkTraining(teamB.id, dsB.version),
  ];
  const keyB = await keyFor(teamB.id, outsider.id, ["read"]);
  const mkEval = async (teamId: string, datasetVersionId: string) => {
    const suite = await db().evalSuite.create({
      data: { teamId, name: `s-${teamId}`, datasetVersionId, scorers: ["tool_call"] },
    });
    const run = await db().evalRun.create({
      data: {
        teamId,
        suiteId: suite.id,
        targetKind: "BASE_MODEL",
        target: { label: "tiny (base)", baseModel: "retune/tiny-chat" },
        targetKey: "base-model:retune/tiny-chat",
        inputHash: "0".repeat(64),
      },
    });
    return { suite: suite.id, run: run.id };
  };
  const [evA, evB] = [await mkEval(teamA.id, dsA.version), await mkEval(teamB.id, dsB.version)];
  const mkSecret = (teamId: string, name: string) =>
    db().teamSecret.create({ data: { teamId, name, ciphertext: "v1:AA==:AA==:AA==" } });
  const mkWebhook = (teamId: string) =>
    db().webhook.create({
      data: { teamId, url: "https://hooks.example.test/x", secretName: "none", events: ["*"] },
    });
  const [secretA, secretB] = [
    await mkSecret(teamA.id, "own-secret"),
    await mkSecret(teamB.id, "foreign-secret"),
  ];
  const [hookA, hookB] = [await mkWebhook(teamA.id), await mkWebhook(teamB.id)];
  const mkMonitor = (teamId: string, modelId: string) =>
    db().driftMonitor.create({
      data: {
        teamId,
        modelId,
        name: "errors",
        metric: "tool_call_error_rate",
        windowSeconds: 3600,
        threshold: 0.2,
        comparator: "gt",
        minSamples: 10,
        cooldownSeconds: 0,
        intervalSeconds: 300,
        action: "alert",
      },
    });
  const [monA, monB] = [await mkMonitor(teamA.id, trA.model), await mkMonitor(teamB.id, trB.model)];
  const mkTrace = (teamId: string, modelId: string) =>
    db().trace.create({
      data: {
        teamId,
        modelId,
        traceId: `t-${teamId}`,
        timestamp: new Date(),
        outcome: "success",
        storageUri: "artifact:traces/none.jsonl",
        offset: 0n,
        length: 2,
        messageCount: 2,
        toolsCalled: [],
      },
    });
  const [traceA, traceB] = [await mkTrace(teamA.id, trA.model), await mkTrace(teamB.id, trB.model)];
  ownIds = {
    members: bystanderMembership.id,
    invitations: invA.id,
    "api-keys": keyA.id,
    datasets: dsA.dataset,
    "dataset-versions": dsA.version,
    "training-jobs": trA.job,
    "model-versions": trA.version,
    models: trA.model,
    "eval-suites": evA.suite,
    "eval-runs": evA.run,
    secrets: secretA.name,
    webhooks: hookA.id,
    monitors: monA.id,
    traces: traceA.id,
    // A kept checkpoint's name under its job (GET /training-jobs/[id]/checkpoints/[name]).
    checkpoints: "checkpoint-1",
  };
  foreignIds = {
    members: outsiderMembership.id,
    invitations: invB.id,
    "api-keys": keyB.id,
    datasets: dsB.dataset,
    "dataset-versions": dsB.version,
    "training-jobs": trB.job,
    "model-versions": trB.version,
    models: trB.model,
    "eval-suites": evB.suite,
    "eval-runs": evB.run,
    secrets: secretB.name,
    webhooks: hookB.id,
    monitors: monB.id,
    traces: traceB.id,
    checkpoints: "checkpoint-1",
  };
  keys = {
    all: (await keyFor(teamA.id, users.OWNER.id, ["read", "write", "telemetry"])).key,
    telemetry: (await keyFor(teamA.id, users.OWNER.id, ["telemetry"])).key,
  };
});

describe("every /api/v1 route", () => {
  it("is discovered from app/api/v1", () => {
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.map((r) => `${r.method} ${r.pattern}`)).toContain("GET /api/v1/health");
    for (const r of routes)
      expect(
        r.handler.meta,
        `${r.method} ${r.pattern} must be built with lib/server/http`,
      ).toBeDefined();
  });

  it("answers 401 without credentials and with a bogus key", async () => {
    for (const r of routes.filter((x) => x.handler.meta.auth !== "public")) {
      const none = await call(r, {});
      expect(none.status, `${r.method} ${r.pattern} without credentials`).toBe(401);
      const bogus = await call(r, {
        authorization: "Bearer rt_thisKeyDoesNotExist0000000000000000000",
      });
      expect(bogus.status, `${r.method} ${r.pattern} with a bogus key`).toBe(401);
      const garbage = await call(r, { authorization: "Basic Zm9vOmJhcg==" });
      expect(garbage.status, `${r.method} ${r.pattern} with a non-bearer Authorization`).toBe(401);
    }
  });

  it("answers 404 for another team's ids, to its most powerful member and to API keys", async () => {
    const withIds = routes.filter(
      (r) =>
        r.pattern.includes("[") &&
        r.handler.meta.auth === "team" &&
        !UPSERTS_BY_NAME.has(`${r.method} ${r.pattern}`),
    );
    expect(withIds.length).toBeGreaterThan(0);
    for (const r of withIds) {
      const asOwner = await call(r, sessionHeaders(users.OWNER, teamA.id), foreignIds);
      expect(asOwner.status, `${r.method} ${r.pattern} as OWNER of another team`).toBe(404);
      expect(asOwner.body?.error?.code).toBe("not_found");
      const meta = r.handler.meta;
      if (
        meta.auth === "team" &&
        can({ kind: "apiKey", scopes: ["read", "write", "telemetry"] }, meta.action)
      ) {
        const asKey = await call(r, { authorization: `Bearer ${keys.all}` }, foreignIds);
        expect(asKey.status, `${r.method} ${r.pattern} with another team's key`).toBe(404);
      }
    }
    for (const r of routes.filter((x) => UPSERTS_BY_NAME.has(`${x.method} ${x.pattern}`))) {
      const res = await call(r, sessionHeaders(users.OWNER, teamA.id), foreignIds);
      expect(res.status, `${r.method} ${r.pattern} with another team's name`).toBe(200);
    }
    const foreignSecrets = await db().teamSecret.findMany({ where: { name: foreignIds.secrets } });
    expect(foreignSecrets.map((x) => x.teamId === teamA.id).sort()).toEqual([false, true]);
    expect(foreignSecrets.find((x) => x.teamId !== teamA.id)?.ciphertext).toBe("v1:AA==:AA==:AA==");
    await db().teamSecret.deleteMany({ where: { teamId: teamA.id, name: foreignIds.secrets } });
    // Naming another team explicitly is a 404 too, never a 403.
    const me = routes.find((r) => r.pattern === "/api/v1/members" && r.method === "GET")!;
    const other = await db().team.findFirstOrThrow({
      where: { members: { some: { userId: outsider.id } } },
    });
    expect((await call(me, sessionHeaders(users.OWNER, other.id))).status).toBe(404);
  });

  it("answers 403 to every role and key the permission table refuses, and lets the rest through", async () => {
    let refusals = 0;
    for (const r of routes) {
      const meta = r.handler.meta;
      if (meta.auth === "public") continue;
      if (meta.auth === "user") {
        const asKey = await call(r, { authorization: `Bearer ${keys.all}` });
        expect(asKey.status, `${r.method} ${r.pattern} is for people, not API keys`).toBe(403);
        refusals++;
        continue;
      }
      // Refused roles first, so an allowed call cannot change what a refused one sees.
      const order = [...ROLES].sort(
        (a, b) =>
          Number(can({ kind: "user", role: a }, meta.action)) -
          Number(can({ kind: "user", role: b }, meta.action)),
      );
      for (const role of order) {
        const res = await call(r, sessionHeaders(users[role], teamA.id));
        if (!can({ kind: "user", role }, meta.action)) {
          expect(res.status, `${r.method} ${r.pattern} as ${role} (${meta.action})`).toBe(403);
          refusals++;
        } else {
          expect([401, 403], `${r.method} ${r.pattern} as ${role} (${meta.action})`).not.toContain(
            res.status,
          );
        }
      }
      for (const [name, key] of Object.entries(keys)) {
        const scopes =
          name === "all" ? (["read", "write", "telemetry"] as const) : (["telemetry"] as const);
        const res = await call(r, { authorization: `Bearer ${key}` });
        if (!can({ kind: "apiKey", scopes }, meta.action)) {
          expect(res.status, `${r.method} ${r.pattern} with a ${name} key (${meta.action})`).toBe(
            403,
          );
          refusals++;
        }
      }
    }
    expect(refusals).toBeGreaterThan(20);
    expect(Object.keys(ACTIONS).length).toBeGreaterThan(0);
  });

  it("refuses a cookie-authenticated write from another origin", async () => {
    const r = routes.find((x) => x.pattern === "/api/v1/teams" && x.method === "POST")!;
    const res = await call(r, { ...sessionHeaders(users.VIEWER), origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.body?.error?.code).toBe("bad_origin");
  });
});
