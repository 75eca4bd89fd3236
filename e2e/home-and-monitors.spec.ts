import { expect, test } from "@playwright/test";
import { api, tinyLaunch, type Json } from "./api";
import { learnableToolJsonlText } from "../test/fixtures/tool-call-rows";
import { newPerson, signUpWithTeam } from "./helpers";

/**
 * Issue 18: the home page lists what needs attention and approves inline; the monitor page plots
 * the monitored metric from the telemetry rollups with the threshold and the checks on top; a
 * corrected trace shows the original beside the correction; aliases get set from the version
 * page; the audit log links its targets. Setup goes through the API; the one version awaiting
 * approval comes from the cheapest real path there is, a 2-step LoRA job on the tiny CPU base.
 */

test("a version awaiting approval is approved from the home page; aliases and the audit log follow", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(240_000);
  const origin = baseURL!;
  await signUpWithTeam(page, newPerson("home"), `Home ${Date.now()}`);
  const call = (method: "GET" | "POST" | "PUT", path: string, data?: unknown) =>
    api(page.request, { Origin: origin }, method, path, data);

  // A small dataset, and a Model whose policy asks for an OWNER's sign-off (no suite: no evals).
  const dataset = await call("POST", "/api/v1/datasets", { name: `home-${Date.now()}` });
  const upload = await page.request.post(
    `/api/v1/datasets/${dataset.id as string}/versions?format=auto&evalFraction=0.1`,
    {
      headers: { Origin: origin, "content-type": "application/x-ndjson" },
      data: Buffer.from(learnableToolJsonlText(40)),
    },
  );
  expect(upload.ok(), await upload.text()).toBe(true);
  const datasetVersionId = ((await upload.json()) as Json).id as string;
  await expect
    .poll(async () => (await call("GET", `/api/v1/dataset-versions/${datasetVersionId}`)).status, {
      timeout: 60_000,
    })
    .toBe("READY");
  const modelName = `home approvals ${Date.now().toString(36)}`;
  const model = await call("POST", "/api/v1/models", {
    name: modelName,
    gatePolicy: { requireApproval: true, approverRoles: ["OWNER"], minCases: 1 },
  });
  const job = await call(
    "POST",
    "/api/v1/training-jobs",
    tinyLaunch(model.id as string, datasetVersionId),
  );

  // While it trains, the home lists the running job.
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  let versionId = "";
  await expect
    .poll(
      async () => {
        const j = await call("GET", `/api/v1/training-jobs/${job.id as string}`);
        if (j.status === "FAILED") throw new Error(`training failed: ${String(j.error)}`);
        versionId = (j.modelVersionId as string | null) ?? "";
        return j.status;
      },
      { timeout: 180_000, intervals: [1_000] },
    )
    .toBe("SUCCEEDED");

  // The candidate awaits approval on the home page (it refreshes itself); approve it inline.
  const awaiting = page.getByRole("table", { name: "Versions awaiting approval" });
  const row = awaiting.getByRole("row").filter({ hasText: modelName });
  await expect(row).toBeVisible({ timeout: 30_000 });
  await expect(row).toContainText("v1");
  await row.getByRole("button", { name: `Approve ${modelName} v1` }).click();
  await expect(page.getByRole("heading", { name: "Nothing awaits approval" })).toBeVisible();
  const detail = await call("GET", `/api/v1/model-versions/${versionId}`);
  expect((detail.approval as Json).status).toBe("APPROVED");

  // The version page says so, by name; an alias is set there.
  await page.goto(`/model-versions/${versionId}`);
  await expect(page.getByTestId("approval-status")).toHaveText("Approved");
  const aliases = page.getByRole("region", { name: "Aliases", exact: true });
  await aliases.getByLabel("New alias").fill("Champion!");
  await aliases.getByRole("button", { name: "Add alias" }).click();
  await expect(aliases.getByText("starting with a letter")).toBeVisible();
  await aliases.getByLabel("New alias").fill("champion");
  await aliases.getByRole("button", { name: "Add alias" }).click();
  await expect(
    aliases.getByRole("list", { name: "Aliases of this version" }).getByText("@champion"),
  ).toBeVisible();
  expect((await call("GET", `/api/v1/model-versions/${versionId}`)).aliases).toEqual(["champion"]);

  // The audit log links the approval to the version, by its name, not its id.
  await page.goto("/settings/audit-log");
  const audit = page.getByRole("table", { name: "Audit events" });
  const approval = audit.getByRole("row").filter({ hasText: "model-version.approve" });
  await approval.getByRole("link", { name: `${modelName} v1` }).click();
  await expect(page).toHaveURL(new RegExp(`/model-versions/${versionId}$`));
});

/**
 * Three hours of telemetry, ten calls in each whole minute and three of them with an invalid tool
 * call: every bucket of the chart and the check's window measure exactly 30%.
 */
