/**
 * POST /api/v1/datasets/{id}/versions/from-traces through its route handler, with real
 * PostgreSQL and artifact files: the new version holds the newest version's rows and then each
 * trace as one row, a row already there is not repeated, a dataset without versions starts at v1,
 * and another team's dataset or trace, a version still validating, a read-only key and an empty
 * list are refused.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { appendTracesAcceptedSchema } from "@/lib/schemas/dataset-from-traces";
import { keyFor, ownerOfNewTeam } from "@/test/principals";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-from-traces-"));
const { db } = await import("@/lib/server/core/db");
const fromTracesRoute = await import("./[id]/versions/from-traces/route");
const versionsRoute = await import("./[id]/versions/route");
const datasetsRoute = await import("./route");
const downloadRoute = await import("../dataset-versions/[id]/download/route");
const tracesRoute = await import("../traces/route");

const APP = "http://localhost:3999";
const BASE_ROW =
  '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}';
const TOOLS = [{ type: "function", function: { name: "refund", parameters: { type: "object" } } }];

type Team = { write: string; read: string; telemetry: string };
let mine: Team;
let other: Team;

async function team(label: string): Promise<Team> {
  const { owner, team: t } = await ownerOfNewTeam(label);
  await db().model.create({ data: { teamId: t.id, name: "support-agent" } });
  return {
    write: (await keyFor(t.id, owner.id, ["read", "write"])).key,
    read: (await keyFor(t.id, owner.id, ["read"])).key,
    telemetry: (await keyFor(t.id, owner.id, ["telemetry"])).key,
  };
}

beforeAll(async () => {
  mine = await team("from-traces");
  other = await team("from-traces-other");
});

const ctx = (id = "") => ({ params: Promise.resolve({ id }) });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function trace(id: string, answer: string) {
  return {
    id,
    timestamp: "2026-03-01T10:00:00Z",
    model: "support-agent",
    outcome: "success",
    tools: TOOLS,
    messages: [
      { role: "user", content: `Refund order ${id}` },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: "refund", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "c1", content: '{"ok":true}' },
      { role: "assistant", content: answer },
    ],
  };
}

/** The row a trace becomes: its messages and tools, as a re-tune's dataset writes them. */
const rowOf = (t: ReturnType<typeof trace>) => ({ messages: t.messages, tools: t.tools });
const BASE = JSON.parse(BASE_ROW) as unknown;

async function ingest(t: Team, traces: ReturnType<typeof trace>[]) {
  const res = await tracesRoute.POST(
    new Request(`${APP}/api/v1/traces`, {
      method: "POST",
      headers: { ...bearer(t.telemetry), "content-type": "application/json" },
      body: JSON.stringify({ traces }),
    }),
    ctx(),
  );
  expect(res.status, await res.clone().text()).toBe(202);
}

async function newDataset(t: Team, rows?: string): Promise<string> {
  const res = await datasetsRoute.POST(
    new Request(`${APP}/api/v1/datasets`, {
      method: "POST",
      headers: { ...bearer(t.write), "content-type": "application/json" },
      body: JSON.stringify({ name: `ds ${Math.random().toString(36).slice(2)}` }),
    }),
    ctx(),
  );
  expect(res.status).toBe(201);
  const id = ((await res.json()) as { id: string }).id;
  if (rows !== undefined) {
    const up = await versionsRoute.POST(
      new Request(`${APP}/api/v1/datasets/${id}/versions?provenance=human_labelled`, {
        method: "POST",
        headers: { ...bearer(t.write), "content-type": "application/x-ndjson" },
        body: rows,
      }),
      ctx(id),
    );
    expect(up.status).toBe(202);
    await finishValidation(id);
  }
  return id;
}

/** No worker runs here: mark the dataset's versions validated, as the validation job would. */
async function finishValidation(datasetId: string) {
  await db().datasetVersion.updateMany({ where: { datasetId }, data: { status: "READY" } });
}

function append(datasetId: string, traceIds: string[], key = mine.write) {
  return fromTracesRoute.POST(
    new Request(`${APP}/api/v1/datasets/${datasetId}/versions/from-traces`, {
      method: "POST",
      headers: { ...bearer(key), "content-type": "application/json" },
      body: JSON.stringify({ traceIds }),
    }),
    ctx(datasetId),
  );
}

