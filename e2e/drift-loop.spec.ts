import { expect, test } from "@playwright/test";
import { api, type Json, learnableSuite, tinyLaunch } from "./api";
import { learnableToolJsonlText } from "../test/fixtures/tool-call-rows";
import { newPerson, signUpWithTeam } from "./helpers";

/**
 * The whole re-tuning loop, real on CPU: a Model with a PRODUCTION version (trained, evaluated
 * and gated here); production posts traces and telemetry with an API key; tool-call validity
 * degrades; the monitor breaches (checked from its page); one DRIFT retrain builds a dataset
 * from the traces, which validates, trains, is evaluated, passes the gate and is promoted by the
 * retrain policy; the Model page shows each step. Setup goes through the API.
 */

const ROWS = 200;
const MAX_STEPS = 160;
const THRESHOLD = 0.3;

const hyperparameters = {
  loraR: 16,
  loraAlpha: 32,
  learningRate: 0.003,
  maxSteps: MAX_STEPS,
  microBatchSize: 8,
  gradientAccumulationSteps: 1,
  warmupSteps: 5,
  sequenceLen: 256,
};

/** Telemetry events of `count` calls in the last minutes, `invalid` of them with a bad tool call. */
function events(count: number, invalid: number, tag: string) {
  const tools = ["get_weather", "search_products", "create_ticket"];
  return Array.from({ length: count }, (_, i) => ({
    id: `${tag}-${i}`,
    timestamp: new Date(Date.now() - (i % 20) * 60_000).toISOString(),
    model: "support tool caller",
    version: 1,
    outcome: i < invalid ? "failure" : "success",
    toolCallValid: i >= invalid,
    escalated: i < invalid / 2,
    latencyMs: 120 + (i % 50) * 3,
    costUsd: 0.0004,
    tool: tools[i % tools.length],
    intent: i % 2 ? "shopping" : "weather",
  }));
}

