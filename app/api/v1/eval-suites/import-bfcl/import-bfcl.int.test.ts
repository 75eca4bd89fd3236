/**
 * `POST /api/v1/eval-suites/import-bfcl` through its route handler, with real PostgreSQL, files
 * and the dataset validator (issue #16, acceptance 3): a BFCL simple + parallel file pair becomes
 * one READY dataset version (categories in `metadata.category`, so slices) and a `bfcl`-profile
 * suite over all of it. Run through the API against a fake OpenAI-compatible endpoint (the real
 * HTTP protocol; no GPU here) that answers every case correctly, the suite scores 100%; answering
 * with known perturbations, it scores exactly what BFCL's checker gives them. Bad input is a 4xx
 * that names the file, category and line, and stores nothing.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importBfclResultSchema } from "@/lib/schemas/bfcl-import";
import { evalCasesPageSchema, evalRunSchema, evalSuiteSchema } from "@/lib/schemas/evals";
import { startFakeOpenAiServer, type FakeOpenAiServer } from "@/test/fakes/openai-server";
import { keyFor, ownerOfNewTeam } from "@/test/principals";
import { bfclCategory, bfclReply, PERTURBATIONS } from "@/lib/server/evals/bfcl-import-fixtures";

process.env.ARTIFACT_DIR = mkdtempSync(path.join(tmpdir(), "retune-bfcl-import-"));

const { db } = await import("@/lib/server/core/db");
const importRoute = await import("./route");
const suiteRoute = await import("../[id]/route");
const runsRoute = await import("../../eval-runs/route");
const runRoute = await import("../../eval-runs/[id]/route");
const casesRoute = await import("../../eval-runs/[id]/cases/route");
const { executeEvalRun } = await import("@/lib/server/evals/execute-run");

const APP = "http://localhost:3999";
// BFCL v4's own rows: the sample checked in under test/data/bfcl.
const SIMPLE = bfclCategory("simple_python");
const PARALLEL = bfclCategory("parallel");
const CASES = [...SIMPLE.cases, ...PARALLEL.cases];
const CASE_IDS = CASES.map((c) => c.question.id);

let teamId: string;
let key: string;
let readKey: string;
let otherKey: string;
let fake: FakeOpenAiServer;

beforeAll(async () => {
  const mine = await ownerOfNewTeam("bfcl-import");
  teamId = mine.team.id;
  key = (await keyFor(mine.team.id, mine.owner.id, ["read", "write"])).key;
  readKey = (await keyFor(mine.team.id, mine.owner.id, ["read"])).key;
  const other = await ownerOfNewTeam("bfcl-import-other");
  otherKey = (await keyFor(other.team.id, other.owner.id, ["read", "write"])).key;
  // One endpoint, two "models": the served model name picks correct or perturbed answers.
  fake = await startFakeOpenAiServer({
    apiKey: null,
    respond: (req) => bfclReply(CASES, req.body, req.body?.model === "bfcl-perfect"),
  });
});
afterAll(async () => {
  await fake?.close();
});

const ctx = (id = "") => ({ params: Promise.resolve({ id }) });
const headers = (bearer: string) => ({
  authorization: `Bearer ${bearer}`,
  "content-type": "application/json",
});

function postImport(body: unknown, bearer = key) {
  return importRoute.POST(
    new Request(`${APP}/api/v1/eval-suites/import-bfcl`, {
      method: "POST",
      headers: headers(bearer),
      body: JSON.stringify(body),
    }),
    ctx(),
  );
}

const pairs = () => [{ ...SIMPLE.files }, { ...PARALLEL.files }];

/** What a refused import must have left untouched: the team's datasets, versions and suites. */
async function stored(team = teamId) {
  const [datasets, versions, suites] = await Promise.all([
    db().dataset.count({ where: { teamId: team } }),
    db().datasetVersion.count({ where: { teamId: team } }),
    db().evalSuite.count({ where: { teamId: team } }),
  ]);
  return { datasets, versions, suites };
}

