/**
 * The economics API against PostgreSQL, through the real route handlers and real API keys: the
 * price list is seeded until saved, keeps each entry's asOf, stays inside its team (another
 * team's key reads and writes its own list only), refuses bad entries with a 422 naming the
 * field, and is audited; the planner answers exactly what the pure maths computes on the same
 * input; the presets price the worked case with the team's list.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { advise } from "@/lib/domain/economics/advisor";
import { planEconomics } from "@/lib/domain/economics/planner";
import { workedCasePlannerInput } from "@/lib/domain/economics/presets";
import { SEED_PRICES } from "@/lib/domain/economics/prices";
import { explainWorkedCase } from "@/lib/domain/economics/worked-case";
import { handInput } from "@/lib/domain/economics/hand-fixtures";
import type { FrontierPrice, PriceEntry, PriceList } from "@/lib/schemas/economics";
import { plannerResultSchema } from "@/lib/schemas/economics";
import { economicsPresetsSchema } from "@/lib/schemas/economics-presets";
import { teamPriceListSchema, type TeamPriceList } from "@/lib/schemas/price-list";
import { db } from "@/lib/server/core/db";
import type { RouteHandler } from "@/lib/server/core/http";
import { createTeamWith, keyFor, sessionHeaders, signUp, type TestUser } from "@/test/principals";
import * as advisePath from "./advise/route";
import * as planPath from "./plan/route";
import * as presetsPath from "./presets/route";
import * as pricesPath from "./prices/route";

type Team = { id: string; owner: TestUser; read: string; write: string };

async function team(label: string): Promise<Team> {
  const owner = await signUp(label);
  const t = await createTeamWith({ OWNER: owner });
  return {
    id: t.id,
    owner,
    read: (await keyFor(t.id, owner.id, ["read"])).key,
    write: (await keyFor(t.id, owner.id, ["read", "write"])).key,
  };
}

async function call(
  handler: RouteHandler,
  key: string,
  body?: unknown,
  method = body === undefined ? "GET" : "POST",
) {
  const res = await handler(
    new Request("http://localhost:3999/api/v1/economics/x", {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({}) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const getPrices = async (key: string) => {
  const res = await call(pricesPath.GET, key);
  expect(res.status).toBe(200);
  return teamPriceListSchema.parse(res.body);
};
const putPrices = (key: string, entries: unknown) => call(pricesPath.PUT, key, { entries }, "PUT");
const issuesOf = (body: Record<string, unknown>) =>
  (body.error as { issues: { path: string; message: string }[] }).issues;
const pricesOf = (list: TeamPriceList): PriceList => list.entries.map((e) => e.price);

const SONNET_ID = "anthropic/claude-3-5-sonnet";
/** The team's own reading of Sonnet's price: a new figure, read on a new day. */
const sonnet2026: FrontierPrice = {
  kind: "frontier",
  id: SONNET_ID,
  provider: "Anthropic",
  model: "Claude 3.5 Sonnet",
  inputUsdPerMTok: 2.5,
  outputUsdPerMTok: 12.5,
  asOf: "2026-01-15",
  source: "our negotiated rate, contract of 2026-01-15",
};
const inHouse: PriceEntry = {
  kind: "self_hosted",
  id: "qwen-7b/l40s",
  label: "Qwen 7B on 1× L40S (own rack)",
  gpuType: "L40S-48GB",
  usdPerGpuHour: 0.9,
  gpusPerReplica: 1,
  replicas: 2,
  throughputTokensPerSec: 6_000,
  throughputBasis: "measured",
  utilisation: 0.6,
  asOf: "2026-02-01",
  source: "vLLM benchmark_serving on our prompts, 2026-02-01",
};

let a: Team;
let b: Team;

beforeAll(async () => {
  a = await team("econ-a");
  b = await team("econ-b");
});

