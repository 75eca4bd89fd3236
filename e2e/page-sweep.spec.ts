import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { api, learnableSuite, TINY_BASE, tinyLaunch } from "./api";
import { newPerson, signUpWithTeam } from "./helpers";
import { Watcher } from "./page-watcher";
import { insertBareVersion } from "./registry-rows";

/**
 * Every page on a normal visit: no console error, no uncaught exception, no failed request and
 * no same-origin answer of 400 or more (issue 18). The console's pages are found by following
 * its navigation as rendered (the sidebar, Settings' tabs), one page of each detail kind is
 * opened, and every page route under app/ must have been reached, so a new page is swept without
 * anyone adding it here. The detail pages' data is made through the API — the training job is
 * launched and cancelled at once, the eval run scores the base model on three cases — except the
 * model version, which only a finished training run registers: it is written to the database.
 */

/** Rows of the uploaded set: its 15% eval split is three cases for the eval run. */
const ROWS = 20;
const BASE = TINY_BASE;

/** The console's navigation landmarks, whose links the sweep follows. */
const NAVS = ["Main", "Settings sections"];

/** The page routes under app/, as patterns: "/datasets/[id]/versions/[versionId]". */
function pageRoutes(): string[] {
  return readdirSync("app", { recursive: true, encoding: "utf8" })
    .filter((f) => path.basename(f) === "page.tsx")
    .map((f) => {
      const segments = path
        .dirname(f)
        .split(path.sep)
        .filter((s) => s !== "." && !/^\(.+\)$/.test(s));
      return `/${segments.join("/")}`;
    })
    .sort();
}

const matches = (route: string, pathname: string) =>
  new RegExp(`^${route.replace(/\[[^\]]+\]/g, "[^/]+")}$`).test(pathname);

test("every page loads without a console error or a failed request", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const origin = baseURL!;
  const me = new Watcher(page, origin);

  // Sign-up and onboarding are visits too.
  await signUpWithTeam(page, newPerson("sweep"), `Sweep ${Date.now()}`);
  const call = (method: "GET" | "POST", p: string, data?: unknown) =>
    api(page.request, { Origin: origin }, method, p, data);

  // Something on every detail page, made side by side.
  const stamp = Date.now().toString(36);
  const modelName = `support-agent/sweep-${stamp}`;
  const traceId = `sweep-${stamp}`;
  const [{ versionId, suiteId }, model, key, invitation] = await Promise.all([
    learnableSuite(page.request, origin, ROWS, `sweep-calls-${stamp}`),
    call("POST", "/api/v1/models", { name: modelName }),
    call("POST", "/api/v1/api-keys", { name: "agent", scopes: ["telemetry"] }),
    call("POST", "/api/v1/invitations", {
      email: `invitee-${stamp}@e2e.retune.test`,
      role: "VIEWER",
    }),
  ]);
  const modelId = model.id as string;
  const [dataset, evalRun, job, modelVersionId, monitor] = await Promise.all([
    call("GET", `/api/v1/dataset-versions/${versionId}`),
    call("POST", "/api/v1/eval-runs", { suiteId, target: { baseModel: BASE } }),
    // A job to look at, not to train: cancelled at once.
    call("POST", "/api/v1/training-jobs", tinyLaunch(modelId, versionId, { maxSteps: 1 })).then(
      async (j) => {
        await call("POST", `/api/v1/training-jobs/${j.id as string}/cancel`);
        return j;
      },
    ),
    insertBareVersion(modelId, 1, BASE),
    call("POST", "/api/v1/monitors", {
      model: modelName,
      name: "Tool-call errors",
      metric: "tool_call_error_rate",
      window: "1h",
      threshold: 0.2,
      minSamples: 5,
    }),
    api(
      page.request,
      { authorization: `Bearer ${key.key as string}` },
      "POST",
      "/api/v1/telemetry",
      {
        events: Array.from({ length: 20 }, (_, i) => ({
          id: `${traceId}-${i}`,
          timestamp: new Date(Date.now() - i * 60_000).toISOString(),
          model: modelName,
          version: 1,
          outcome: i % 5 ? "success" : "failure",
          toolCallValid: i % 5 !== 0,
          latencyMs: 150 + i,
          costUsd: 0.0004,
        })),
      },
    ),
    call("POST", "/api/v1/traces", {
      id: traceId,
      timestamp: new Date().toISOString(),
      model: modelName,
      outcome: "success",
      messages: [
        { role: "user", content: "What is the weather in Oslo?" },
        { role: "assistant", content: "Let me check the forecast for Oslo." },
      ],
    }),
  ]);
  const [datasetId, evalRunId, jobId, monitorId] = [
    dataset.datasetId,
    evalRun.id,
    job.id,
    monitor.id,
  ] as string[];

  // The console's navigation, followed from home: the sidebar, and the tabs of what it opens.
  const queue = ["/"];
  for (let i = 0; i < queue.length; i++) {
    await me.visit(queue[i]!);
    for (const href of await me.navLinks(NAVS)) if (!queue.includes(href)) queue.push(href);
  }
  expect(queue).toEqual(
    expect.arrayContaining(["/", "/datasets", "/settings", "/settings/members"]),
  );

  // Signed out: sign-in, and an invitation's page.
  const context = await browser.newContext({ baseURL: origin });
  const visitor = new Watcher(await context.newPage(), origin);
  await visitor.visit("/sign-in");
  await visitor.visit(new URL(invitation.url as string).pathname);
  await context.close();

  // One page of each kind, in a finished state where the kind has one.
  await expect
    .poll(async () => (await call("GET", `/api/v1/training-jobs/${jobId}`)).status, {
      timeout: 30_000,
    })
    .toBe("CANCELLED");
  await expect
    .poll(async () => (await call("GET", `/api/v1/eval-runs/${evalRunId}`)).status, {
      timeout: 60_000,
    })
    .toMatch(/^(SUCCEEDED|FAILED)$/);
  for (const url of [
    `/datasets/${datasetId}`,
    `/datasets/${datasetId}/versions/${versionId}`,
    `/training-jobs/new?datasetVersionId=${versionId}`,
    `/training-jobs/${jobId}`,
    `/training-jobs/compare?ids=${jobId}`,
    `/evals?suiteId=${suiteId}`,
    `/evals/runs/${evalRunId}`,
    `/models/${modelId}`,
    `/model-versions/${modelVersionId}`,
    `/model-versions/${modelVersionId}/card`,
    `/model-versions/${modelVersionId}/compare`,
    `/monitors/${monitorId}`,
    `/traces/${encodeURIComponent(traceId)}`,
  ])
    await me.visit(url);

  const watchers = [me, visitor];
  const reached = watchers.flatMap((w) => [...w.reached]);
  const unvisited = pageRoutes().filter((r) => !reached.some((p) => matches(r, p)));
  expect(unvisited, "page routes the sweep did not reach").toEqual([]);
  expect(
    watchers.flatMap((w) => w.problems),
    "console errors and failed requests on a normal visit",
  ).toEqual([]);
});
