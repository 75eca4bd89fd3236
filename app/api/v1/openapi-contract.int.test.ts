/**
 * The successful answers other integration tests do not ask for (they call these routes only to
 * be refused, or not through their handlers), so that test/openapi-setup.ts checks each against
 * the OpenAPI document too: the document itself, a person's teams and invitations, API keys,
 * a dataset's rows and cleaning, suites, monitors, retrain policies and a training job's cancel.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { validateDatasetVersion } from "@/lib/server/datasets/validation";
import { DEFECTS, GOOD } from "@/test/dataset-fixtures";
import { readyVersion, tinyJob } from "@/test/training-helpers";
import {
  APP,
  keyFor,
  ownerOfNewTeam,
  sessionHeaders,
  signUp,
  type TestUser,
} from "@/test/principals";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-openapi-"));

type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string>> },
) => Promise<Response>;
const route = async (dir: string) =>
  (await import(path.join(import.meta.dirname, dir, "route.ts"))) as Record<string, Handler>;

/** Calls a handler as the server would for `path` (a real URL, so params come from it too). */
async function call(
  handler: Handler,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; json?: unknown; body?: BodyInit } = {},
  params: Record<string, string> = {},
) {
  const headers = { ...init.headers };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  const res = await handler(
    new Request(`${APP}${pathname}`, {
      method: init.method ?? "GET",
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    }),
    { params: Promise.resolve(params) },
  );
  const text = await res.text();
  const body = res.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : text;
  return { status: res.status, body, headers: res.headers };
}

let owner: TestUser;
let teamId: string;
let key: string;
const bearer = () => ({ authorization: `Bearer ${key}` });
/** The owner as lib/server sees a signed-in person, for the fixtures made without a route. */
const asOwner = (): Principal => ({
  teamId,
  actor: { kind: "user", role: "OWNER" },
  userId: owner.id,
  apiKeyId: null,
  ip: null,
});

beforeAll(async () => {
  const made = await ownerOfNewTeam("contract");
  owner = made.owner;
  teamId = made.team.id;
  key = (await keyFor(teamId, owner.id, ["read", "write", "telemetry"])).key;
});