describe("the team price list", () => {
  it("is the dated seed until the team saves one, with nothing written", async () => {
    const list = await getPrices(a.read);
    expect(list.origin).toBe("seed");
    expect(list.updatedAt).toBeNull();
    expect(pricesOf(list)).toEqual(SEED_PRICES);
    expect(list.entries.every((e) => e.updatedAt === null)).toBe(true);
    expect(await db().priceEntry.count({ where: { teamId: a.id } })).toBe(0);
  });

  it("refuses a read-only key's write", async () => {
    const res = await putPrices(a.read, SEED_PRICES);
    expect(res.status).toBe(403);
  });

  it("saves the whole list in order, keeping every entry's asOf, and audits it", async () => {
    const entries = [...SEED_PRICES.map((p) => (p.id === SONNET_ID ? sonnet2026 : p)), inHouse];
    const res = await putPrices(a.write, entries);
    expect(res.status).toBe(200);
    const saved = teamPriceListSchema.parse(res.body);
    expect(saved.origin).toBe("team");
    expect(pricesOf(saved)).toEqual(entries);
    // Read back through GET: the same entries, the same days.
    const read = await getPrices(a.read);
    expect(pricesOf(read)).toEqual(entries);
    expect(read.entries.find((e) => e.price.id === SONNET_ID)?.price.asOf).toBe("2026-01-15");
    expect(read.entries.find((e) => e.price.id === inHouse.id)?.price.asOf).toBe("2026-02-01");
    expect(read.entries.every((e) => e.updatedAt !== null)).toBe(true);
    const rows = await db().priceEntry.findMany({ where: { teamId: a.id } });
    expect(rows.find((r) => r.priceId === SONNET_ID)?.asOf.toISOString()).toBe(
      "2026-01-15T00:00:00.000Z",
    );
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { teamId: a.id, action: "prices.update" },
    });
    expect(audit.metadata).toMatchObject({
      entries: entries.length,
      added: entries.length,
      fromSeed: true,
    });
  });

  it("keeps an unchanged entry's updatedAt when the list is saved again, reordered", async () => {
    const before = await getPrices(a.read);
    const stamp = (list: TeamPriceList, id: string) =>
      list.entries.find((e) => e.price.id === id)?.updatedAt;
    const reordered = [...pricesOf(before)].reverse();
    const changedHouse = { ...inHouse, usdPerGpuHour: 0.95, asOf: "2026-03-01" };
    const res = await putPrices(
      a.write,
      reordered.map((p) => (p.id === inHouse.id ? changedHouse : p)),
    );
    expect(res.status).toBe(200);
    const after = teamPriceListSchema.parse(res.body);
    expect(after.entries.map((e) => e.price.id)).toEqual(reordered.map((p) => p.id));
    expect(stamp(after, SONNET_ID)).toBe(stamp(before, SONNET_ID));
    expect(stamp(after, inHouse.id)).not.toBe(stamp(before, inHouse.id));
    expect(after.entries.find((e) => e.price.id === inHouse.id)?.price).toEqual(changedHouse);
  });

  it("stays inside its team: another team's key reads and writes only its own list", async () => {
    const aBefore = await getPrices(a.read);
    // Team B's key sees the seed, not team A's saved prices.
    const seenByB = await getPrices(b.read);
    expect(seenByB.origin).toBe("seed");
    expect(pricesOf(seenByB).find((p) => p.id === SONNET_ID)).toEqual(
      SEED_PRICES.find((p) => p.id === SONNET_ID),
    );
    expect(pricesOf(seenByB).some((p) => p.id === inHouse.id)).toBe(false);
    // Team B's save lands in team B; team A's list is untouched.
    const bList = SEED_PRICES.filter((p) => p.id !== SONNET_ID);
    expect((await putPrices(b.write, bList)).status).toBe(200);
    expect(pricesOf(await getPrices(b.read))).toEqual(bList);
    expect(await getPrices(a.read)).toEqual(aBefore);
    // Team B's reset removes team B's rows only.
    expect((await call(pricesPath.DELETE, b.write, undefined, "DELETE")).status).toBe(200);
    expect((await getPrices(b.read)).origin).toBe("seed");
    expect(await getPrices(a.read)).toEqual(aBefore);
    expect(await db().priceEntry.count({ where: { teamId: a.id } })).toBe(aBefore.entries.length);
  });

  it("answers 422 naming the field for a bad entry, and stores nothing", async () => {
    const before = await getPrices(a.read);
    const cases: [unknown[], string, RegExp][] = [
      [[{ ...sonnet2026, inputUsdPerMTok: -1 }, inHouse], "entries.0.inputUsdPerMTok", />=0/],
      [[sonnet2026, { ...inHouse, asOf: "2026-02-30" }], "entries.1.asOf", /date/i],
      [[sonnet2026, { ...inHouse, asOf: undefined }], "entries.1.asOf", /./],
      [[sonnet2026, { ...inHouse, utilisation: 0 }], "entries.1.utilisation", />0/],
      [[sonnet2026, inHouse, { ...sonnet2026, model: "again" }], "entries.2.id", /already/],
      [[sonnet2026], "entries", /serving/],
      [[{ ...sonnet2026, discount: 0.1 }, inHouse], "entries.0", /discount/],
      [[{ ...sonnet2026, kind: "on_prem" }, inHouse], "entries.0.kind", /frontier.*self_hosted/],
    ];
    for (const [entries, path, message] of cases) {
      const res = await putPrices(a.write, entries);
      expect(res.status, path).toBe(422);
      const issue = issuesOf(res.body).find((i) => i.path === path);
      expect(issue, `${path} in ${JSON.stringify(issuesOf(res.body))}`).toBeDefined();
      expect(issue!.message).toMatch(message);
    }
    expect(await getPrices(a.read)).toEqual(before);
  });
});