type ErrorBody = {
  error: { code: string; message: string; issues?: { path: string; message: string }[] };
};

/** Creates a run of the suite on the fake endpoint through the API and executes it in-process. */
async function runOn(suiteId: string, model: string) {
  const res = await runsRoute.POST(
    new Request(`${APP}/api/v1/eval-runs`, {
      method: "POST",
      headers: headers(key),
      body: JSON.stringify({
        suiteId,
        target: { endpoint: { url: fake.url, model, maxConcurrency: 4 } },
      }),
    }),
    ctx(),
  );
  expect(res.status).toBe(201);
  const { id } = evalRunSchema.parse(await res.json());
  const outcome = await executeEvalRun(id, { signal: new AbortController().signal, log: () => {} });
  expect(outcome).toMatchObject({ status: "SUCCEEDED" });
  const run = evalRunSchema.parse(
    await (
      await runRoute.GET(
        new Request(`${APP}/api/v1/eval-runs/${id}`, { headers: headers(key) }),
        ctx(id),
      )
    ).json(),
  );
  const cases = evalCasesPageSchema.parse(
    await (
      await casesRoute.GET(
        new Request(`${APP}/api/v1/eval-runs/${id}/cases?limit=500`, { headers: headers(key) }),
        ctx(id),
      )
    ).json(),
  ).cases;
  return { run, cases };
}

describe("POST /api/v1/eval-suites/import-bfcl", () => {
  let suiteId: string;

  it("imports a simple + parallel pair as one READY version and a bfcl-profile suite", async () => {
    const res = await postImport({
      name: "BFCL simple and parallel",
      baseModel: "retune/tiny-chat",
      files: pairs(),
    });
    const body = (await res.json()) as unknown;
    expect(res.status, JSON.stringify(body)).toBe(201);
    const result = importBfclResultSchema.parse(body);
    suiteId = result.suite.id;
    expect(result.categories).toEqual([
      { category: "simple_python", cases: SIMPLE.cases.length },
      { category: "parallel", cases: PARALLEL.cases.length },
    ]);
    expect(result.cases).toBe(CASE_IDS.length);
    expect(result.suite).toMatchObject({
      name: "BFCL simple and parallel",
      datasetVersionId: result.datasetVersionId,
      split: "all",
      scoringProfile: "bfcl",
      scorers: ["tool_call", "json_validity", "schema_validity", "latency"],
    });
    expect(result.dataset.name).toBe("bfcl/BFCL simple and parallel");

    const version = await db().datasetVersion.findUniqueOrThrow({
      where: { id: result.datasetVersionId },
    });
    expect(version).toMatchObject({ teamId, status: "READY", baseModel: "retune/tiny-chat" });
    expect(await db().datasetVersion.count({ where: { datasetId: result.dataset.id } })).toBe(1);

    // Read back through the API, as the team sees it.
    const got = await suiteRoute.GET(
      new Request(`${APP}/api/v1/eval-suites/${suiteId}`, { headers: headers(key) }),
      ctx(suiteId),
    );
    expect(evalSuiteSchema.parse(await got.json())).toMatchObject({
      id: suiteId,
      scoringProfile: "bfcl",
    });

    // Audited like other writes: the dataset, its upload, the suite, and the import itself.
    const actions = (
      await db().auditEvent.findMany({ where: { teamId }, select: { action: true } })
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "dataset.create",
        "dataset.upload",
        "eval-suite.create",
        "eval-suite.import-bfcl",
      ]),
    );
    const audit = await db().auditEvent.findFirstOrThrow({
      where: { teamId, action: "eval-suite.import-bfcl" },
    });
    expect(audit).toMatchObject({
      targetId: suiteId,
      metadata: {
        categories: `simple_python:${SIMPLE.cases.length},parallel:${PARALLEL.cases.length}`,
        cases: CASE_IDS.length,
      },
    });
  });

  it("scores 100% on an endpoint that answers every case correctly, each case in its category's slice", async () => {
    const { run, cases } = await runOn(suiteId, "bfcl-perfect");
    expect(run).toMatchObject({
      status: "SUCCEEDED",
      caseCount: CASE_IDS.length,
      scoringProfile: "bfcl",
    });
    expect(run.metrics.tool_call_accuracy).toBe(1);
    expect(run.metrics.json_validity).toBe(1);
    expect(cases.map((c) => c.passed)).toEqual(CASE_IDS.map(() => true));
    expect(cases.map((c) => c.scores.slice.category)).toEqual(CASES.map((c) => c.category));
    // The reference carries every acceptable value, not only the one the row's turn holds.
    expect(cases[0]!.expected.acceptable).toEqual([
      { name: expect.any(String), arguments: { base: [10], height: [5], unit: ["units", ""] } },
    ]);
  });

  it("scores exactly what BFCL's checker gives a perturbed endpoint", async () => {
    const { run, cases } = await runOn(suiteId, "bfcl-perturbed");
    // Cases without a perturbation are answered correctly.
    const verdicts = CASE_IDS.map((id) => PERTURBATIONS[id]?.passes ?? true);
    const failing = Object.values(PERTURBATIONS).filter((x) => !x.passes).length;
    expect(verdicts.filter((v) => !v)).toHaveLength(failing); // every perturbed id is in the files
    expect(run.metrics.tool_call_accuracy).toBeCloseTo(
      (CASE_IDS.length - failing) / CASE_IDS.length,
      12,
    );
    // Case by case, with the reason BFCL's rules give (see PERTURBATIONS[id].why).
    expect(
      cases.map((c) => ({
        id: CASE_IDS[c.index],
        passed: c.scores.scores.tool_call_accuracy === 1,
      })),
    ).toEqual(CASE_IDS.map((id, i) => ({ id, passed: verdicts[i] })));
    // Why each refused case lost its point names what BFCL's rule refused.
    for (const c of cases.filter((x) => !x.passed)) {
      const perturbation = PERTURBATIONS[CASE_IDS[c.index]!]!;
      expect(c.scores.reasons.tool_call_accuracy, perturbation.why).toMatch(perturbation.reason!);
    }
  });
});