describe("answers the other integration tests do not ask for", () => {
  it("serves the document, public and cacheable", async () => {
    const res = await call((await route("openapi.json")).GET!, "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/^public/);
    expect(res.body.openapi).toBe("3.1.0");
  });

  it("a person's teams, the team switch, API keys and invitations", async () => {
    const me = await call((await route("me")).GET!, "/api/v1/me", {
      headers: sessionHeaders(owner),
    });
    expect(me.status).toBe(200);
    const teams = await route("teams");
    const created = await call(teams.POST!, "/api/v1/teams", {
      method: "POST",
      headers: sessionHeaders(owner),
      json: { name: "contract second team" },
    });
    expect(created.status).toBe(201);
    expect(
      (await call(teams.GET!, "/api/v1/teams", { headers: sessionHeaders(owner) })).status,
    ).toBe(200);
    const switched = await call((await route("me/team")).PUT!, "/api/v1/me/team", {
      method: "PUT",
      headers: sessionHeaders(owner),
      json: { teamId },
    });
    expect(switched.status).toBe(200);

    const apiKey = await call((await route("api-keys")).POST!, "/api/v1/api-keys", {
      method: "POST",
      headers: sessionHeaders(owner, teamId),
      json: { name: "ci", scopes: ["read"] },
    });
    expect(apiKey.status).toBe(201);

    const invitee = await signUp("invitee");
    const invitation = await call((await route("invitations")).POST!, "/api/v1/invitations", {
      method: "POST",
      headers: sessionHeaders(owner, teamId),
      json: { email: invitee.email, role: "ENGINEER" },
    });
    expect(invitation.status).toBe(201);
    // The link is <APP_URL>/invite/<token>: it holds the only copy of the token.
    const token = String(invitation.body.url).split("/").at(-1);
    const accepted = await call(
      (await route("invitations/accept")).POST!,
      "/api/v1/invitations/accept",
      {
        method: "POST",
        headers: sessionHeaders(invitee),
        json: { token },
      },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.teamId).toBe(teamId);
  });

  it("a version's rows, and cleaning an INVALID version", async () => {
    const dataset = await call((await route("datasets")).POST!, "/api/v1/datasets", {
      method: "POST",
      headers: bearer(),
      json: { name: "contract rows" },
    });
    const upload = await call(
      (await route("datasets/[id]/versions")).POST!,
      `/api/v1/datasets/${dataset.body.id}/versions`,
      {
        method: "POST",
        headers: { ...bearer(), "content-type": "application/x-ndjson" },
        body: [...GOOD, DEFECTS[0]!.text].join("\n"),
      },
      { id: dataset.body.id },
    );
    expect(upload.status).toBe(202);
    expect((await validateDatasetVersion(upload.body.id)).status).toBe("INVALID");
    const rows = await call(
      (await route("dataset-versions/[id]/rows")).GET!,
      `/api/v1/dataset-versions/${upload.body.id}/rows?limit=10`,
      { headers: bearer() },
      { id: upload.body.id },
    );
    expect(rows.status).toBe(200);
    expect(rows.body.rows.length).toBe(GOOD.length + 1);
    const cleaned = await call(
      (await route("dataset-versions/[id]/clean")).POST!,
      `/api/v1/dataset-versions/${upload.body.id}/clean`,
      { method: "POST", headers: bearer() },
      { id: upload.body.id },
    );
    expect(cleaned.status).toBe(202);
  });

  it("a suite, a monitor and a retrain policy", async () => {
    const versionId = await readyVersion(asOwner(), 40);
    const suite = await call((await route("eval-suites")).POST!, "/api/v1/eval-suites", {
      method: "POST",
      headers: bearer(),
      json: { name: "contract suite", datasetVersionId: versionId },
    });
    expect(suite.status).toBe(201);

    const model = await call((await route("models")).POST!, "/api/v1/models", {
      method: "POST",
      headers: bearer(),
      json: { name: "contract model" },
    });
    const monitors = await route("monitors");
    const monitor = await call(monitors.POST!, "/api/v1/monitors", {
      method: "POST",
      headers: bearer(),
      json: { model: model.body.id, metric: "failure_rate", window: "1h", threshold: 0.2 },
    });
    expect(monitor.status).toBe(201);
    const deleted = await call(
      (await route("monitors/[id]")).DELETE!,
      `/api/v1/monitors/${monitor.body.id}`,
      { method: "DELETE", headers: bearer() },
      { id: monitor.body.id },
    );
    expect(deleted.status).toBe(200);

    const policy = await route("models/[id]/retrain-policy");
    const at = `/api/v1/models/${model.body.id}/retrain-policy`;
    const params = { id: model.body.id };
    const put = await call(policy.PUT!, at, { method: "PUT", headers: bearer(), json: {} }, params);
    expect(put.status).toBe(200);
    expect((await call(policy.GET!, at, { headers: bearer() }, params)).status).toBe(200);
    expect(
      (await call(policy.DELETE!, at, { method: "DELETE", headers: bearer() }, params)).status,
    ).toBe(200);
  });

  it("cancels a queued training job", async () => {
    const versionId = await readyVersion(asOwner(), 40);
    const model = await db().model.create({ data: { teamId, name: "contract cancel" } });
    // Written as a launch would leave it, minus the queue: no worker is meant to pick it up.
    const job = await db().trainingJob.create({
      data: {
        teamId,
        modelId: model.id,
        name: "queued",
        status: "QUEUED",
        method: "LORA",
        baseModel: "retune/tiny-chat",
        datasetVersionId: versionId,
        spec: tinyJob(versionId, { maxSteps: 5 }, model.name),
        attempts: { create: { attempt: 1, status: "QUEUED" } },
      },
    });
    const cancelled = await call(
      (await route("training-jobs/[id]/cancel")).POST!,
      `/api/v1/training-jobs/${job.id}/cancel`,
      { method: "POST", headers: bearer() },
      { id: job.id },
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("CANCELLED");
  });
});

afterAll(async () => {
  // Never leave a queued LOCAL job for later files' workers, whatever failed above.
  await db().trainingJob.updateMany({
    where: { teamId, status: { in: ["QUEUED", "RUNNING", "STARTING"] } },
    data: { status: "CANCELLED", finishedAt: new Date() },
  });
});