test("drift breaches, one retrain builds from traces, trains, passes the gate and is promoted", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(1_500_000);
  const origin = baseURL!;
  await signUpWithTeam(page, newPerson("loop"), `Loop ${Date.now()}`);
  const session = { Origin: origin };
  const call = (method: "GET" | "POST" | "PUT", path: string, data?: unknown) =>
    api(page.request, session, method, path, data);

  // A Model in production: dataset → suite → gate → trained v1 → promoted.
  const { versionId, suiteId } = await learnableSuite(
    page.request,
    origin,
    ROWS,
    `loop-${Date.now()}`,
  );
  const model = await call("POST", "/api/v1/models", {
    name: "support tool caller",
    evalSuiteId: suiteId,
    gatePolicy: {
      conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: THRESHOLD }],
      minCases: 10,
    },
  });
  const modelId = model.id as string;
  const job = await call(
    "POST",
    "/api/v1/training-jobs",
    tinyLaunch(modelId, versionId, hyperparameters),
  );
  let v1 = "";
  await expect
    .poll(
      async () => {
        const j = await call("GET", `/api/v1/training-jobs/${job.id as string}`);
        if (j.status === "FAILED") throw new Error(`training failed: ${String(j.error)}`);
        v1 = (j.modelVersionId as string | null) ?? "";
        return j.status;
      },
      { timeout: 600_000, intervals: [3_000] },
    )
    .toBe("SUCCEEDED");
  await expect
    .poll(async () => ((await call("GET", `/api/v1/model-versions/${v1}`)).gate as Json)?.status, {
      timeout: 300_000,
      intervals: [2_000],
    })
    .toBe("PASSED");
  await call("POST", `/api/v1/model-versions/${v1}/promote`, { stage: "PRODUCTION" });

  // The loop's settings: a retrain policy that promotes on a passing gate, a drift monitor.
  await call("PUT", `/api/v1/models/${modelId}/retrain-policy`, {
    autoPromote: true,
    datasetRecipe: { days: 30, minTraces: 50 },
  });
  const monitor = await call("POST", "/api/v1/monitors", {
    model: "support tool caller",
    metric: "tool_call_error_rate",
    window: "1h",
    threshold: 0.2,
    minSamples: 100,
    cooldown: "1d",
    action: "retrain",
  });

  // Production posts with an API key that may only write telemetry.
  const created = await call("POST", "/api/v1/api-keys", {
    name: "production agent",
    scopes: ["telemetry"],
  });
  const agent = { authorization: `Bearer ${created.key as string}` };
  const traces = learnableToolJsonlText(ROWS, 23)
    .trim()
    .split("\n")
    .map((line, i) => ({
      id: `trace-${i}`,
      timestamp: new Date(Date.now() - i * 30_000).toISOString(),
      model: "support tool caller",
      ...(JSON.parse(line) as { messages: unknown[]; tools?: unknown[] }),
      outcome: i % 10 === 0 ? "failure" : "success",
      ...(i % 10 === 0 ? { correctedBy: "human" } : {}),
    }));
  const posted = await api(page.request, agent, "POST", "/api/v1/traces", { traces });
  expect(posted.accepted).toBe(ROWS);
  // The trace browser lists them; a trace opens as its conversation.
  await page.goto("/traces");
  const row = page
    .getByRole("table", { name: "Traces" })
    .getByRole("row")
    .filter({ has: page.getByText("trace-0", { exact: true }) });
  await row.getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Trace trace-0" })).toBeVisible();
  await expect(page.getByText("Conversation")).toBeVisible();
  expect(
    (
      await api(page.request, agent, "POST", "/api/v1/telemetry", {
        events: events(300, 9, "healthy"),
      })
    ).accepted,
  ).toBe(300);

  // Healthy: 3% invalid calls; the check from the monitor's page says so.
  await page.goto(`/monitors/${monitor.id as string}`);
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("monitor-state")).toHaveText(/OK/i);

  // Tool-call validity degrades: 60% of the next 400 calls are invalid.
  expect(
    (
      await api(page.request, agent, "POST", "/api/v1/telemetry", {
        events: events(400, 240, "degraded"),
      })
    ).accepted,
  ).toBe(400);
  await page.getByRole("button", { name: "Check now" }).click();
  await expect(page.getByTestId("monitor-state")).toHaveText(/WARNING/i);
  // Both checks are charted (with any the monitor's scheduler ran meanwhile), the last breached.
  const chart = page.getByTestId("check-chart");
  await expect
    .poll(async () => Number(await chart.getAttribute("data-points")))
    .toBeGreaterThanOrEqual(2);
  await expect(chart).toHaveAttribute("aria-label", /[1-9]\d* breached, latest value/);
  // Checked again (a scheduler firing twice): still one retrain.
  const again = await call("POST", `/api/v1/monitors/${monitor.id as string}/check`);
  expect(again.breached).toBe(true);

  // The Model page shows the loop, step by step, until the new version serves.
  await page.goto(`/models/${modelId}`);
  await expect(page.getByTestId("telemetry-samples")).toContainText("700");
  // Issue 17: the Model's live economics from the same telemetry: 124 of the 700 calls reported
  // escalated (4 healthy, 120 degraded), so the small model kept 576/700 = 82.3%.
  await expect(page.getByTestId("economics-kept-share")).toContainText(/82(\.3)?\s?%/);
  await expect(page.getByTestId("economics-calls-per-day")).toBeVisible();
  for (const s of ["trigger", "dataset", "job", "eval", "gate", "promotion"]) {
    await expect(page.getByTestId(`loop-step-${s}`).first()).toBeVisible({ timeout: 60_000 });
  }
  await expect(page.getByTestId("loop-step-promotion").first()).toHaveAttribute(
    "aria-label",
    /promotion: done/,
    { timeout: 1_200_000 },
  );
  for (const s of ["trigger", "dataset", "job", "eval", "gate"]) {
    await expect(page.getByTestId(`loop-step-${s}`).first()).toHaveAttribute(
      "aria-label",
      new RegExp(`${s}: done`),
    );
  }

  // Exactly one DRIFT job, built from the traces, and its version is now in production.
  const drift = (await call("GET", `/api/v1/training-jobs?model=${modelId}&trigger=DRIFT`))
    .jobs as Json[];
  expect(drift).toHaveLength(1);
  const retrains = (await call("GET", `/api/v1/models/${modelId}/retrains`)).retrains as Json[];
  expect(retrains).toHaveLength(1);
  expect(retrains[0]).toMatchObject({ trigger: "DRIFT", status: "LAUNCHED", traceCount: ROWS });
  const detail = await call("GET", `/api/v1/models/${modelId}`);
  expect(JSON.stringify(detail)).toContain('"PRODUCTION"');
  const prod = (detail.production ?? null) as Json | null;
  expect(prod?.version).toBe(2);
});