describe("a refused import names what and where, and stores nothing", () => {
  it("a question line that is not JSON: 422 naming category, file and line", async () => {
    const before = await stored();
    const files = pairs();
    const lines = files[1]!.questions.split("\n");
    lines[1] = lines[1]!.slice(0, -3); // parallel questions, line 2, cut short
    files[1]!.questions = lines.join("\n");
    const res = await postImport({ name: "broken questions", files });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("invalid_bfcl");
    expect(body.error.issues?.[0]).toMatchObject({
      path: "files.1.questions",
      message: expect.stringMatching(/^parallel questions line 2: /),
    });
    expect(await stored()).toEqual(before);
  });

  it("an answer for a question id the question file does not hold: 422 naming it", async () => {
    const before = await stored();
    const files = pairs();
    files[0]!.answers +=
      JSON.stringify({ id: "simple_python_99", ground_truth: [{ f: { x: [1] } }] }) + "\n";
    const res = await postImport({ name: "stray answer", files });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.issues?.[0]).toMatchObject({
      path: "files.0.answers",
      message: expect.stringMatching(
        new RegExp(`^simple_python answers line ${SIMPLE.cases.length + 1}: .*simple_python_99`),
      ),
    });
    expect(await stored()).toEqual(before);
  });

  it("the same category twice, an unknown base model, an unknown key: 422 naming the field", async () => {
    const before = await stored();
    const twice = await postImport({ name: "twice", files: [pairs()[0], pairs()[0]] });
    expect(twice.status).toBe(422);
    expect(((await twice.json()) as ErrorBody).error.issues?.[0]).toMatchObject({
      path: "files.1.category",
      message: expect.stringContaining('"simple_python"'),
    });
    const model = await postImport({ name: "m", baseModel: "no/such-model", files: pairs() });
    expect(model.status).toBe(422);
    expect(((await model.json()) as ErrorBody).error.message).toMatch(/^baseModel: /);
    const extra = await postImport({ name: "x", files: pairs(), split: "eval" });
    expect(extra.status).toBe(422);
    expect(((await extra.json()) as ErrorBody).error.message).toMatch(/split/);
    expect(await stored()).toEqual(before);
  });

  it("rows the dataset validator refuses: 422 naming category and id, no suite; fixed, the same request succeeds", async () => {
    const before = await stored();
    const files = pairs();
    const lines = files[0]!.questions.split("\n");
    const long = JSON.parse(lines[4]!) as { id: string; question: { content: string }[][] };
    // Over retune/tiny-chat's 512-token context: an exceeds_context error on that row.
    long.question[0]![0]!.content += " Please show every step.".repeat(200);
    lines[4] = JSON.stringify(long);
    files[0]!.questions = lines.join("\n");
    const request = { name: "too long", baseModel: "retune/tiny-chat" };
    const res = await postImport({ ...request, files });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("invalid_dataset");
    expect(body.error.message).toMatch(/is INVALID; no suite was created/);
    expect(body.error.issues).toEqual([
      {
        path: `simple_python/${long.id}`,
        message: expect.stringMatching(/^exceeds_context at messages: .*context of 512 tokens/),
      },
    ]);
    // Like any upload, the version stays, INVALID with its report; no suite was created.
    const dataset = await db().dataset.findFirstOrThrow({
      where: { teamId, name: "bfcl/too long" },
    });
    const versions = await db().datasetVersion.findMany({ where: { datasetId: dataset.id } });
    expect(versions.map((v) => v.status)).toEqual(["INVALID"]);
    expect(await stored()).toEqual({
      datasets: before.datasets + 1,
      versions: before.versions + 1,
      suites: before.suites,
    });

    const fixed = await postImport({ ...request, files: pairs() });
    expect(fixed.status).toBe(201);
    const result = importBfclResultSchema.parse(await fixed.json());
    expect(result.dataset.id).toBe(dataset.id);
    expect(await db().datasetVersion.count({ where: { datasetId: dataset.id } })).toBe(2);
  });

  it("a suite name already taken: 409, and no second dataset", async () => {
    const before = await stored();
    const res = await postImport({
      name: "BFCL simple and parallel",
      datasetName: "another",
      files: pairs(),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as ErrorBody).error.message).toContain("BFCL simple and parallel");
    expect(await stored()).toEqual(before);
  });

  it("a read-only key: 403; another team sees none of it and imports into its own team", async () => {
    const before = await stored();
    const ro = await postImport({ name: "read only", files: pairs() }, readKey);
    expect(ro.status).toBe(403);
    expect(await stored()).toEqual(before);

    const suite = await db().evalSuite.findFirstOrThrow({
      where: { teamId, name: "BFCL simple and parallel" },
    });
    const foreign = await suiteRoute.GET(
      new Request(`${APP}/api/v1/eval-suites/${suite.id}`, { headers: headers(otherKey) }),
      ctx(suite.id),
    );
    expect(foreign.status).toBe(404);
    const run = await runsRoute.POST(
      new Request(`${APP}/api/v1/eval-runs`, {
        method: "POST",
        headers: headers(otherKey),
        body: JSON.stringify({
          suiteId: suite.id,
          target: { endpoint: { url: fake.url, model: "bfcl-perfect" } },
        }),
      }),
      ctx(),
    );
    expect(run.status).toBe(404);

    // The same names are free in another team: an import lands in the caller's team only.
    const theirs = await postImport({ name: "BFCL simple and parallel", files: pairs() }, otherKey);
    expect(theirs.status).toBe(201);
    const imported = importBfclResultSchema.parse(await theirs.json());
    expect(
      (await db().evalSuite.findUniqueOrThrow({ where: { id: imported.suite.id } })).teamId,
    ).not.toBe(teamId);
    expect(await stored()).toEqual(before);
  });
});
