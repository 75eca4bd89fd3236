/**
 * List search (issue #18) through every list route, in-process against PostgreSQL: `?q=` keeps
 * the rows whose names contain the text anywhere, in any case; `%`, `_` and `\` are literal; a
 * blank search is no search; another team's rows never match; an over-long search is a 422. And
 * the trigram indexes the big lists rely on are usable by those ILIKE patterns.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { RouteHandler } from "@/lib/server/core/http";
import { db } from "@/lib/server/core/db";
import { SEARCH_MAX_LENGTH } from "@/lib/schemas/search";
import { createTeamWith, keyFor, signUp } from "@/test/principals";
import * as datasetsRoute from "./datasets/route";
import * as evalRunsRoute from "./eval-runs/route";
import * as evalSuitesRoute from "./eval-suites/route";
import * as modelsRoute from "./models/route";
import * as monitorsRoute from "./monitors/route";
import * as tracesRoute from "./traces/route";
import * as trainingJobsRoute from "./training-jobs/route";

/**
 * Each list of a team holds these five names, each case written to catch one mistake: case,
 * `%` matching "500", `_` matching any character, `\` as an escape.
 */
const NAMES = [
  "Refund Router 50% v2",
  "refund-500-variant",
  "order_lookup",
  "orderXlookup",
  "path\\to\\tool",
] as const;
/** The tools orderXlookup's trace called, which the traces search also looks at. */
const TOOLS = ["issue_refund", "notify"];
/** The other team's row: it contains every search below and must never come back. */
const FOREIGN = "Refund 50% order_lookup path\\to\\tool orderXlookup (other team)";

type Team = { id: string; key: string };
type Lister = {
  route: { GET: RouteHandler };
  path: string;
  names: (body: unknown) => string[];
};

const field =
  <K extends string>(list: K, name: string) =>
  (body: unknown) =>
    ((body as Record<K, Record<string, unknown>[]>)[list] ?? []).map((r) => String(r[name]));

const LISTS: Record<string, Lister> = {
  datasets: {
    route: datasetsRoute,
    path: "/api/v1/datasets",
    names: (body) => (body as { name: string }[]).map((d) => d.name),
  },
  models: { route: modelsRoute, path: "/api/v1/models", names: field("models", "name") },
  "eval suites": {
    route: evalSuitesRoute,
    path: "/api/v1/eval-suites",
    names: field("suites", "name"),
  },
  "eval runs": {
    route: evalRunsRoute,
    path: "/api/v1/eval-runs",
    names: (body) =>
      (body as { runs: { target: { label: string } }[] }).runs.map((r) => r.target.label),
  },
  "training jobs": {
    route: trainingJobsRoute,
    path: "/api/v1/training-jobs",
    names: field("jobs", "name"),
  },
  monitors: { route: monitorsRoute, path: "/api/v1/monitors", names: field("monitors", "name") },
  traces: { route: tracesRoute, path: "/api/v1/traces", names: field("traces", "traceId") },
};

async function get(list: Lister, team: Team, query: Record<string, string>) {
  const url = new URL(`http://localhost:3999${list.path}`);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await list.route.GET(
    new Request(url, { headers: { authorization: `Bearer ${team.key}` } }),
    { params: Promise.resolve({}) },
  );
  return { status: res.status, body: (await res.json()) as unknown };
}

async function search(list: Lister, team: Team, q: string, extra: Record<string, string> = {}) {
  const res = await get(list, team, { ...extra, q });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return list.names(res.body).sort();
}