function events(model: string, minutes: number) {
  const lastMinute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  return Array.from({ length: minutes * 10 }, (_, i) => ({
    id: `home-${i}`,
    timestamp: new Date(lastMinute - Math.floor(i / 10) * 60_000 + (i % 10) * 1_000).toISOString(),
    model,
    outcome: i % 10 < 3 ? "failure" : "success",
    toolCallValid: i % 10 >= 3,
    latencyMs: 150 + (i % 40),
  }));
}

test("a monitor plots its metric's series with the threshold and its checks; a breach shows on the home page", async ({
  page,
  baseURL,
}) => {
  const origin = baseURL!;
  await signUpWithTeam(page, newPerson("charts"), `Charts ${Date.now()}`);
  const call = (method: "GET" | "POST", path: string, data?: unknown) =>
    api(page.request, { Origin: origin }, method, path, data);
  const model = "support tool caller";
  await call("POST", "/api/v1/models", { name: model });
  const key = await call("POST", "/api/v1/api-keys", { name: "agent", scopes: ["telemetry"] });
  const agent = { authorization: `Bearer ${key.key as string}` };
  // 30% invalid calls against a 20% threshold.
  const posted = await api(page.request, agent, "POST", "/api/v1/telemetry", {
    events: events(model, 180),
  });
  expect(posted.accepted).toBe(1800);
  const monitor = await call("POST", "/api/v1/monitors", {
    model,
    name: "Tool-call errors",
    metric: "tool_call_error_rate",
    window: "1h",
    threshold: 0.2,
    minSamples: 20,
    action: "alert",
  });

  await page.goto(`/monitors/${monitor.id as string}`);
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("monitor-state")).toHaveText(/WARNING/i);

  // The series from the rollups (three hours of buckets), the threshold line and the check.
  const chart = page.getByTestId("check-chart");
  await expect
    .poll(async () => Number(await chart.getAttribute("data-series-points")))
    .toBeGreaterThanOrEqual(5);
  await expect(chart).toHaveAttribute("data-threshold", "0.2");
  await expect(chart).toHaveAttribute("aria-label", /Tool-call error rate in production/);
  await expect(chart).toHaveAttribute("aria-label", /latest 30\.0%, peak 30\.0%/);
  // This check, and any the monitor's scheduler ran meanwhile: every one breached.
  const checks = Number(await chart.getAttribute("data-points"));
  expect(checks).toBeGreaterThanOrEqual(1);
  await expect(chart).toHaveAttribute(
    "aria-label",
    new RegExp(`${checks} checks?, ${checks} breached, latest value 30\\.0%`),
  );
  // (Flat lines have no height, so Playwright calls them hidden: check they are drawn instead.)
  await expect(chart.locator(".recharts-reference-line line")).toHaveAttribute(
    "stroke-dasharray",
    "4 3",
  );
  await expect(chart.locator(".recharts-line path.recharts-line-curve")).toHaveAttribute(
    "d",
    /^M[\d.]+,[\d.]+[LC]/,
  );
  await expect(chart.locator(".recharts-scatter circle")).toHaveCount(checks);
  // Nice ticks on the value axis: 0 to 30% in fives, never fractions of the peak.
  // (Recharts draws tick labels in a layer of their own: the value axis's are the percentages.)
  const labels = await chart.locator(".recharts-cartesian-axis-tick-value").allTextContents();
  expect(labels.filter((l) => l.endsWith("%"))).toEqual([
    "0%",
    "5%",
    "10%",
    "15%",
    "20%",
    "25%",
    "30%",
  ]);

  // The breach is on the home page, linked to the monitor.
  await page.goto("/");
  const breached = page.getByRole("table", { name: "Monitors in breach" });
  await expect(breached.getByRole("row").filter({ hasText: model })).toContainText("30.0%");
  await breached.getByRole("link", { name: "Tool-call errors" }).click();
  await expect(page).toHaveURL(new RegExp(`/monitors/${monitor.id as string}$`));

  // A trace corrected by a person shows what the model said beside the correction.
  const row = JSON.parse(learnableToolJsonlText(1).trim()) as { messages: Json[]; tools: Json[] };
  const [system, ask] = row.messages;
  const wrong = { role: "assistant", content: "I cannot help with that." };
  await api(page.request, agent, "POST", "/api/v1/traces", {
    traces: [
      {
        id: "corrected-1",
        timestamp: new Date().toISOString(),
        model,
        outcome: "failure",
        correctedBy: "human",
        tools: row.tools,
        messages: row.messages,
        originalMessages: [system, ask, wrong],
      },
    ],
  });
  await page.goto("/traces/corrected-1");
  const sides = page.getByTestId("trace-correction");
  await expect(page.getByRole("heading", { name: "Original and correction" })).toBeVisible();
  const original = sides.getByRole("region", { name: "Original answer", exact: true });
  const correction = sides.getByRole("region", { name: "Correction", exact: true });
  await expect(original).toContainText("I cannot help with that.");
  await expect(correction).toContainText("get_weather");
  await expect(correction).not.toContainText("I cannot help with that.");
});
