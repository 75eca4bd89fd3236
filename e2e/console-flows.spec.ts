import { expect, test, type Page } from "@playwright/test";
import { api, learnableSuite, type Json } from "./api";
import { newPerson, signUpWithTeam } from "./helpers";

/**
 * The flows between pages, done by clicking and typing names, never by pasting an id (issue 18):
 * train from a READY dataset version; clone the finished job, change one field and launch; run an
 * eval from the version page by picking the version and the suite; add a trace to a dataset. The
 * data and suite are made through the API (their pages have their own specs). The one job that
 * must finish is two steps on the tiny CPU model; the clone and the eval run are cancelled once
 * started, so nothing keeps the worker busy for the specs after this one.
 */

test.describe.configure({ mode: "serial" });

/** Rows of the uploaded set: enough for a train/eval split, small enough to validate at once. */
const ROWS = 40;
/** Steps of the job that must finish: the cheapest run that registers a version. */
const STEPS = 2;

type Flow = {
  page: Page;
  origin: string;
  stamp: string;
  datasetId: string;
  datasetName: string;
  versionId: string;
  modelName: string;
  jobId: string;
};
let flow: Flow;

const call = (method: "GET" | "POST", path: string, data?: unknown) =>
  api(flow.page.request, { Origin: flow.origin }, method, path, data);

/** Stops work this spec started but does not need; one that already ended answers 409. */
async function stop(path: string) {
  const res = await flow.page.request.post(path, { headers: { Origin: flow.origin } });
  expect([200, 202, 409], `POST ${path}: ${await res.text()}`).toContain(res.status());
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const page = await browser.newPage({ baseURL });
  await signUpWithTeam(page, newPerson("flows"), `Flows ${Date.now()}`);
  const stamp = Date.now().toString(36);
  const datasetName = `refund-calls-${stamp}`;
  const { versionId } = await learnableSuite(page.request, baseURL!, ROWS, datasetName);
  flow = {
    page,
    origin: baseURL!,
    stamp,
    datasetId: "",
    datasetName,
    versionId,
    modelName: `support-agent/flows-${stamp}`,
    jobId: "",
  };
  flow.datasetId = (await call("GET", `/api/v1/dataset-versions/${versionId}`)).datasetId as string;
});

test.afterAll(async () => {
  await flow?.page.close();
});

test("train from a READY dataset version: the launch form opens with it chosen", async () => {
  test.setTimeout(300_000);
  const { page } = flow;
  await page.goto(`/datasets/${flow.datasetId}/versions/${flow.versionId}`);
  await page.getByRole("link", { name: "Train on this version" }).click();
  await expect(page).toHaveURL(/\/training-jobs\/new\?datasetVersionId=/);
  await expect(page.getByRole("combobox", { name: "Dataset version", exact: true })).toHaveValue(
    flow.versionId,
  );
  await expect(page.getByRole("combobox", { name: "Dataset", exact: true })).toHaveValue(
    flow.datasetId,
  );

  await page.getByLabel("Model name").fill(flow.modelName);
  await page.getByLabel("Max steps", { exact: true }).fill(String(STEPS));
  await page.getByLabel("Micro batch size").fill("2");
  await page.getByLabel("Warmup steps").fill("0");
  const launch = page.getByRole("button", { name: "Launch job" });
  await expect(launch).toBeEnabled({ timeout: 30_000 });
  await launch.click();
  await expect(page).toHaveURL(/\/training-jobs\/(?!new)[^/?]+$/, { timeout: 30_000 });
  flow.jobId = /\/training-jobs\/([^/?]+)$/.exec(page.url())![1]!;

  const job = await call("GET", `/api/v1/training-jobs/${flow.jobId}`);
  expect((job.spec as Json).datasetVersionId).toBe(flow.versionId);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "SUCCEEDED", {
    timeout: 240_000,
  });
});

test("clone the finished job, change one field, launch: a new job with the rest the same", async () => {
  test.setTimeout(120_000);
  const { page } = flow;
  await page.goto(`/training-jobs/${flow.jobId}`);
  await page.getByRole("link", { name: "Clone and edit" }).click();
  await expect(page).toHaveURL(new RegExp(`/training-jobs/new\\?from=${flow.jobId}$`));
  await expect(page.getByText(/A copy of/)).toBeVisible();

  // The form holds the job's spec: its Model, data, recipe and hyperparameters.
  await expect(page.getByLabel("Model name")).toHaveValue(flow.modelName);
  await expect(page.getByRole("combobox", { name: "Dataset version", exact: true })).toHaveValue(
    flow.versionId,
  );
  const maxSteps = page.getByLabel("Max steps", { exact: true });
  await expect(maxSteps).toHaveValue(String(STEPS));
  await expect(page.getByLabel("Micro batch size")).toHaveValue("2");

  await maxSteps.fill(String(STEPS + 1));
  const launch = page.getByRole("button", { name: "Launch job" });
  await expect(launch).toBeEnabled({ timeout: 30_000 });
  await launch.click();
  await expect(page).toHaveURL(/\/training-jobs\/(?!new)[^/?]+$/, { timeout: 30_000 });
  const cloneId = /\/training-jobs\/([^/?]+)$/.exec(page.url())![1]!;
  expect(cloneId).not.toBe(flow.jobId);

  const [original, clone] = await Promise.all([
    call("GET", `/api/v1/training-jobs/${flow.jobId}`),
    call("GET", `/api/v1/training-jobs/${cloneId}`),
  ]);
  const spec = (j: Json) => j.spec as Json & { hyperparameters: Json };
  expect(spec(clone).hyperparameters.maxSteps).toBe(STEPS + 1);
  // Everything else is the original's.
  expect({
    ...spec(clone),
    hyperparameters: { ...spec(clone).hyperparameters, maxSteps: STEPS },
  }).toEqual(spec(original));
  expect((clone.model as Json).name).toBe(flow.modelName);
  // Only the launch was under test: stop the run.
  await stop(`/api/v1/training-jobs/${cloneId}/cancel`);
});