/** One team with the five names in every list; `names` lets the other team hold its own. */
async function seedTeam(label: string, names: readonly string[]): Promise<Team> {
  const owner = await signUp(label);
  const team = await createTeamWith({ OWNER: owner });
  const teamId = team.id;
  // The Model every job, monitor and trace belongs to; its name is searched by jobs and monitors.
  const model = await db().model.create({ data: { teamId, name: `${label} tool caller` } });
  const dataset = await db().dataset.create({ data: { teamId, name: `${label} held-out` } });
  const version = await db().datasetVersion.create({
    data: { teamId, datasetId: dataset.id, version: 1, contentHash: "0", storageUri: "x" },
  });
  // Runs belong to a suite whose name matches none of the searches (runs match their target).
  const runSuite = await db().evalSuite.create({
    data: { teamId, name: `${label} suite`, datasetVersionId: version.id, scorers: ["tool_call"] },
  });
  let minute = 0;
  for (const name of names) {
    await db().dataset.create({ data: { teamId, name, description: null } });
    await db().model.create({ data: { teamId, name } });
    await db().evalSuite.create({
      data: { teamId, name, datasetVersionId: version.id, scorers: ["tool_call"] },
    });
    await db().evalRun.create({
      data: {
        teamId,
        suiteId: runSuite.id,
        targetKind: "ENDPOINT",
        target: { label: name },
        targetKey: `endpoint:${name}`,
        inputHash: "0".repeat(64),
        status: "SUCCEEDED",
      },
    });
    await db().trainingJob.create({
      data: {
        teamId,
        modelId: model.id,
        name,
        status: "FAILED",
        method: "LORA",
        baseModel: "retune/tiny-chat",
        datasetVersionId: version.id,
        spec: {},
      },
    });
    await db().driftMonitor.create({
      data: {
        teamId,
        modelId: model.id,
        name,
        metric: "tool_call_error_rate",
        windowSeconds: 3600,
        threshold: 0.1,
        comparator: "gt",
        minSamples: 10,
        cooldownSeconds: 86_400,
        intervalSeconds: 3600,
        action: "alert",
      },
    });
    await db().trace.create({
      data: {
        teamId,
        modelId: model.id,
        traceId: name,
        timestamp: new Date(Date.UTC(2026, 2, 1, 0, minute++)),
        outcome: "success",
        storageUri: "traces/none.jsonl",
        offset: 0n,
        length: 1,
        messageCount: 2,
        // Only orderXlookup called tools: a tool-name match is told apart from a trace-id match.
        toolsCalled: name === "orderXlookup" ? TOOLS : [],
      },
    });
  }
  return { id: teamId, key: (await keyFor(teamId, owner.id, ["read"])).key };
}

let a: Team;
let b: Team;

beforeAll(async () => {
  a = await seedTeam("search-a", NAMES);
  b = await seedTeam("search-b", [FOREIGN]);
});

describe.each(Object.entries(LISTS))("GET %s?q=", (_, list) => {
  it("matches a substring in any case, with %, _ and \\ as literal characters", async () => {
    const expected = (names: string[], q: string) =>
      list === LISTS.traces && TOOLS.some((t) => t.includes(q.toLowerCase()))
        ? [...names, "orderXlookup"].sort()
        : names;
    const check = async (q: string, names: string[]) =>
      expect(await search(list, a, q), q).toEqual(expected(names, q));
    await check("REFUND", ["Refund Router 50% v2", "refund-500-variant"]);
    await check("rOuTeR 50", ["Refund Router 50% v2"]);
    await check("50%", ["Refund Router 50% v2"]);
    await check("r_l", ["order_lookup"]);
    await check("\\", ["path\\to\\tool"]);
    await check("o\\t", ["path\\to\\tool"]);
    await check("%", ["Refund Router 50% v2"]);
    await check("_", ["order_lookup"]);
    await check("no such name", []);
  });

  it("treats a blank search as none, and refuses an over-long one", async () => {
    const all = [...NAMES].sort();
    const every = list.names((await get(list, a, {})).body).sort();
    expect(every).toEqual(expect.arrayContaining(all));
    expect(await search(list, a, "   ")).toEqual(every);
    const long = await get(list, a, { q: "x".repeat(SEARCH_MAX_LENGTH + 1) });
    expect(long.status).toBe(422);
  });

  it("never returns another team's rows, and finds its own for that team", async () => {
    for (const q of ["refund", "50%", "r_l", "\\", "other team"]) {
      expect(await search(list, a, q)).not.toContain(FOREIGN);
    }
    expect(await search(list, a, "other team")).toEqual([]);
    expect(await search(list, b, "REFUND 50%")).toEqual([FOREIGN]);
    expect(await search(list, b, "refund-500")).toEqual([]);
  });
});

