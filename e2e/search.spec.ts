import { expect, test, type Page } from "@playwright/test";
import { api, type Json } from "./api";
import { learnableToolJsonlText } from "../test/fixtures/tool-call-rows";
import { newPerson, signUpWithTeam } from "./helpers";

/**
 * Issue 18: every list is searched by typing part of a name, in any case, on the server, and the
 * search lives in the URL: a reload keeps it, and the back button returns to it. Two rows per
 * list (one that matches, one that does not) are made through the API; the spec is about the
 * search, not about making things. Work the rows would start (a training run, an eval run) is
 * cancelled at once.
 */

/** Types into the list's search field and waits for the URL to carry the search. */
async function search(page: Page, field: string, text: string) {
  await page.getByRole("searchbox", { name: field }).fill(text);
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(text);
}

/** The table shows `shown` and, once the search's answer is in, not `hidden`. */
async function expectRows(
  page: Page,
  table: string,
  shown: string | string[],
  hidden: string | string[],
) {
  const t = page.getByRole("table", { name: table });
  for (const name of [shown].flat()) await expect(t.getByText(name, { exact: true })).toBeVisible();
  for (const name of [hidden].flat())
    await expect(t.getByText(name, { exact: true })).toHaveCount(0);
}

test("each list is searched by a substring, and the search stays in the URL", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const origin = baseURL!;
  await signUpWithTeam(page, newPerson("search"), `Search ${Date.now()}`);
  const call = (method: "GET" | "POST", path: string, data?: unknown) =>
    api(page.request, { Origin: origin }, method, path, data);
  // Cancels what a row started; one that already ended (409) is as good.
  const cancel = async (path: string) => {
    const res = await page.request.post(path, { headers: { Origin: origin } });
    expect([200, 202, 409], `${path}: ${await res.text()}`).toContain(res.status());
  };

  // Datasets: one READY (suites and jobs need it), two empty.
  const refundData = await call("POST", "/api/v1/datasets", { name: "Refund_replay" });
  await call("POST", "/api/v1/datasets", { name: "RefundXreplay" });
  await call("POST", "/api/v1/datasets", { name: "Growth plan" });
  const upload = await page.request.post(
    `/api/v1/datasets/${refundData.id as string}/versions?format=auto&evalFraction=0.2`,
    {
      headers: { Origin: origin, "content-type": "application/x-ndjson" },
      data: Buffer.from(learnableToolJsonlText(30)),
    },
  );
  expect(upload.ok(), await upload.text()).toBe(true);
  const versionId = ((await upload.json()) as Json).id as string;
  // Models, monitors and traces meanwhile: none needs the version.
  await call("POST", "/api/v1/models", { name: "refund-router" });
  await call("POST", "/api/v1/models", { name: "order-lookup" });
  for (const [model, name] of [
    ["refund-router", "Refund error rate"],
    ["order-lookup", "Latency watch"],
  ] as const) {
    await call("POST", "/api/v1/monitors", {
      model,
      name,
      metric: "tool_call_error_rate",
      window: "1h",
      threshold: 0.2,
    });
  }
  const key = await call("POST", "/api/v1/api-keys", { name: "agent", scopes: ["telemetry"] });
  const traced = (id: string, tool: string) => ({
    id,
    timestamp: new Date().toISOString(),
    model: "refund-router",
    outcome: "success",
    messages: [
      { role: "user", content: "Where is my money?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c1", type: "function", function: { name: tool, arguments: "{}" } }],
      },
    ],
  });
  await api(
    page.request,
    { authorization: `Bearer ${key.key as string}` },
    "POST",
    "/api/v1/traces",
    {
      traces: [traced("refund-ticket-42", "refund_order"), traced("lookup-7", "lookup_order")],
    },
  );
  await expect
    .poll(async () => (await call("GET", `/api/v1/dataset-versions/${versionId}`)).status, {
      timeout: 60_000,
    })
    .toBe("READY");
  const suites = [];
  for (const name of ["Refund held-out", "Orders held-out"]) {
    suites.push(await call("POST", "/api/v1/eval-suites", { name, datasetVersionId: versionId }));
  }
  for (const suite of suites) {
    const run = await call("POST", "/api/v1/eval-runs", {
      suiteId: suite.id,
      target: { baseModel: "retune/tiny-chat" },
    });
    await cancel(`/api/v1/eval-runs/${run.id as string}/cancel`);
  }
  for (const model of ["refund-router", "order-lookup"]) {
    const job = await call("POST", "/api/v1/training-jobs", {
      model,
      datasetVersionId: versionId,
      baseModel: "retune/tiny-chat",
      hyperparameters: { maxSteps: 2, microBatchSize: 1, gradientAccumulationSteps: 1 },
    });
    await cancel(`/api/v1/training-jobs/${job.id as string}/cancel`);
  }

  // Datasets: any case; "_" is the character, not a wildcard (it would match "RefundXreplay").
  await page.goto("/datasets");
  await search(page, "Search datasets", "REFUND");
  await expectRows(page, "Datasets", ["Refund_replay", "RefundXreplay"], "Growth plan");
  await search(page, "Search datasets", "d_r");
  await expectRows(page, "Datasets", "Refund_replay", ["RefundXreplay", "Growth plan"]);
  // The back button returns to the search: from the dataset's page to the filtered list.
  await page.getByRole("link", { name: "Refund_replay" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Refund_replay" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("searchbox", { name: "Search datasets" })).toHaveValue("d_r");
  await expectRows(page, "Datasets", "Refund_replay", ["RefundXreplay", "Growth plan"]);

  // Models: a reload keeps the search (it is in the URL, and the server applies it).
  await page.goto("/models");
  await search(page, "Search models", "Router");
  await expectRows(page, "Models", "refund-router", "order-lookup");
  await page.reload();
  await expect(page.getByRole("searchbox", { name: "Search models" })).toHaveValue("Router");
  await expectRows(page, "Models", "refund-router", "order-lookup");
  // A search that matches nothing says so, and clearing it shows everything again.
  await search(page, "Search models", "no such model");
  await expect(
    page.getByRole("heading", { name: "No models match “no such model”" }),
  ).toBeVisible();
  await page.getByRole("searchbox", { name: "Search models" }).fill("");
  await expect.poll(() => new URL(page.url()).searchParams.has("q")).toBe(false);
  await expect(page.getByRole("table", { name: "Models" }).getByRole("link")).toHaveCount(2);

  // Training jobs: part of the Model's name finds its job ("refund-router #1").
  await page.goto("/training-jobs");
  await search(page, "Search jobs", "ROUTER");
  await expectRows(page, "Training jobs", "refund-router #1", "order-lookup #1");

  // Evals: one search narrows suites by name, and runs by target or suite.
  await page.goto("/evals");
  await search(page, "Search suites and runs", "refund");
  await expectRows(page, "Eval suites", "Refund held-out", "Orders held-out");
  await expectRows(page, "Eval runs", "Refund held-out", "Orders held-out");

  // Monitors: by the monitor's name or its Model's.
  await page.goto("/monitors");
  await search(page, "Search monitors", "order-LOOK");
  await expectRows(page, "Monitors", "Latency watch", "Refund error rate");

  // Traces: by trace id, or by part of a called tool's name ("_" is the character).
  await page.goto("/traces");
  await search(page, "Search traces", "Refund-Ticket");
  await expectRows(page, "Traces", "refund-ticket-42", "lookup-7");
  await search(page, "Search traces", "kup_or");
  await expectRows(page, "Traces", "lookup-7", "refund-ticket-42");
});
