import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { DEMO } from "../prisma/demo";
import { serverEnv } from "./server-env";

/**
 * The demo as a PM meets it: the seed and the demo story (prisma/demo-story.ts) run against this
 * run's database while this run's worker does the work — v1 trained, evaluated, gated and in
 * PRODUCTION; telemetry whose tool-call errors climb; a monitor that breaches; a DRIFT retrain
 * whose v2 waits for approval. Then the PM signs in with the demo account, opens the Model, reads
 * v2's card, approves it and promotes it. Nothing here writes a result the pipeline did not make.
 */

const run = promisify(execFile);
const script = (file: string) =>
  run(process.execPath, ["--import", "tsx", file], {
    env: serverEnv as NodeJS.ProcessEnv, // NODE_ENV is set in it (Next's typing wants it declared)
    timeout: 1_500_000,
    maxBuffer: 16 * 1024 * 1024,
  });

test.beforeAll(async () => {
  test.setTimeout(1_800_000);
  await script("prisma/seed.ts");
  const story = await script("prisma/demo-story.ts").catch((e: { stdout?: string }) => {
    throw new Error(`the demo story did not complete:\n${e.stdout ?? String(e)}`);
  });
  expect(story.stdout).toContain('"story":"complete"');
});

test("the PM opens the demo Model, reads the candidate's card, approves and promotes it", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);

  // The Model: v1 serves, v2 (the drift retrain's candidate) waits for approval.
  await page.goto("/models");
  await page.getByRole("link", { name: DEMO.model }).click();
  await expect(page.getByRole("heading", { level: 1, name: DEMO.model })).toBeVisible();
  await expect(page.getByTestId("production-version")).toContainText("v1");
  const versions = page.getByRole("table", { name: `Versions of ${DEMO.model}` });
  const v2 = versions.getByRole("row").filter({ hasText: "v2" });
  await expect(v2).toContainText("Gate passed");
  await expect(v2).toContainText("Awaiting approval");
  // The breach and the retrain it opened are on the same page.
  await expect(
    page.getByRole("table", { name: `Monitors of ${DEMO.model}` }).getByRole("row", {
      name: /Tool-call errors/,
    }),
  ).toContainText(/warning/i);
  await expect(page.getByTestId("retrain-request").first()).toContainText(/drift/i);

  // v2's card: what it is, the evidence, and that it waits for a sign-off.
  await v2.getByRole("link").first().click();
  await expect(page.getByTestId("approval-status")).toHaveText("Awaiting approval");
  await page.getByRole("link", { name: "Model card" }).click();
  await expect(page.getByRole("heading", { name: "Model card" })).toBeVisible();
  await expect(page.getByText("retune/tiny-chat").first()).toBeVisible();
  await expect(page.getByText("tool_call_accuracy").first()).toBeVisible();
  await page.goBack();

  // Approve, then promote: v2 serves and v1 is archived.
  await page.getByLabel("Comment").fill("Holds production's accuracy on the held-out calls.");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(page.getByTestId("approval-status")).toHaveText("Approved");
  await page.getByRole("button", { name: "Promote to production" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Promote to production" }).click();
  await expect(page.getByTestId("model-version-stage")).toHaveText("Production");
  await page.goto("/models");
  await page.getByRole("link", { name: DEMO.model }).click();
  await expect(page.getByTestId("production-version")).toContainText("v2");
});