/** The version's rows, parsed (the stored trace's keys may be in another order than posted). */
async function rowsOf(versionId: string): Promise<unknown[]> {
  const res = await downloadRoute.GET(
    new Request(`${APP}/api/v1/dataset-versions/${versionId}/download`, {
      headers: bearer(mine.read),
    }),
    ctx(versionId),
  );
  expect(res.status).toBe(200);
  return (await res.text())
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

describe("POST /api/v1/datasets/{id}/versions/from-traces", () => {
  const first = trace("ft-1", "Refunded.");
  const second = trace("ft-2", "Refunded, and I told the customer.");

  beforeAll(async () => {
    await ingest(mine, [first, second]);
    await ingest(other, [trace("ft-foreign", "Elsewhere.")]);
  });

  it("makes the next version: the newest version's rows, then the trace as one row", async () => {
    const id = await newDataset(mine, `${BASE_ROW}\n`);
    const res = await append(id, ["ft-1"]);
    expect(res.status).toBe(202);
    const body = appendTracesAcceptedSchema.parse(await res.json());
    expect(body).toMatchObject({
      datasetId: id,
      version: 2,
      status: "VALIDATING",
      baseVersion: 1,
      appended: 1,
      alreadyPresent: 0,
      deduplicated: false,
    });
    expect(await rowsOf(body.id)).toEqual([BASE, rowOf(first)]);
    const stored = await db().datasetVersion.findUniqueOrThrow({ where: { id: body.id } });
    // Human-labelled rows plus production traces.
    expect(stored.provenance).toBe("MIXED");
    expect(stored.parentVersionId).toBeNull();
    const audit = await db().auditEvent.findFirst({
      where: { action: "dataset.add-traces", targetId: body.id },
    });
    expect(audit?.metadata).toMatchObject({ traces: "ft-1", appended: 1, baseVersion: 1 });
  });

  it("does not repeat a row the newest version holds, and refuses when nothing is new", async () => {
    const id = await newDataset(mine, `${BASE_ROW}\n`);
    const v2 = appendTracesAcceptedSchema.parse(await (await append(id, ["ft-1"])).json());
    await finishValidation(id);

    const again = await append(id, ["ft-1"]);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toMatch(
      /v2 of .* already holds this trace/,
    );

    // By the trace row id too, mixed with a new one: only the new one is added.
    const row = await db().trace.findFirstOrThrow({ where: { traceId: "ft-1" } });
    const res = await append(id, [row.id, "ft-2"]);
    expect(res.status).toBe(202);
    const v3 = appendTracesAcceptedSchema.parse(await res.json());
    expect(v3).toMatchObject({ version: 3, baseVersion: 2, appended: 1, alreadyPresent: 1 });
    expect(await rowsOf(v3.id)).toEqual([BASE, rowOf(first), rowOf(second)]);
    expect(v2.version).toBe(2);
  });

  it("starts a dataset without versions at v1, of production traces", async () => {
    const id = await newDataset(mine);
    const res = await append(id, ["ft-2", "ft-1"]);
    expect(res.status).toBe(202);
    const body = appendTracesAcceptedSchema.parse(await res.json());
    expect(body).toMatchObject({ version: 1, baseVersion: null, appended: 2 });
    expect(await rowsOf(body.id)).toEqual([rowOf(second), rowOf(first)]);
    const stored = await db().datasetVersion.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.provenance).toBe("PRODUCTION_TRACES");
  });

  it("waits for a newest version that is still validating", async () => {
    const id = await newDataset(mine, `${BASE_ROW}\n`);
    await db().datasetVersion.updateMany({
      where: { datasetId: id },
      data: { status: "VALIDATING" },
    });
    const res = await append(id, ["ft-1"]);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /still being validated/,
    );
  });

  it("is a 404 for another team's dataset or trace, a 403 for a read-only key, a 422 for no traces", async () => {
    const foreignDataset = await newDataset(other, `${BASE_ROW}\n`);
    const foreign = await append(foreignDataset, ["ft-1"]);
    expect(foreign.status).toBe(404);

    const id = await newDataset(mine, `${BASE_ROW}\n`);
    const foreignTrace = await append(id, ["ft-foreign"]);
    expect(foreignTrace.status).toBe(404);
    expect(((await foreignTrace.json()) as { error: { message: string } }).error.message).toMatch(
      /ft-foreign/,
    );

    expect((await append(id, ["ft-1"], mine.read)).status).toBe(403);
    const empty = await append(id, []);
    expect(empty.status).toBe(422);
    // Nothing refused made a version.
    expect(await db().datasetVersion.count({ where: { datasetId: id } })).toBe(1);
  });
});
