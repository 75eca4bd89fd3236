import path from "node:path";
import { expect, test } from "@playwright/test";
import { newPerson, signUpWithTeam } from "./helpers";

/**
 * e2e/fixtures/tools-mixed.jsonl: 30 tool-calling rows (system, user, assistant call, tool
 * result, assistant answer) with three defects on known lines:
 * - line 5: cut in half, so not valid JSON (invalid_json);
 * - line 12: arguments double-encoded, a JSON string holding JSON (arguments_not_object);
 * - line 20: a call to refund_order, which the row does not declare (undeclared_tool).
 */
const FIXTURE = path.join(import.meta.dirname, "fixtures", "tools-mixed.jsonl");
const UPLOAD_URL = /\/api\/v1\/datasets\/[^/]+\/versions(\?|$)/;

test("upload a tool-calling file, read its findings, preview a defect and clean it", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUpWithTeam(page, newPerson("data"), `Data ${Date.now()}`);
  const name = `support-agent/tool-calls-${Date.now().toString(36)}`;

  // Create the dataset from the list page.
  await page.getByRole("button", { name: "New dataset" }).click();
  const dialog = page.getByRole("dialog", { name: "New dataset" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Description").fill("Tool calls of the support agent, from production");
  await dialog.getByRole("button", { name: "Create dataset" }).click();
  await expect(page).toHaveURL(/\/datasets\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No versions yet" })).toBeVisible();

  // A file that is not JSONL: the API's message is shown, nothing is stored.
  await page.getByLabel("Dataset file").setInputFiles({
    name: "notes.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from("hello, this is not JSON\n"),
  });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const failed = page.getByRole("alert").filter({ hasText: "Upload failed" });
  await expect(failed).toContainText("does not start a JSON object");

  // Hold uploads for a moment, so the progress bar can be seen while one is in flight.
  await page.route(UPLOAD_URL, async (route) => {
    await new Promise((r) => setTimeout(r, 1_500));
    // A cancelled upload's request is gone by now; there is nothing left to continue.
    await route.continue().catch(() => undefined);
  });
  await page.getByLabel("Provenance").selectOption("production_traces");
  await page.getByLabel("Dataset file").setInputFiles(FIXTURE);
  await expect(page.getByText("tools-mixed.jsonl")).toBeVisible();
  await expect(failed).toHaveCount(0);

  // Cancel one upload half-way: nothing is stored.
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toBeVisible();
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await expect(page.getByText("Upload cancelled; nothing was stored.")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "No versions yet" })).toBeVisible();

  // Then upload it for real.
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page.getByRole("progressbar", { name: "Upload progress" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel upload" })).toBeVisible();

  // The new version's page: validated by the worker, INVALID because of the three lines.
  await expect(page).toHaveURL(/\/datasets\/[^/]+\/versions\/[^/?]+$/);
  await page.unroute(UPLOAD_URL);
  await expect(page.getByRole("heading", { level: 1, name: `${name} · v1` })).toBeVisible();
  await expect(page.locator(".page-header").getByText("Invalid", { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("region", { name: "Rows", exact: true })).toContainText("30");
  await expect(page.getByRole("region", { name: "Valid rows" })).toContainText("27");
  await expect(page.getByRole("region", { name: "Tokens", exact: true })).toContainText(
    /exact \(llama3\)|estimate/,
  );

  // Both downloads: the file as uploaded, and only its valid rows.
  const lines = async (link: string) => {
    const href = await page.getByRole("link", { name: link, exact: true }).getAttribute("href");
    const res = await page.request.get(href!);
    expect(res.status()).toBe(200);
    return (await res.text()).split("\n").filter(Boolean);
  };
  expect(await lines("Download")).toHaveLength(30);
  const valid = await lines("Download valid rows");
  expect(valid).toHaveLength(27);
  expect(valid.join("\n")).not.toContain("refund_order");

  const counts = page.getByRole("table", { name: "Findings by code" });
  for (const code of ["invalid_json", "arguments_not_object", "undeclared_tool"]) {
    await expect(counts.getByRole("row").filter({ hasText: code })).toContainText("1");
  }
  const findings = page.getByRole("table", { name: "Findings by line" });
  for (const [line, code] of [
    [5, "invalid_json"],
    [12, "arguments_not_object"],
    [20, "undeclared_tool"],
  ] as const) {
    const row = findings.getByRole("row").filter({ has: page.getByRole("cell", { name: code }) });
    await expect(row.getByRole("cell").first()).toHaveText(String(line));
    await expect(row.getByRole("link", { name: `View line ${line}` })).toBeVisible();
  }

  // "View line" opens the preview at that line, the defect highlighted with its message and field.
  await findings.getByRole("link", { name: "View line 12" }).click();
  await expect(page).toHaveURL(/[?&]tab=preview/);
  await expect(page).toHaveURL(/[?&]line=12/);
  const line12 = page.getByRole("listitem", { name: "Line 12", exact: true });
  await expect(line12).toBeVisible();
  await expect(line12).toHaveAttribute("aria-current", "location");
  await expect(line12).toHaveClass(/preview-row-error/);
  const lineFindings = line12.getByRole("list", { name: "Findings on this line" });
  await expect(lineFindings).toContainText("arguments_not_object");
  await expect(lineFindings).toContainText("messages[2].tool_calls[0].function.arguments");
  await expect(lineFindings).toContainText("double-encoded");
  const call = line12.getByRole("group", { name: "Tool call get_weather" });
  await expect(call).toContainText("double-encoded: a JSON string holding JSON");
  await expect(line12.getByRole("group", { name: "user message 2" })).toContainText("Oslo");
  // Rendered as a conversation, with the raw line a toggle away.
  await line12.getByRole("button", { name: "Raw JSON" }).click();
  await expect(line12.getByLabel("Raw JSON of line 12")).toContainText('"tool_calls"');

  // Paging: line 12 to the end fits one page; Previous goes back a page, Next forward again.
  const pager = page.locator(".pager");
  await expect(pager).toContainText("Showing lines 12–30");
  await expect(pager.getByRole("button", { name: "Next" })).toBeDisabled();
  await pager.getByRole("button", { name: "Previous" }).click();
  await expect(pager).toContainText("Showing lines 1–20");
  await expect(page.getByRole("listitem", { name: "Line 5", exact: true })).toContainText(
    "invalid_json",
  );
  await pager.getByRole("button", { name: "Next" }).click();
  await expect(pager).toContainText("Showing lines 21–30");

  // Search narrows the rows; the query is kept in the URL.
  await page.getByLabel("Search rows").fill("refund_order");
  await expect(page).toHaveURL(/[?&]q=refund_order/);
  await expect(page.getByRole("listitem", { name: /^Line \d+$/ })).toHaveCount(1);
  await expect(page.getByRole("listitem", { name: "Line 20", exact: true })).toContainText(
    "undeclared_tool",
  );

  // Clean: a new version of only the valid rows, READY.
  await page.getByRole("button", { name: "Create cleaned version" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${name} · v2` })).toBeVisible();
  await expect(page.locator(".page-header").getByText("Ready", { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByRole("region", { name: "Rows", exact: true })).toContainText("27");
  await expect(page.getByRole("region", { name: "Valid rows" })).toContainText("27");
  await expect(page.getByRole("heading", { name: "No findings" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create cleaned version" })).toHaveCount(0);

  // The dataset lists both versions, the second cleaned from the first.
  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name }).click();
  const versions = page.getByRole("table", { name: "Versions" });
  const versionRow = (n: number) =>
    versions.getByRole("row").filter({ has: page.getByRole("link", { name: `Version ${n}` }) });
  await expect(versionRow(2)).toContainText("cleaned from v1");
  await expect(versionRow(2)).toContainText("Ready");
  await expect(versionRow(1)).toContainText("Invalid");

  // And the list of datasets shows the latest version's status and rows.
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Datasets" })
    .click();
  const row = page
    .getByRole("table", { name: "Datasets" })
    .getByRole("row")
    .filter({ hasText: name });
  await expect(row).toContainText("Ready");
  await expect(row).toContainText("27");
});
