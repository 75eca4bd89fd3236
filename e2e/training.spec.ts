import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { formatBytes } from "../lib/client/format-units";
import { mulberry32 } from "../lib/domain/prng";
import { makeRow } from "../test/fixtures/tool-call-rows";
import { sha256, tarEntries } from "../test/tar-entries";
import { newPerson, signUpWithTeam } from "./helpers";
import { serverEnv } from "./server-env";

/**
 * The training loop for real: upload a tool-calling dataset, launch a LoRA job on the tiny local
 * model from the form (PEFT on this host's CPU), watch the loss curve grow while it runs, and
 * follow the adapter it produced to its CANDIDATE model version, and download that adapter.
 */

/** Rows in the uploaded file: enough for a train/eval split and a few dozen steps. */
const ROWS = 200;
/** Steps of the run: short enough for CI, long enough to see the curve grow while RUNNING. */
const MAX_STEPS = 60;
/**
 * Examples per step. The preset's 16 costs ~1.3 s a step on a 2-core CI box (4-5 s when the
 * cores are shared); 4 keeps the whole run around a minute and the curve just as readable.
 */
const MICRO_BATCH = 4;
/** The server's artifact store (its env's ARTIFACT_DIR, with env.ts's default). */
const artifactRoot = path.resolve(serverEnv.ARTIFACT_DIR ?? "./data/artifacts");

function toolCallingJsonl(rows: number): Buffer {
  const rand = mulberry32(7);
  const lines = Array.from({ length: rows }, (_, i) => makeRow(rand, i));
  return Buffer.from(`${lines.join("\n")}\n`);
}