test("run an eval from the version page by picking the version and the suite", async () => {
  test.setTimeout(120_000);
  const { page } = flow;
  await page.goto(`/training-jobs/${flow.jobId}`);
  await page.getByRole("link", { name: `${flow.modelName} v1` }).click();
  await expect(page).toHaveURL(/\/model-versions\/[^/?]+$/);
  const versionId = /\/model-versions\/([^/?]+)$/.exec(page.url())![1]!;

  await page.getByRole("button", { name: "Run eval" }).click();
  const dialog = page.getByRole("dialog", { name: "Run eval" });
  const picker = dialog.getByRole("combobox", { name: "Model version" });
  // Opened from the version: it is chosen already, by name.
  await expect(picker).toHaveValue(`${flow.modelName} · v1`);

  // Picking by typing part of the name (what the Evals page's dialog starts from).
  await picker.fill(`flows-${flow.stamp}`);
  const option = dialog.getByRole("option", { name: new RegExp(`${flow.modelName} · v1`) });
  await expect(option).toContainText("Candidate");
  // Escape closes the picker's list, not the dialog around it.
  await picker.press("Escape");
  await expect(option).toBeHidden();
  await expect(dialog).toBeVisible();
  await picker.fill(`flows-${flow.stamp}`);
  await option.click();
  await expect(picker).toHaveValue(`${flow.modelName} · v1`);
  await dialog.getByLabel("Suite").selectOption({ label: "held-out tool calls" });
  await dialog.getByRole("button", { name: "Start run" }).click();

  await expect(page).toHaveURL(/\/evals\/runs\/[^/?]+$/, { timeout: 30_000 });
  const runId = /\/evals\/runs\/([^/?]+)$/.exec(page.url())![1]!;
  const run = await call("GET", `/api/v1/eval-runs/${runId}`);
  expect((run.target as Json).modelVersionId).toBe(versionId);
  await stop(`/api/v1/eval-runs/${runId}/cancel`);
});

test("add a trace to a dataset: its next version holds the trace", async () => {
  test.setTimeout(60_000);
  const { page } = flow;
  const traceId = `flows-${flow.stamp}`;
  await call("POST", "/api/v1/traces", {
    id: traceId,
    timestamp: new Date().toISOString(),
    model: flow.modelName,
    outcome: "success",
    correctedBy: "human",
    messages: [
      { role: "user", content: "What is the weather in Oslo?" },
      { role: "assistant", content: "Let me check the forecast for Oslo." },
    ],
  });
  await page.goto(`/traces/${traceId}`);
  await page.getByRole("button", { name: "Add to a dataset" }).click();
  const dialog = page.getByRole("dialog", { name: "Add to a dataset" });
  await dialog.getByRole("combobox", { name: "Dataset" }).fill(flow.stamp);
  await dialog.getByRole("option", { name: new RegExp(flow.datasetName) }).click();
  await dialog.getByRole("button", { name: "Add trace" }).click();
  await expect(dialog.getByRole("status")).toContainText(`v2 of ${flow.datasetName}`);

  await dialog.getByRole("link", { name: `v2 of ${flow.datasetName}` }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: `${flow.datasetName} · v2` }),
  ).toBeVisible();
  const v2 = /\/versions\/([^/?]+)$/.exec(page.url())![1]!;
  const rows = await page.request.get(`/api/v1/dataset-versions/${v2}/download`);
  const lines = (await rows.text()).trim().split("\n");
  expect(lines).toHaveLength(ROWS + 1);
  expect(lines.at(-1)).toContain("forecast for Oslo");
});

test("retraining: the base dataset version is picked by name, the training template is a form", async () => {
  test.setTimeout(60_000);
  const { page } = flow;
  const job = await call("GET", `/api/v1/training-jobs/${flow.jobId}`);
  const modelId = (job.model as Json).id as string;
  await page.goto(`/models/${modelId}`);

  await page.getByRole("button", { name: "Set up retraining" }).click();
  const setup = page.getByRole("dialog", { name: "Set up retraining" });
  await setup.getByRole("combobox", { name: "Base dataset version" }).fill(flow.stamp);
  await setup.getByRole("option", { name: new RegExp(`${flow.datasetName} · v1`) }).click();
  await setup.getByRole("button", { name: "Save retrain policy" }).click();
  await expect(setup).toBeHidden();
  await expect(page.getByText(`mixed with ${flow.datasetName} · v1`)).toBeVisible();

  // The template: the launch form's fields, showing what the next re-tune runs (v1's job).
  const training = page.getByTestId("retrain-training");
  await expect(training).toContainText("as it was");
  await training.getByRole("button", { name: "Edit the training template" }).click();
  const editor = page.getByRole("dialog", { name: "Training template" });
  const maxSteps = editor.getByLabel("Max steps", { exact: true });
  await expect(maxSteps).toHaveValue(String(STEPS));
  await maxSteps.fill("50");
  await editor.getByRole("button", { name: "Save template" }).click();
  await expect(editor).toBeHidden();
  await expect(training.getByLabel("Template changes")).toContainText("Max steps50");

  const policy = await call("GET", `/api/v1/models/${modelId}/retrain-policy`);
  expect(policy.trainingTemplate).toEqual({ hyperparameters: { maxSteps: 50 } });
  expect((policy.datasetRecipe as Json).baseDatasetVersionId).toBe(flow.versionId);
});
