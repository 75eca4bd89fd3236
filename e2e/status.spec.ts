import { expect, test } from "@playwright/test";
import { newPerson, signUpWithTeam } from "./helpers";

test("the status page shows database and Redis up and the live worker, refreshing", async ({
  page,
}) => {
  await signUpWithTeam(page, newPerson("ops"), `Ops ${Date.now()}`);
  await page.getByRole("link", { name: "Status" }).click();
  await expect(page).toHaveURL(/\/status$/);
  await expect(page.getByRole("heading", { level: 1, name: "Status" })).toBeVisible();

  await expect(page.getByRole("region", { name: "Database" })).toContainText("OK");
  await expect(page.getByRole("region", { name: "Redis" })).toContainText("OK");
  await expect(page.getByText("All systems operational")).toBeVisible();

  // The worker Playwright started (playwright.config.ts) heartbeats into Redis.
  const workers = page.getByRole("table", { name: "Live workers" });
  await expect(workers.locator("tbody tr").first()).toBeVisible();
  await expect(workers.locator("tbody tr").first()).toContainText("outbox");

  const queues = page.getByRole("table", { name: "Queue depths" });
  await expect(queues.getByRole("cell", { name: "outbox", exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Queue depth\./ })).toBeVisible();

  // Polls every 5 s: the "checked at" time moves on without a reload.
  const checked = page.locator(".status-bar time");
  const first = await checked.getAttribute("datetime");
  await expect(checked).not.toHaveAttribute("datetime", first!, { timeout: 12_000 });
});
