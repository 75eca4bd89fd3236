import { expect, test, type Locator } from "@playwright/test";
import { planEconomics } from "../lib/domain/economics/planner";
import { workedCasePlannerInput } from "../lib/domain/economics/presets";
import { newPerson, signUpWithTeam } from "./helpers";

/**
 * A PM before anything exists: opens the planner, loads the seed's worked case, reads both
 * monthly figures and the break-even (checked against the same pure maths the page runs), moves
 * the routine share and sees the charts move, checks the prices used and their dates, asks the
 * advisor, then changes a price in Settings → Prices and sees the planner use it.
 */

const usd = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  maximumFractionDigits: 0,
});
const calls = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Every line the chart draws, as one string: it changes when any curve moves. */
const curves = async (figure: Locator) =>
  (await figure
    .locator("path.recharts-line-curve")
    .evaluateAll((ps) => ps.map((p) => p.getAttribute("d") ?? "").join("|"))) as string;

test("a PM plans the worked case, moves the routine share and asks the advisor", async ({
  page,
}) => {
  await signUpWithTeam(page, newPerson("econ"), `Economics ${Date.now()}`);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Economics" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Economics" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Nothing to price yet" })).toBeVisible();

  await page.getByRole("button", { name: "Load the worked case" }).first().click();

  // Both monthly figures and the break-even, as the planner's maths computes them.
  const expected = planEconomics(workedCasePlannerInput());
  const hybrid = page.getByTestId("hybrid-monthly");
  const frontier = page.getByTestId("frontier-monthly");
  await expect(frontier.locator(".stat-number")).toHaveText(
    usd.format(expected.monthly.frontierOnlyUsd),
  );
  await expect(frontier.locator(".stat-number")).toHaveText("$35,010");
  await expect(hybrid.locator(".stat-number")).toHaveText(
    usd.format(expected.monthly.hybrid.totalUsd),
  );
  const breakEven = expected.breakEven.endToEndInvocationsPerMonth;
  expect(breakEven).not.toBeNull();
  await expect(page.getByTestId("break-even").locator(".stat-number")).toHaveText(
    `${calls.format(Math.ceil(breakEven!))} / month`,
  );

  // The worked case says what its reported $4,500 would take.
  const worked = page.getByTestId("worked-case");
  await expect(worked).toContainText("$4,500");
  await expect(worked).toContainText("$35,000");

  // The prices used, each with the day it was read.
  const used = page.getByRole("table", { name: "Prices used" });
  await expect(used.getByRole("row", { name: /Claude 3\.5 Sonnet/ })).toContainText("2024-06-20");
  await expect(used.getByRole("row", { name: /A10G/ })).toContainText("2024-06-01");

  // Moving the routine share moves the charts, and the hybrid's figure, not frontier-only's.
  const byShare = page.getByTestId("sensitivity-routine-share");
  const byVolume = page.getByTestId("sensitivity-volume");
  await expect(byShare).toHaveAttribute("aria-label", /At 80% routine/);
  await expect(byVolume.locator("path.recharts-line-curve").first()).toBeVisible();
  const volumeLabel = (await byVolume.getAttribute("aria-label"))!;
  const volumeCurves = await curves(byVolume);
  const hybridBefore = await hybrid.locator(".stat-number").innerText();

  await page.getByRole("slider", { name: "Routine share" }).fill("60");

  await expect(byShare).toHaveAttribute("aria-label", /At 60% routine/);
  await expect(byVolume).not.toHaveAttribute("aria-label", volumeLabel);
  await expect.poll(() => curves(byVolume)).not.toBe(volumeCurves);
  const at60 = planEconomics({ ...workedCasePlannerInput(), routineShare: 0.6 });
  await expect(hybrid.locator(".stat-number")).toHaveText(usd.format(at60.monthly.hybrid.totalUsd));
  expect(usd.format(at60.monthly.hybrid.totalUsd)).not.toBe(hybridBefore);
  await expect(frontier.locator(".stat-number")).toHaveText("$35,010");

  // The advisor: high volume and planning that needs a frontier model make a hybrid, unless the
  // planner's numbers say otherwise. At 60% routine, 3M invocations a month is below the
  // end-to-end break-even, so the volume argument falls and frontier-only is cheaper; without
  // the numbers, the decision table alone says hybrid. Planning to fine-tune the orchestration
  // layer is an anti-pattern either way.
  const advisor = page.getByRole("region", { name: "Advisor" });
  await advisor.getByLabel("High volume, cost-sensitive").check();
  await advisor.getByLabel("Complex multi-step planning").check();
  await advisor.getByLabel("Orchestration (planning)").check();
  const advice = page.getByTestId("advice");
  const breakEven60 = at60.breakEven.endToEndInvocationsPerMonth!;
  expect(breakEven60).toBeGreaterThan(3_000_000);
  await expect(advice).toContainText("Keep this on a frontier model.");
  await expect(advice).toContainText(
    `3,000,000 invocations a month is below the break-even of ${calls.format(Math.ceil(breakEven60))}`,
  );
  await advisor.getByLabel("Weigh the planner's numbers").uncheck();
  await expect(advice).toContainText("Hybrid: a fine-tuned small model for the routine calls");
  await expect(advice).toContainText("Anti-pattern: Fine-tuning the orchestration layer");
  await expect(advice.getByRole("table")).toContainText("Small models lack planning depth.");
});

test("a price edited in Settings → Prices is the one the planner uses, with its date", async ({
  page,
}) => {
  await signUpWithTeam(page, newPerson("prices"), `Prices ${Date.now()}`);
  await page.goto("/settings/prices");
  await expect(page.getByText("These are retune's dated public list prices")).toBeVisible();

  await page.getByRole("button", { name: "Edit price Anthropic Claude 3.5 Sonnet" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit Anthropic Claude 3.5 Sonnet" });
  // A bad figure is refused beside its field.
  await dialog.getByLabel("Input $ per million tokens").fill("-1");
  await dialog.getByRole("button", { name: "Save price" }).click();
  await expect(dialog.getByText(">=0")).toBeVisible();
  await dialog.getByLabel("Input $ per million tokens").fill("2.5");
  await dialog.getByLabel("As of").fill("2026-01-15");
  await dialog.getByLabel("Source").fill("Our negotiated rate, 2026-01-15");
  await dialog.getByRole("button", { name: "Save price" }).click();
  await expect(dialog).toBeHidden();
  const row = page
    .getByRole("table", { name: "Frontier models" })
    .getByRole("row", { name: /Claude 3\.5 Sonnet/ });
  await expect(row).toContainText("2026-01-15");
  await expect(row).toContainText("$2.50 in");

  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Economics" })
    .click();
  await page.getByRole("button", { name: "Load the worked case" }).first().click();
  const input = { ...workedCasePlannerInput() };
  input.frontier = {
    ...input.frontier,
    inputUsdPerMTok: 2.5,
    asOf: "2026-01-15",
    source: "Our negotiated rate, 2026-01-15",
  };
  const expected = planEconomics(input);
  await expect(page.getByTestId("frontier-monthly").locator(".stat-number")).toHaveText(
    usd.format(expected.monthly.frontierOnlyUsd),
  );
  await expect(
    page
      .getByRole("table", { name: "Prices used" })
      .getByRole("row", { name: /Claude 3\.5 Sonnet/ }),
  ).toContainText("2026-01-15");
});