/** Creates a dataset, uploads the fixture and waits for it to be READY; returns the version id. */
async function uploadReadyDataset(page: Page, name: string): Promise<string> {
  await page.getByRole("button", { name: "New dataset" }).click();
  const dialog = page.getByRole("dialog", { name: "New dataset" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create dataset" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();

  await page.getByLabel("Provenance").selectOption("production_traces");
  await page.getByLabel("Dataset file").setInputFiles({
    name: "tool-calls.jsonl",
    mimeType: "application/x-ndjson",
    buffer: toolCallingJsonl(ROWS),
  });
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page).toHaveURL(/\/datasets\/[^/]+\/versions\/[^/?]+$/);
  await expect(page.locator(".page-header").getByText("Ready", { exact: true })).toBeVisible({
    timeout: 60_000,
  });
  return /\/versions\/([^/?]+)$/.exec(page.url())![1]!;
}

test("launch a tiny LoRA job from the form, watch it train, and find its candidate version", async ({
  page,
}) => {
  test.setTimeout(720_000);
  await signUpWithTeam(page, newPerson("trainer"), `Training ${Date.now()}`);
  const stamp = Date.now().toString(36);
  const versionId = await uploadReadyDataset(page, `support-agent/tool-calls-${stamp}`);

  // The launch form, opened from the version (?datasetVersionId= preselects it).
  await page.goto(`/training-jobs/new?datasetVersionId=${versionId}`);
  await expect(
    page.getByRole("heading", { level: 1, name: "Launch a training job" }),
  ).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Dataset version", exact: true })).toHaveValue(
    versionId,
  );

  const modelName = `support-agent/tool-caller-${stamp}`;
  await page.getByLabel("Model name").fill(modelName);

  // The tiny CPU preset fills the recipe: retune/tiny-chat, LoRA, PEFT on this host, no GPU.
  const preset = page.getByRole("button", { name: "Tiny local model (CPU)" });
  await preset.click();
  await expect(preset).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByLabel("Base model")).toHaveValue("retune/tiny-chat");
  await expect(page.getByLabel("Method")).toHaveValue("LORA");
  await expect(page.getByLabel("Backend")).toHaveValue("PEFT");
  await expect(page.getByLabel("Executor")).toHaveValue("LOCAL");
  await expect(page.getByLabel("GPU type")).toHaveValue("CPU");

  // A bad value is refused beside its field, with the API's path-keyed message.
  const maxSteps = page.getByLabel("Max steps", { exact: true });
  await maxSteps.fill("1.5");
  await expect(page.getByText("enter a whole number")).toBeVisible();
  await expect(page.getByRole("button", { name: "Launch job" })).toBeDisabled();
  await maxSteps.fill(String(MAX_STEPS));
  await expect(page.getByText("enter a whole number")).toHaveCount(0);
  await page.getByLabel("Micro batch size").fill(String(MICRO_BATCH));

  // The live estimate follows the form (debounced POST /preview).
  const estimate = page.getByRole("region", { name: "Estimate" });
  await expect(estimate.getByRole("group", { name: "Steps" })).toContainText(String(MAX_STEPS), {
    timeout: 30_000,
  });
  await expect(estimate).toContainText("Runs on CPU");
  await expect(estimate.getByRole("group", { name: "Tokens per epoch" })).toBeVisible();

  // The pre-flight renders the data through tiny-chat's template and trains the end of turn.
  const preflight = page.getByRole("region", { name: "Pre-flight" });
  await expect(
    preflight.getByRole("listitem", { name: "End-of-turn token trained: yes" }),
  ).toBeVisible();
  await expect(preflight.locator("mark.trained-span").first()).toBeVisible();
  await expect(page.getByRole("group", { name: "Blockers" })).toHaveCount(0);

  // Launch with a double click: one Idempotency-Key per submission, so one job.
  const launch = page.getByRole("button", { name: "Launch job" });
  await expect(launch).toBeEnabled();
  await launch.dblclick();
  await expect(page).toHaveURL(/\/training-jobs\/(?!new)[^/?]+$/, { timeout: 30_000 });
  const jobId = /\/training-jobs\/([^/?]+)$/.exec(page.url())![1]!;
  const listed = await page.request.get(
    `/api/v1/training-jobs?model=${encodeURIComponent(modelName)}`,
  );
  expect(listed.status()).toBe(200);
  expect(((await listed.json()) as { jobs: { id: string }[] }).jobs.map((j) => j.id)).toEqual([
    jobId,
  ]);

  const status = page.getByTestId("job-status");
  const chart = page.getByTestId("loss-chart");
  await expect(status).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(modelName);

  // While RUNNING the loss chart gains points: see a count above zero, then a larger one. A
  // loop rather than expect.poll, so a run that fails says why at once.
  const seenWhileRunning: number[] = [];
  const deadline = Date.now() + 240_000;
  let last = "";
  while (new Set(seenWhileRunning).size < 2) {
    const [s, points] = await Promise.all([
      status.getAttribute("data-status"),
      chart.getAttribute("data-points").catch(() => null),
    ]);
    const n = Number(points ?? 0);
    last = `${s}, ${n} loss points`;
    if (s === "RUNNING" && n > 0 && !seenWhileRunning.includes(n)) seenWhileRunning.push(n);
    if (s === "FAILED" || s === "CANCELLED" || s === "SUCCEEDED") {
      const why = s === "FAILED" ? await page.getByRole("alert").first().textContent() : "";
      throw new Error(
        `the job ended ${s} before its loss chart was seen growing while RUNNING (saw ${JSON.stringify(seenWhileRunning)}) ${why ?? ""}`,
      );
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for RUNNING with points (${last})`);
    await page.waitForTimeout(250);
  }
  expect(seenWhileRunning[1]!).toBeGreaterThan(seenWhileRunning[0]!);

  // Then it succeeds, with every step on the chart.
  await expect(status).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 420_000 });
  await expect(status).toHaveText("Succeeded");
  await expect
    .poll(async () => Number(await chart.getAttribute("data-points")), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(seenWhileRunning[1]!);
  await expect(page.getByRole("progressbar", { name: "Training progress" })).toHaveAttribute(
    "aria-valuetext",
    /100%/,
  );

  // The adapter is in the artifacts.
  const artifacts = page.getByRole("table", { name: "Artifacts" });
  await expect(artifacts.getByRole("cell", { name: "adapter_config.json" })).toBeVisible();
  await expect(artifacts.getByRole("cell", { name: "adapter_model.safetensors" })).toBeVisible();

  // The log is there, searchable and downloadable.
  const log = page.getByRole("log", { name: /Training log/ });
  await expect(log).not.toBeEmpty();
  const download = await page.request.get(
    (await page.getByRole("link", { name: "Download log" }).getAttribute("href"))!,
  );
  expect(download.status()).toBe(200);

  // The run registered a CANDIDATE version of the model.
  await page.getByRole("link", { name: `${modelName} v1` }).click();
  await expect(page).toHaveURL(/\/model-versions\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: `${modelName} · v1` })).toBeVisible();
  await expect(page.getByTestId("model-version-stage")).toHaveText("Candidate");
  await expect(
    page.getByRole("table", { name: "Adapter files" }).getByRole("cell", {
      name: "adapter_model.safetensors",
    }),
  ).toBeVisible();
  await expect(
    page.getByRole("main").getByRole("link", { name: /^Training job / }),
  ).toHaveAttribute("href", `/training-jobs/${jobId}`);

  // The adapter downloads from the version page as a tar holding exactly the files the version
  // lists (GET /api/v1/model-versions/{id}), each byte for byte the one in the artifact store.
  const modelVersionId = /\/model-versions\/([^/?]+)$/.exec(page.url())![1]!;
  const version = (await (
    await page.request.get(`/api/v1/model-versions/${modelVersionId}`)
  ).json()) as { adapter: { uri: string; files: { name: string; bytes: number }[] } | null };
  const adapterFiles = version.adapter?.files ?? [];
  expect(adapterFiles.map((f) => f.name)).toEqual(
    expect.arrayContaining(["adapter_config.json", "adapter_model.safetensors"]),
  );
  const [adapterTar] = await Promise.all([
    page.waitForEvent("download"),
    page
      .getByRole("link", {
        name: `Download (.tar, ${formatBytes(adapterFiles.reduce((n, f) => n + f.bytes, 0))}) adapter`,
        exact: true,
      })
      .click(),
  ]);
  expect(adapterTar.suggestedFilename()).toBe(`${modelName.replace("/", "_")}-v1-adapter.tar`);
  const entries = await tarEntries(await readFile(await adapterTar.path()));
  expect(entries.map((e) => ({ name: e.name, bytes: e.size, type: e.type }))).toEqual(
    adapterFiles.map((f) => ({ ...f, type: "file" })),
  );
  for (const e of entries) {
    expect(e.size, `${e.name} is empty`).toBeGreaterThan(0);
    const stored = path.join(artifactRoot, version.adapter!.uri.replace(/^artifact:/, ""), e.name);
    expect(e.sha256, `${e.name} differs from ${stored}`).toBe(sha256(await readFile(stored)));
  }

  // And the list shows it, finished.
  await page.goto("/training-jobs");
  const row = page
    .getByRole("table", { name: "Training jobs" })
    .getByRole("row")
    .filter({ hasText: modelName });
  await expect(row).toContainText("Succeeded");
  await expect(row).toContainText("PEFT · Local");
});
