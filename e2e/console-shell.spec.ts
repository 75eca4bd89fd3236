import { expect, test } from "@playwright/test";
import { atHome, newPerson, signUpWithTeam } from "./helpers";

test("signed-out visitors are sent to sign-in, and bad credentials are explained inline", async ({
  page,
}) => {
  await page.goto("/datasets");
  // The page that was opened rides along, to land on after sign-in (e2e/deep-link.spec.ts).
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdatasets$/);
  await expect(page.getByText("demo@retune.dev")).toBeVisible();

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("enter an email address like you@company.com")).toBeVisible();

  await page.getByLabel("Email").fill("nobody@e2e.retune.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Could not sign in" })).toBeVisible();

  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page).toHaveURL(/\/sign-up/);
  await page.getByLabel("Name").fill("Short Password");
  await page.getByLabel("Email").fill("short@e2e.retune.test");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("use at least 8 characters")).toBeVisible();
});

test("navigation, honest empty states, team switching and sign-out", async ({ page }) => {
  const person = newPerson("shell");
  const first = `First ${Date.now()}`;
  const second = `Second ${Date.now()}`;
  await signUpWithTeam(page, person, first);

  const nav = page.getByRole("navigation", { name: "Main" });
  const pages = [
    ["Home", "Nothing awaits approval"],
    ["Datasets", "No datasets yet"],
    ["Training jobs", "No training jobs yet"],
    ["Models", "No models registered yet"],
    ["Evals", "No eval suites yet"],
    ["Monitors", "No monitors yet"],
  ] as const;
  for (const [link, empty] of pages) {
    await nav.getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1, name: link })).toBeVisible();
    await expect(nav.getByRole("link", { name: link })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("heading", { name: empty })).toBeVisible();
  }
  await nav.getByRole("link", { name: "Settings" }).click();
  await expect(nav.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Team", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await expect(page.getByText("Your role", { exact: true })).toBeVisible();

  // Create a second team from the switcher; it becomes the active team.
  await page.getByRole("button", { name: new RegExp(first) }).click();
  await page.getByRole("menuitem", { name: "Create team…" }).click();
  const dialog = page.getByRole("dialog", { name: "Create team" });
  await dialog.getByLabel("Team name").fill(second);
  await dialog.getByRole("button", { name: "Create team" }).click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(atHome);
  await expect(page.getByRole("button", { name: new RegExp(second) })).toBeVisible();

  // Switch back: the menu lists both teams with the current one checked.
  await page.getByRole("button", { name: new RegExp(second) }).click();
  await expect(page.getByRole("menuitemradio", { name: new RegExp(second) })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await page.getByRole("menuitemradio", { name: new RegExp(first) }).click();
  await expect(page.getByRole("button", { name: new RegExp(first) })).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByRole("definition").filter({ hasText: first })).toBeVisible();

  // The audit log records what happened.
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(
    page.getByRole("table", { name: "Audit events" }).getByRole("cell", { name: "team.create" }),
  ).toBeVisible();

  // Sign out, then back in through ?next=.
  await page.getByRole("button", { name: `Account: ${person.name}` }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/status");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fstatus$/);
  await page.goto("/sign-in?next=/status");
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/status$/);
});
