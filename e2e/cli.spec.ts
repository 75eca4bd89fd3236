import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { learnableToolJsonlText } from "../test/fixtures/tool-call-rows";
import { newPerson } from "./helpers";
import { E2E_BASE_URL } from "./server-env";

/**
 * The `retune` CLI against the running stack, as a person or a CI job drives it: log in with an
 * API key, upload a dataset (a byte progress bar on stderr, then the validation report), launch a
 * job from the tiny CPU preset and wait for it, watch its loss values, see promotion refused with
 * the gate's reason, print the model card, push telemetry and traces. No browser: the account
 * and its key are made through the API.
 */

/** Rows and steps: the smallest run that still logs a loss at every step (sft-spec.ts cadence). */
const ROWS = 24;
const MAX_STEPS = 3;
const MICRO_BATCH = 4;

const BIN = path.resolve("lib/cli/retune.mjs");

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI as a separate process, like a shell would; `input` is written to its stdin. */
function cli(
  env: NodeJS.ProcessEnv,
  args: string[],
  opts: { input?: string; timeoutMs?: number; command?: string[] } = {},
): Promise<Result> {
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, [...pre, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

const explain = (r: Result) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** A new person with their own team and an API key of every scope, through the API. */
async function accountWithKey(request: APIRequestContext): Promise<{ key: string; team: string }> {
  const headers = { Origin: E2E_BASE_URL };
  const person = newPerson("cli");
  const signUp = await request.post("/api/auth/sign-up/email", {
    headers,
    data: { name: person.name, email: person.email, password: person.password },
  });
  expect(signUp.ok(), await signUp.text()).toBe(true);
  const team = `CLI ${Date.now()}`;
  const created = await request.post("/api/v1/teams", { headers, data: { name: team } });
  expect(created.ok(), await created.text()).toBe(true);
  const key = await request.post("/api/v1/api-keys", {
    headers,
    data: { name: "terminal", scopes: ["read", "write", "telemetry"] },
  });
  expect(key.ok(), await key.text()).toBe(true);
  return { key: ((await key.json()) as { key: string }).key, team };
}

test("the retune CLI: login, upload, train with --wait, watch, refused promotion, card, push", async ({
  request,
}) => {
  test.setTimeout(480_000);
  const home = await mkdtemp(path.join(tmpdir(), "retune-cli-e2e-"));
  const configFile = path.join(home, "config", "retune.json");
  // The CLI's settings come from this test alone: no RETUNE_* of the shell that started it.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RETUNE_URL: E2E_BASE_URL,
    RETUNE_CONFIG: configFile,
  };
  for (const name of Object.keys(env))
    if (name.startsWith("RETUNE_") && name !== "RETUNE_URL" && name !== "RETUNE_CONFIG")
      delete env[name];
  const run = (args: string[], opts?: Parameters<typeof cli>[2]) => cli(env, args, opts);

  try {
    // `npx retune` from the repository finds the package's own bin.
    const help = await cli(env, ["--help"], { command: ["npx", "--offline", "retune"] });
    expect(help.code, explain(help)).toBe(0);
    for (const c of ["login", "datasets create|upload|show", "jobs create|watch|cancel|retry"])
      expect(help.stdout).toContain(c);

    // Login: the key is checked first (a wrong one is refused and not saved), then kept 0600.
    const { key, team } = await accountWithKey(request);
    const wrong = await run(["login", "--key", "rt_not-a-key-of-this-server-at-all"]);
    expect(wrong.code, explain(wrong)).toBe(1);
    expect(wrong.stderr).toMatch(
      /^error: http:\/\/localhost:\d+ refused this key: .+ \(\w+, HTTP 401\)/,
    );
    await expect(stat(configFile)).rejects.toThrow();
    const login = await run(["login", "--json"], { input: `${key}\n` });
    expect(login.code, explain(login)).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({
      team: { name: team },
      scopes: ["read", "write", "telemetry"],
      config: configFile,
    });
    expect(login.stdout).not.toContain(key);
    expect((await stat(configFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(configFile))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(configFile, "utf8"))).toMatchObject({ apiKey: key });

    // A dataset, then an upload by its name: progress on stderr, the report on stdout.
    const stamp = Date.now().toString(36);
    const datasetName = `cli-tool-calls-${stamp}`;
    const created = await run(["datasets", "create", datasetName]);
    expect(created.code, explain(created)).toBe(0);
    const datasetId = created.stdout.trim();
    const file = path.join(home, "rows.jsonl");
    await writeFile(file, learnableToolJsonlText(ROWS));
    const upload = await run(["datasets", "upload", datasetName, file]);
    expect(upload.code, explain(upload)).toBe(0);
    expect(upload.stderr).toMatch(/upload\s+\[[=-]+\] 100% \| [\d.]+ KB of [\d.]+ KB/);
    expect(upload.stdout).toContain("dataset version 1 READY");
    expect(upload.stdout).toMatch(new RegExp(`rows\\s+${ROWS} \\(${ROWS} valid\\)`));
    const shown = await run(["datasets", "show", datasetId, "latest", "--json"]);
    expect(shown.code, explain(shown)).toBe(0);
    const versionId = (JSON.parse(shown.stdout) as { id: string; status: string }).id;

    // An invalid file: its report lists the bad line, and the exit code says the work failed.
    const bad = path.join(home, "bad.jsonl");
    await writeFile(bad, `${learnableToolJsonlText(1)}{ not json\n`);
    const invalid = await run(["datasets", "upload", datasetId, bad]);
    expect(invalid.code, explain(invalid)).toBe(4);
    expect(invalid.stdout).toContain("dataset version 2 INVALID");
    expect(invalid.stdout).toMatch(/\n2\s+error\s+invalid_json\s+/);
    expect(invalid.stderr).toContain("error: dataset version 2 is INVALID (dataset_invalid)");

    // A job from the tiny CPU preset, followed to its end: loss values as they arrive.
    const model = `cli-agent/tool-caller-${stamp}`;
    const job = await run(
      [
        "jobs",
        "create",
        "--preset",
        "tiny-cpu-demo",
        "--model",
        model,
        "--dataset-version",
        versionId,
        "--max-steps",
        String(MAX_STEPS),
        "--micro-batch-size",
        String(MICRO_BATCH),
        "--save-steps",
        String(MAX_STEPS),
        "--wait",
      ],
      { timeoutMs: 360_000 },
    );
    expect(job.code, explain(job)).toBe(0);
    const jobId = job.stdout.split("\n")[0]!.trim();
    expect(job.stdout).toMatch(new RegExp(`step 1/${MAX_STEPS}  loss \\d`));
    expect(job.stdout).toMatch(new RegExp(`SUCCEEDED in .+: ${model}@1 \\(CANDIDATE, id \\S+\\)`));
    expect(job.stderr).toMatch(/: (QUEUED|STARTING|RUNNING)\n/);
    expect(job.stderr).toMatch(/: SUCCEEDED\n/);

    // Watching the finished job prints its loss curve; --json streams it as events.
    const watch = await run(["jobs", "watch", jobId]);
    expect(watch.code, explain(watch)).toBe(0);
    const losses = watch.stdout.match(/^step \d+\/\d+ {2}loss [\d.e-]+/gm) ?? [];
    expect(losses).toHaveLength(MAX_STEPS);
    const events = (await run(["jobs", "watch", jobId, "--json"])).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; name?: string; job?: { status: string } });
    expect(events.filter((e) => e.event === "metric" && e.name === "loss")).toHaveLength(MAX_STEPS);
    expect(events.at(-1)).toMatchObject({ event: "end", job: { status: "SUCCEEDED" } });

    // Promotion to production is refused with the gate's reason (no eval suite: no evidence).
    const promote = await run(["models", "promote", `${model}@1`, "--to", "production"]);
    expect(promote.code, explain(promote)).toBe(3);
    expect(promote.stderr).toContain(
      `error: model version 1 cannot go to PRODUCTION: the version has not been evaluated:`,
    );
    expect(promote.stderr).toContain("the Model has no eval suite");
    expect(promote.stderr).toContain("(promotion_blocked, HTTP 409)");

    // The model card, as Markdown with front matter.
    const card = await run(["cards", "get", `${model}@latest`]);
    expect(card.code, explain(card)).toBe(0);
    expect(card.stdout).toMatch(/^---\n/);
    expect(card.stdout).toContain(model);
    expect(card.stdout).toMatch(/\n# /);

    // Telemetry and traces from stdin, as NDJSON.
    const now = Date.now();
    const telemetry = Array.from({ length: 3 }, (_, i) =>
      JSON.stringify({
        timestamp: new Date(now - i * 1000).toISOString(),
        model,
        outcome: "success",
      }),
    ).join("\n");
    const pushed = await run(["telemetry", "push", "--json"], { input: `${telemetry}\n` });
    expect(pushed.code, explain(pushed)).toBe(0);
    expect(JSON.parse(pushed.stdout)).toMatchObject({ accepted: 3, duplicates: 0, batches: 1 });
    const traces = learnableToolJsonlText(2, 5)
      .trim()
      .split("\n")
      .map((line, i) =>
        JSON.stringify({
          id: `cli-trace-${stamp}-${i}`,
          timestamp: new Date(now - i * 1000).toISOString(),
          model,
          outcome: "success",
          ...(JSON.parse(line) as object),
        }),
      )
      .join("\n");
    const tracesFile = path.join(home, "traces.ndjson");
    await writeFile(tracesFile, `${traces}\n`);
    const pushedTraces = await run(["traces", "push", tracesFile]);
    expect(pushedTraces.code, explain(pushedTraces)).toBe(0);
    expect(pushedTraces.stdout).toContain("2 traces accepted, 0 duplicates, in 1 batches");
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
