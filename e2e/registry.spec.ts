import { expect, test } from "@playwright/test";
import { api, learnableSuite, tinyLaunch } from "./api";
import { formatMetricValue } from "../lib/domain/gate";
import { atHome, fillSignUp, newPerson, signUpWithTeam } from "./helpers";

/**
 * Evaluation, gate, approval and promotion, real from end to end on CPU: a Model with an eval
 * suite and a gate (tool_call_accuracy above a threshold, approval by an ADMIN other than the
 * launcher); a tiny LoRA job trains; the worker evaluates the candidate and the bare base model by
 * real local generation; the gate passes; promotion waits for approval; a second person approves
 * in the browser; the version goes to PRODUCTION; its model card shows the real numbers and
 * exports as Markdown. Setup goes through the API (the pages for it have their own specs).
 */

/** Training: every argument is stated in the request, so a CI-sized run learns real calls. */
const ROWS = 200;
const MAX_STEPS = 160;
const MICRO_BATCH = 8;
/** The gate: well above the bare base model (0: it never emits a parsable call); CI-sized runs reach ~0.65. */
const THRESHOLD = 0.3;

test("a candidate is evaluated, gated, approved by a second person and promoted; its card exports", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(900_000);
  const origin = baseURL!;
  const owner = newPerson("owner");
  const teamName = `Registry ${Date.now()}`;
  await signUpWithTeam(page, owner, teamName);
  const call = (method: "GET" | "POST", path: string, data?: unknown) =>
    api(page.request, { Origin: origin }, method, path, data);

  // A dataset whose eval split is the suite.
  const { versionId, suiteId } = await learnableSuite(
    page.request,
    origin,
    ROWS,
    `weather-and-shop-${Date.now()}`,
  );

  const model = await call("POST", "/api/v1/models", {
    name: "support tool caller",
    evalSuiteId: suiteId,
    gatePolicy: {
      conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: THRESHOLD }],
      minCases: 10,
      requireApproval: true,
      approverRoles: ["ADMIN"],
      approverMustDifferFromLauncher: true,
    },
  });
  const approver = newPerson("approver");
  const invitation = await call("POST", "/api/v1/invitations", {
    email: approver.email,
    role: "ADMIN",
  });

  const job = await call(
    "POST",
    "/api/v1/training-jobs",
    tinyLaunch(model.id as string, versionId, {
      loraR: 16,
      loraAlpha: 32,
      learningRate: 0.003,
      maxSteps: MAX_STEPS,
      microBatchSize: MICRO_BATCH,
      warmupSteps: 5,
    }),
  );

  // The candidate appears on the Model's page once training succeeds.
  await page.goto(`/models/${model.id as string}`);
  await expect(page.getByRole("heading", { level: 1, name: "support tool caller" })).toBeVisible();
  let candidateId = "";
  await expect
    .poll(
      async () => {
        const j = await call("GET", `/api/v1/training-jobs/${job.id as string}`);
        if (j.status === "FAILED") throw new Error(`training failed: ${String(j.error)}`);
        candidateId = (j.modelVersionId as string | null) ?? "";
        return j.status;
      },
      { timeout: 600_000, intervals: [3_000] },
    )
    .toBe("SUCCEEDED");

  // Evaluated by real local generation, next to the bare base model; the gate passes.
  await page.goto(`/model-versions/${candidateId}`);
  await expect(page.getByTestId("gate-status")).toHaveText("Gate passed", { timeout: 300_000 });
  // The gate needs only the candidate's run; the base model's (context) may still be running.
  type Eval = { status: string; target: { kind: string }; metrics: Record<string, number> };
  let evals: Eval[] = [];
  await expect
    .poll(
      async () => {
        evals = (await call("GET", `/api/v1/model-versions/${candidateId}`)).evals as Eval[];
        return evals.map((e) => `${e.target.kind}:${e.status}`).sort();
      },
      { timeout: 300_000, intervals: [2_000] },
    )
    .toEqual(["BASE_MODEL:SUCCEEDED", "MODEL_VERSION:SUCCEEDED"]);
  const mine = evals.find((e) => e.target.kind === "MODEL_VERSION")!.metrics;
  const base = evals.find((e) => e.target.kind === "BASE_MODEL")!.metrics;
  expect(mine.tool_call_accuracy).toBeGreaterThanOrEqual(THRESHOLD);
  expect(mine.tool_call_accuracy!).toBeGreaterThan(base.tool_call_accuracy!);
  await expect(page.getByRole("heading", { name: "Evaluations" })).toBeVisible();
  await expect(page.getByTestId("approval-status")).toHaveText("Awaiting approval");

  // Promotion waits for the approval.
  await page.getByRole("button", { name: "Promote to production" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Promote to production" }).click();
  await expect(dialog.getByText("Promotion blocked")).toBeVisible();
  await expect(dialog.getByText(/approval by ADMIN is required/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // A second person joins as ADMIN and approves in the browser.
  const context = await browser.newContext();
  try {
    const ap = await context.newPage();
    await ap.goto(invitation.url as string);
    await ap.getByRole("link", { name: "Create an account" }).click();
    await expect(ap.getByLabel("Email")).toHaveValue(approver.email);
    await fillSignUp(ap, approver);
    await expect(ap).toHaveURL(/\/invite\//);
    await ap.getByRole("button", { name: `Accept and join ${teamName}` }).click();
    await expect(ap).toHaveURL(atHome);
    await ap.goto(`/model-versions/${candidateId}`);
    await expect(ap.getByTestId("approval-status")).toHaveText("Awaiting approval");
    await ap.getByLabel("Comment").fill("Beats the base model on held-out calls.");
    await ap.getByRole("button", { name: "Approve", exact: true }).click();
    await expect(ap.getByTestId("approval-status")).toHaveText("Approved");
  } finally {
    await context.close();
  }

  // Now the owner promotes it.
  await page.reload();
  await expect(page.getByTestId("approval-status")).toHaveText("Approved");
  await page.getByRole("button", { name: "Promote to production" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Promote to production" }).click();
  await expect(page.getByTestId("model-version-stage")).toHaveText("Production");

  // The model card: the real numbers, and a Markdown export with front matter.
  await page.getByRole("link", { name: "Model card" }).click();
  await expect(page.getByRole("heading", { name: "Model card" })).toBeVisible();
  const accuracy = mine.tool_call_accuracy!;
  await expect(page.getByText("Beats the base model on held-out calls.")).toBeVisible();
  const exportLink = page.getByRole("link", { name: "Export Markdown" });
  const href = (await exportLink.getAttribute("href"))!;
  const md = await (await page.request.get(href)).text();
  expect(md.startsWith("---\n")).toBe(true);
  expect(md).toContain("base_model: retune/tiny-chat");
  expect(md).toContain("library_name: peft");
  expect(md).toContain("tool_call_accuracy");
  expect(md).toContain(formatMetricValue(accuracy));
  expect(md).toContain("PRODUCTION");
});