describe("the planner endpoints", () => {
  it("plan answers exactly planEconomics on the same input, prices used and asOf included", async () => {
    for (const input of [workedCasePlannerInput(), handInput()]) {
      const res = await call(planPath.POST, a.read, input);
      expect(res.status).toBe(200);
      const body = plannerResultSchema.parse(res.body);
      // Through JSON both ways, as the API sends it: numbers survive exactly.
      expect(body).toEqual(JSON.parse(JSON.stringify(planEconomics(input))));
      expect(body.pricesUsed.map((p) => [p.id, p.asOf])).toEqual([
        [input.frontier.id, input.frontier.asOf],
        [input.serving.id, input.serving.asOf],
      ]);
    }
    // The seed preset's frontier-only bill: 3M calls × (2,500 × $3 + 278 × $15) / 10⁶ = $35,010.
    const worked = plannerResultSchema.parse(
      (await call(planPath.POST, a.read, workedCasePlannerInput())).body,
    );
    expect(worked.monthly.frontierOnlyUsd).toBeCloseTo(35_010, 6);
  });

  it("plan answers 422 naming the field", async () => {
    const res = await call(planPath.POST, a.read, {
      ...workedCasePlannerInput(),
      routineShare: 1.5,
    });
    expect(res.status).toBe(422);
    expect(issuesOf(res.body).map((i) => i.path)).toContain("routineShare");
    const noAsOf = await call(planPath.POST, a.read, {
      ...workedCasePlannerInput(),
      frontier: { ...sonnet2026, asOf: undefined },
    });
    expect(noAsOf.status).toBe(422);
    expect(issuesOf(noAsOf.body).map((i) => i.path)).toContain("frontier.asOf");
  });

  it("presets price the worked case with the team's list, falling back to the seed", async () => {
    // Team A replaced Sonnet's price and kept the seeded A10G.
    const res = await call(presetsPath.GET, a.read);
    expect(res.status).toBe(200);
    const presets = economicsPresetsSchema.parse(res.body);
    const wc = presets.workedCase;
    expect(wc.input.frontier).toEqual(sonnet2026);
    expect(wc.priceOrigins).toEqual({ frontier: "team", serving: "team" });
    expect(wc.explanation).toEqual(JSON.parse(JSON.stringify(explainWorkedCase(wc.input))));
    expect(presets.projectShapes.map((s) => s.id)).toEqual([
      "tool_call_format",
      "domain_reasoning",
      "latency_critical",
      "hybrid_system",
      "multi_tenant",
    ]);
    // Team B (back on the seed) gets the seed preset: the reported $35,000 at list prices.
    const seedPresets = economicsPresetsSchema.parse((await call(presetsPath.GET, b.read)).body);
    expect(seedPresets.workedCase.input).toEqual(workedCasePlannerInput());
    expect(seedPresets.workedCase.priceOrigins).toEqual({ frontier: "seed", serving: "seed" });
    expect(seedPresets.workedCase.explanation.frontierOnly.monthlyUsd).toBeCloseTo(35_010, 6);
  });

  it("advise answers the decision table's combined recommendation", async () => {
    const body = {
      situations: ["high_volume_cost_sensitive", "complex_planning", "many_tools"],
      plan: { targets: ["orchestration"], trainingData: "synthetic", hasEvalHarness: false },
    };
    const res = await call(advisePath.POST, a.read, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(advise(body as never))));
    expect(res.body.approach).toBe("hybrid");
    const bad = await call(advisePath.POST, a.read, { situations: ["vibes"] });
    expect(bad.status).toBe(422);
    expect(issuesOf(bad.body)[0]!.path).toBe("situations.0");
  });

  it("lets a viewer plan but not edit prices", async () => {
    const viewer = await signUp("econ-viewer");
    await db().member.create({ data: { teamId: a.id, userId: viewer.id, role: "VIEWER" } });
    const headers = sessionHeaders(viewer, a.id);
    const req = (method: string, body?: unknown) =>
      new Request("http://localhost:3999/api/v1/economics/x", {
        method,
        headers: { ...headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const ctx = { params: Promise.resolve({}) };
    expect((await planPath.POST(req("POST", workedCasePlannerInput()), ctx)).status).toBe(200);
    expect((await pricesPath.PUT(req("PUT", { entries: SEED_PRICES }), ctx)).status).toBe(403);
  });
});
