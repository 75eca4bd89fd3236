import { expect, test } from "@playwright/test";
import { newPerson, signUpWithTeam } from "./helpers";

// Issue 18: a link opened while signed out (a webhook alert's /monitors/{id}, a shared run)
// lands on that page after sign-in, not on the default page.
test("a signed-out deep link lands on its page after sign-in", async ({ page, context }) => {
  const person = newPerson("deeplink");
  await signUpWithTeam(page, person, `Deep links ${Date.now()}`);
  await context.clearCookies();

  await page.goto("/settings/members?from=alert");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fsettings%2Fmembers%3Ffrom%3Dalert$/);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/settings\/members\?from=alert$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