describe("what else each list's search looks at", () => {
  it("jobs: the Model's name and the base model; monitors: the Model's name", async () => {
    const jobs = LISTS["training jobs"]!;
    const all = [...NAMES].sort();
    expect(await search(jobs, a, "SEARCH-A TOOL")).toEqual(all);
    expect(await search(jobs, a, "tiny")).toEqual(all);
    expect(await search(jobs, b, "search-a")).toEqual([]);
    // The exact `model` filter still narrows, and the search applies within it.
    expect(await search(jobs, a, "refund", { model: "search-a tool caller" })).toEqual([
      "Refund Router 50% v2",
      "refund-500-variant",
    ]);
    const monitors = LISTS.monitors!;
    expect(await search(monitors, a, "Tool Caller")).toEqual(all);
    expect(await search(monitors, b, "search-a")).toEqual([]);
  });

  it("datasets and models: the description", async () => {
    await db().dataset.update({
      where: { teamId_name: { teamId: a.id, name: "orderXlookup" } },
      data: { description: "Replayed REFUND traces" },
    });
    await db().model.update({
      where: { teamId_name: { teamId: a.id, name: "orderXlookup" } },
      data: { description: "Routes refund tickets" },
    });
    for (const list of [LISTS.datasets!, LISTS.models!]) {
      expect(await search(list, a, "refund")).toEqual([
        "Refund Router 50% v2",
        "orderXlookup",
        "refund-500-variant",
      ]);
    }
  });

  it("eval runs: the suite's name", async () => {
    const runs = LISTS["eval runs"]!;
    expect(await search(runs, a, "SEARCH-A SUITE")).toEqual([...NAMES].sort());
    expect(await search(runs, b, "search-a suite")).toEqual([]);
  });

  it("traces: a called tool's name, alone as `tool` or in `q`, never across two names", async () => {
    const traces = LISTS.traces!;
    const byTool = async (tool: string) =>
      traces.names((await get(traces, a, { tool })).body).sort();
    expect(await byTool("REFUND")).toEqual(["orderXlookup"]);
    expect(await byTool("e_r")).toEqual(["orderXlookup"]);
    expect(await byTool("e%r")).toEqual([]);
    // The tools are stored one a line: a search spanning two names matches neither.
    expect(await byTool("refund notify")).toEqual([]);
    expect(await search(traces, a, "refund notify")).toEqual([]);
    expect(await search(traces, a, "NOTIFY")).toEqual(["orderXlookup"]);
  });
});

describe("trigram indexes", () => {
  /** The plan PostgreSQL picks for `column ILIKE pattern` when it may not scan the table. */
  async function plan(table: string, column: string, pattern: string): Promise<string> {
    return db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const rows = await tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM "${table}" WHERE "${column}" ILIKE $1`,
        pattern,
      );
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it.each([
    ["TrainingJob", "name", "TrainingJob_name_idx"],
    ["EvalRun", "targetLabel", "EvalRun_targetLabel_idx"],
    ["Trace", "traceId", "Trace_traceId_idx"],
    ["Trace", "toolsText", "Trace_toolsText_idx"],
  ])("%s.%s is searched through %s", async (table, column, index) => {
    expect(await plan(table, column, "%refund%")).toContain(`Bitmap Index Scan on "${index}"`);
  });

  it("keeps the generated columns in step with what they are made of", async () => {
    const run = await db().evalRun.findFirstOrThrow({ where: { teamId: a.id } });
    expect(run.targetLabel).toBe((run.target as { label: string }).label);
    const trace = await db().trace.update({
      where: { teamId_traceId: { teamId: a.id, traceId: "order_lookup" } },
      data: { toolsCalled: ["lookup_order", "refund_order"] },
    });
    expect(trace.toolsText).toBe("lookup_order\nrefund_order");
  });
});
