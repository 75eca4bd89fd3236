import { expect, test } from "@playwright/test";
import { atHome, fillSignUp, newPerson, signUpWithTeam } from "./helpers";

test("an owner invites a viewer and creates an API key; the viewer cannot manage either", async ({
  page,
  browser,
  request,
  baseURL,
}) => {
  const owner = newPerson("owner");
  const viewer = newPerson("viewer");
  const teamName = `Agents ${Date.now()}`;

  // Sign up, land on onboarding, create the first team.
  await signUpWithTeam(page, owner, teamName);
  await expect(page.getByRole("button", { name: new RegExp(teamName) })).toContainText("OWNER");

  // Invite the viewer: the link is shown once, in a CopyField.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Settings" })
    .click();
  await page
    .getByRole("navigation", { name: "Settings sections" })
    .getByRole("link", { name: "Members" })
    .click();
  await expect(page).toHaveURL(/\/settings\/members$/);
  await page.getByRole("button", { name: "Invite member" }).click();
  const invite = page.getByRole("dialog", { name: "Invite member" });
  await invite.getByLabel("Email").fill(viewer.email);
  await invite.getByLabel("Role").selectOption("VIEWER");
  await invite.getByRole("button", { name: "Create invite link" }).click();
  const inviteLink = invite.getByLabel("Invite link");
  await expect(inviteLink).toHaveValue(/\/invite\/[\w-]{16,}$/);
  const inviteUrl = await inviteLink.inputValue();
  await invite.getByRole("button", { name: "Done" }).click();
  await expect(invite).toBeHidden();
  const pending = page.getByRole("table", { name: "Pending invitations" });
  await expect(pending.getByRole("row").filter({ hasText: viewer.email })).toContainText("VIEWER");

  // Create an API key: shown once, then usable as a bearer token.
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
  await page.getByRole("button", { name: "Create API key" }).click();
  const create = page.getByRole("dialog", { name: "Create API key" });
  await create.getByLabel("Name").fill("e2e-ci");
  await expect(create.getByRole("checkbox", { name: "read" })).toBeChecked();
  await create.getByRole("checkbox", { name: "write" }).check();
  await create.getByRole("button", { name: "Create key" }).click();
  await expect(create.getByText("It will not be shown again")).toBeVisible();
  const key = await create.getByLabel("API key").inputValue();
  expect(key).toMatch(/^rt_[\w-]{40,}$/);
  await create.getByRole("button", { name: "Done" }).click();
  const keyRow = page
    .getByRole("table", { name: "API keys" })
    .getByRole("row")
    .filter({ hasText: "e2e-ci" });
  await expect(keyRow).toContainText(key.slice(0, 10));
  await expect(keyRow).toContainText("Active");
  await expect(keyRow).not.toContainText(key.slice(12));

  const asKey = await request.get("/api/v1/team", { headers: { Authorization: `Bearer ${key}` } });
  expect(asKey.status()).toBe(200);
  const team = await asKey.json();
  expect(team.name).toBe(teamName);
  expect(team.credential).toEqual({ kind: "apiKey", scopes: ["read", "write"] });
  const bogus = await request.get("/api/v1/team", {
    headers: { Authorization: "Bearer rt_this-key-does-not-exist-anywhere-at-all" },
  });
  expect(bogus.status()).toBe(401);
  expect((await bogus.json()).error.code).toBe("invalid_api_key");

  // The invitee, in a separate browser context: invite link → sign up → accept.
  const context = await browser.newContext();
  try {
    const vp = await context.newPage();
    await vp.goto(inviteUrl);
    await expect(vp.getByRole("heading", { name: `Join ${teamName}` })).toBeVisible();
    await expect(vp.getByText(viewer.email).first()).toBeVisible();
    await vp.getByRole("link", { name: "Create an account" }).click();
    await expect(vp).toHaveURL(/\/sign-up\?/);
    await expect(vp.getByLabel("Email")).toHaveValue(viewer.email);
    await fillSignUp(vp, viewer);
    await expect(vp).toHaveURL(/\/invite\//);
    await vp.getByRole("button", { name: `Accept and join ${teamName}` }).click();
    await expect(vp).toHaveURL(atHome);
    await expect(vp.getByRole("button", { name: new RegExp(teamName) })).toContainText("VIEWER");

    // No management controls for a VIEWER.
    await vp.goto("/settings/members");
    const members = vp.getByRole("table", { name: "Team members" });
    await expect(members.getByRole("row").filter({ hasText: owner.email })).toContainText("OWNER");
    await expect(members.getByRole("combobox")).toHaveCount(0);
    await expect(vp.getByRole("button", { name: "Invite member" })).toHaveCount(0);
    await expect(vp.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
    await vp.goto("/settings/api-keys");
    await expect(vp.getByText("API keys are managed by admins and owners.")).toBeVisible();
    await expect(vp.getByRole("button", { name: "Create API key" })).toHaveCount(0);

    // And the server refuses the write even from the viewer's own page session.
    const refused = await vp.request.post("/api/v1/api-keys", {
      data: { name: "sneaky", scopes: ["read"] },
      headers: { Origin: baseURL! },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe("forbidden");
  } finally {
    await context.close();
  }

  // The owner now sees the viewer as a member, and the invitation is no longer pending.
  await page.goto("/settings/members");
  const viewerRow = page
    .getByRole("table", { name: "Team members" })
    .getByRole("row")
    .filter({ hasText: viewer.email });
  await expect(viewerRow.getByRole("combobox", { name: `Role for ${viewer.email}` })).toHaveValue(
    "VIEWER",
  );
  await expect(page.getByRole("heading", { name: "No pending invitations" })).toBeVisible();
});
