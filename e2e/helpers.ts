import { expect, type Page } from "@playwright/test";

export type Person = { name: string; email: string; password: string };

let counter = 0;

/** A fresh person per call: the e2e database is not seeded and outlives no run. */
export function newPerson(label: string): Person {
  const stamp = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return {
    name: `${label[0]!.toUpperCase()}${label.slice(1)} ${stamp}`,
    email: `${label}-${stamp}@e2e.retune.test`,
    password: `pw-${stamp}-long-enough`,
  };
}

/** Fills the sign-up form at the current page (which must be /sign-up). */
export async function fillSignUp(page: Page, person: Person) {
  await page.getByLabel("Name").fill(person.name);
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Password").fill(person.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** The console's home page, `/` (sign-in, onboarding and joining a team land there). */
export const atHome = (url: URL) => url.pathname === "/";

/**
 * Signs a new person up and creates their first team on onboarding, which lands on the home
 * page; ends on /datasets, where most specs start.
 */
export async function signUpWithTeam(page: Page, person: Person, teamName: string) {
  await page.goto("/sign-up");
  await fillSignUp(page, person);
  await expect(page).toHaveURL(/\/onboarding$/);
  await page.getByLabel("Team name").fill(teamName);
  await page.getByRole("button", { name: "Create team" }).click();
  await expect(page).toHaveURL(atHome);
  await expect(page.getByRole("heading", { level: 1, name: "Home" })).toBeVisible();
  await page.goto("/datasets");
  await expect(page.getByRole("heading", { level: 1, name: "Datasets" })).toBeVisible();
}
