/**
 * The pickers' lists, GET /api/v1/model-versions and GET /api/v1/dataset-versions, through their
 * route handlers with real PostgreSQL: newest first, narrowed by part of a name (any case), by
 * "name v2", by stage or status, or to one id; never another team's versions.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  datasetVersionOptionsSchema,
  modelVersionOptionsSchema,
} from "@/lib/schemas/version-options";
import { db } from "@/lib/server/core/db";
import { keyFor, ownerOfNewTeam } from "@/test/principals";
import * as datasetVersionsRoute from "./dataset-versions/route";
import * as modelVersionsRoute from "./model-versions/route";

const APP = "http://localhost:3999";
let key: string;
let teamId: string;
let otherTeamId: string;
const ids: Record<string, string> = {};

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

async function seedModels(team: string, prefix: string) {
  const support = await db().model.create({
    data: { teamId: team, name: `${prefix}Support Agent` },
  });
  const router = await db().model.create({
    data: { teamId: team, name: `${prefix}ticket-router` },
  });
  const version = (modelId: string, n: number, stage: "CANDIDATE" | "PRODUCTION", age: number) =>
    db().modelVersion.create({
      data: {
        teamId: team,
        modelId,
        version: n,
        stage,
        baseModel: "retune/tiny-chat",
        createdAt: minutesAgo(age),
        aliases: stage === "PRODUCTION" ? ["champion"] : [],
      },
    });
  return {
    support1: (await version(support.id, 1, "PRODUCTION", 30)).id,
    support2: (await version(support.id, 2, "CANDIDATE", 20)).id,
    router1: (await version(router.id, 1, "CANDIDATE", 10)).id,
  };
}

async function seedDatasets(team: string, prefix: string) {
  const calls = await db().dataset.create({
    data: { teamId: team, name: `${prefix}refund-calls` },
  });
  const other = await db().dataset.create({ data: { teamId: team, name: `${prefix}Chit chat` } });
  const version = (datasetId: string, n: number, status: "READY" | "INVALID", age: number) =>
    db().datasetVersion.create({
      data: {
        teamId: team,
        datasetId,
        version: n,
        status,
        contentHash: `${datasetId}-${n}`,
        storageUri: "artifact:none",
        format: "TOOL_CALLING",
        createdAt: minutesAgo(age),
        stats: status === "READY" ? { validRows: 40 * n } : undefined,
      },
    });
  return {
    calls1: (await version(calls.id, 1, "READY", 30)).id,
    calls2: (await version(calls.id, 2, "INVALID", 20)).id,
    chat1: (await version(other.id, 1, "READY", 10)).id,
  };
}

beforeAll(async () => {
  const mine = await ownerOfNewTeam("options");
  const other = await ownerOfNewTeam("options-other");
  teamId = mine.team.id;
  otherTeamId = other.team.id;
  key = (await keyFor(teamId, mine.owner.id, ["read"])).key;
  Object.assign(ids, await seedModels(teamId, ""), await seedDatasets(teamId, ""));
  // The same names in another team, made later (they would come first if they leaked).
  const foreign = {
    ...(await seedModels(otherTeamId, "")),
    ...(await seedDatasets(otherTeamId, "")),
  };
  await db().modelVersion.updateMany({
    where: { id: { in: [foreign.support1, foreign.support2, foreign.router1] } },
    data: { createdAt: new Date() },
  });
  ids.foreignModelVersion = foreign.support1;
  ids.foreignDatasetVersion = foreign.calls1;
});

async function get<T>(
  route: { GET: (req: Request, ctx: never) => Promise<Response> },
  path: string,
  schema: { parse: (v: unknown) => T },
): Promise<T> {
  const res = await route.GET(
    new Request(`${APP}${path}`, { headers: { authorization: `Bearer ${key}` } }),
    { params: Promise.resolve({}) } as never,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  return schema.parse(await res.json());
}

const models = async (query: string) =>
  (await get(modelVersionsRoute, `/api/v1/model-versions${query}`, modelVersionOptionsSchema))
    .versions;
const datasets = async (query: string) =>
  (await get(datasetVersionsRoute, `/api/v1/dataset-versions${query}`, datasetVersionOptionsSchema))
    .versions;

describe("GET /api/v1/model-versions", () => {
  it("lists the team's versions newest first, with name, version, stage and date", async () => {
    const all = await models("");
    expect(all.map((v) => v.id)).toEqual([ids.router1, ids.support2, ids.support1]);
    expect(all[2]).toMatchObject({
      modelName: "Support Agent",
      version: 1,
      stage: "PRODUCTION",
      aliases: ["champion"],
      baseModel: "retune/tiny-chat",
    });
    expect(Date.parse(all[2]!.createdAt)).toBeLessThan(Date.parse(all[0]!.createdAt));
  });

  it("narrows by part of the name in any case, by 'name v2', by alias, stage, id and limit", async () => {
    expect((await models("?q=AGENT")).map((v) => v.id)).toEqual([ids.support2, ids.support1]);
    expect((await models("?q=support%20v2")).map((v) => v.id)).toEqual([ids.support2]);
    expect((await models("?q=v1")).map((v) => v.id)).toEqual([ids.router1, ids.support1]);
    expect((await models("?q=champion")).map((v) => v.id)).toEqual([ids.support1]);
    expect((await models("?stage=PRODUCTION")).map((v) => v.id)).toEqual([ids.support1]);
    expect((await models(`?id=${ids.support2}`)).map((v) => v.id)).toEqual([ids.support2]);
    expect((await models("?limit=1")).map((v) => v.id)).toEqual([ids.router1]);
    expect(await models("?q=nothing-like-it")).toEqual([]);
  });

  it("never shows another team's versions, even by id", async () => {
    expect(await models(`?id=${ids.foreignModelVersion}`)).toEqual([]);
    const listed = await db().modelVersion.findMany({
      where: { id: { in: (await models("?limit=50")).map((v) => v.id) } },
      select: { teamId: true },
    });
    expect(new Set(listed.map((v) => v.teamId))).toEqual(new Set([teamId]));
  });
});

describe("GET /api/v1/dataset-versions", () => {
  it("lists the team's versions newest first, with name, version, status, rows and date", async () => {
    const all = await datasets("");
    expect(all.map((v) => v.id)).toEqual([ids.chat1, ids.calls2, ids.calls1]);
    expect(all[2]).toMatchObject({
      datasetName: "refund-calls",
      version: 1,
      status: "READY",
      format: "tool_calling",
      validRows: 40,
    });
    expect(all[1]!.validRows).toBeNull();
  });

  it("narrows by part of the name, 'name v2', status and id; never another team's", async () => {
    expect((await datasets("?q=REFUND")).map((v) => v.id)).toEqual([ids.calls2, ids.calls1]);
    expect((await datasets("?q=refund%20v2")).map((v) => v.id)).toEqual([ids.calls2]);
    expect((await datasets("?status=READY")).map((v) => v.id)).toEqual([ids.chat1, ids.calls1]);
    expect((await datasets("?q=chat&status=READY")).map((v) => v.id)).toEqual([ids.chat1]);
    expect((await datasets(`?id=${ids.calls1}`)).map((v) => v.id)).toEqual([ids.calls1]);
    expect(await datasets(`?id=${ids.foreignDatasetVersion}`)).toEqual([]);
  });

  it("refuses a status it does not know", async () => {
    const res = await datasetVersionsRoute.GET(
      new Request(`${APP}/api/v1/dataset-versions?status=DONE`, {
        headers: { authorization: `Bearer ${key}` },
      }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(422);
  });
});
