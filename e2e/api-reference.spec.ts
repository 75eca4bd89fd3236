import { expect, test } from "@playwright/test";
import { newPerson, signUpWithTeam } from "./helpers";
import { Watcher } from "./page-watcher";

test("the API reference renders the OpenAPI document with no console error or failed request", async ({
  page,
  baseURL,
}) => {
  const watcher = new Watcher(page, baseURL!);

  await signUpWithTeam(page, newPerson("dev"), `Dev ${Date.now()}`);
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(/\/api-reference$/);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  // Scalar has rendered the document: its title, and the tags in its sidebar.
  const reference = page.locator(".api-reference");
  try {
    await expect(reference.getByText("retune API").first()).toBeVisible({ timeout: 30_000 });
    await expect(reference.getByText("Training", { exact: true }).first()).toBeVisible();
    await expect(reference.getByText("Telemetry", { exact: true }).first()).toBeVisible();
  } catch (e) {
    const text = (
      await page
        .locator("main")
        .innerText()
        .catch(() => "")
    ).slice(0, 1500);
    throw new Error(
      `${(e as Error).message}\nproblems: ${watcher.problems.join("\n")}\npage: ${text}`,
    );
  }
  await page.waitForLoadState("networkidle");
  if (process.env.API_REFERENCE_SCREENSHOT)
    await page.screenshot({ path: process.env.API_REFERENCE_SCREENSHOT, fullPage: false });

  // The document itself is public and cacheable.
  const doc = await page.request.get("/api/v1/openapi.json");
  expect(doc.status()).toBe(200);
  expect(doc.headers()["cache-control"]).toContain("public");
  expect((await doc.json()).openapi).toBe("3.1.0");

  expect(watcher.problems).toEqual([]);
});
