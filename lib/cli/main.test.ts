import type { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { gateSettled } from "./evals";
import { newPointsByStep } from "./job-watch";
import { main } from "./main";
import { buildProgram } from "./program";

/** Runs the CLI in-process with its output captured; no server is reached by these commands. */
async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const out = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((s) => ((stdout += String(s)), true));
  const err = vi
    .spyOn(process.stderr, "write")
    .mockImplementation((s) => ((stderr += String(s)), true));
  try {
    const code = await main(["node", "retune", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe("retune (arguments, help, exit codes)", () => {
  beforeEach(() => {
    vi.stubEnv("RETUNE_CONFIG", "/nonexistent/retune-cli-test/config.json");
    vi.stubEnv("RETUNE_API_KEY", "");
    vi.stubEnv("RETUNE_URL", "http://127.0.0.1:9");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("--help lists every command with its subcommands, the environment and the exit codes", async () => {
    const { code, stdout } = await run("--help");
    expect(code).toBe(0);
    for (const term of [
      "login",
      "datasets create|upload|show",
      "jobs create|watch|cancel|retry",
      "evals run",
      "models list|show|promote",
      "cards get",
      "telemetry push",
      "traces push",
      "RETUNE_URL",
      "RETUNE_API_KEY",
      "RETUNE_CONFIG",
    ])
      expect(stdout).toContain(term);
    expect(stdout).toMatch(
      /Exit codes:\n\s+0\s+success\n\s+1\s+error.*\n\s+2\s+usage.*\n\s+3\s+refused by a gate.*\n\s+4\s+the work failed/,
    );
  });

  it("each command's help shows its options, the global ones and the exit codes", async () => {
    const { code, stdout } = await run("jobs", "create", "--help");
    expect(code).toBe(0);
    expect(stdout).toContain("--preset <id>");
    expect(stdout).toContain('"tiny-cpu-demo"'); // the choices come from lib/schemas
    expect(stdout).toContain(
      "tiny-cpu-demo            Tiny local model (CPU): retune/tiny-chat, LORA",
    );
    expect(stdout).toContain("--json");
    expect(stdout).toContain("Exit codes: 0 ok");
  });

  it("no command has an option of the same name as a global one (the global would win)", () => {
    const program = buildProgram();
    const globals = new Set(program.options.map((o) => o.long));
    const clashes: string[] = [];
    const walk = (cmd: Command, path: string) => {
      for (const o of cmd.options)
        if (cmd !== program && globals.has(o.long)) clashes.push(`${path} ${o.long}`);
      for (const sub of cmd.commands) walk(sub, `${path} ${sub.name()}`);
    };
    walk(program, "retune");
    expect(clashes).toEqual([]);
  });

  it("exits 2 on usage errors, before any request", async () => {
    expect((await run("nope")).code).toBe(2);
    expect((await run("jobs")).code).toBe(2);
    const missing = await run("jobs", "watch");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("missing required argument 'job'");
    const bad = await run("jobs", "create", "--max-steps", "1.5");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "'--max-steps <n>' argument '1.5' is invalid. expected a whole number",
    );
    const choice = await run("jobs", "create", "--preset", "huge");
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain("expected one of tool-call-format");
    expect((await run("models", "promote", "m@1")).stderr).toContain(
      "required option '--to <stage>'",
    );
  });

  it("accepts choices in any case, and names what a job request lacks", async () => {
    const r = await run("jobs", "create", "--preset", "TINY-CPU-DEMO", "--method", "lora");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "error: jobs create needs --model, --dataset-version (as flags or in the --spec file) (usage)",
    );
  });

  it("says how to log in when there is no key, without a stack", async () => {
    const r = await run("models", "list");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error: no API key for http://127.0.0.1:9: run `retune login` or set RETUNE_API_KEY (no_api_key)\n",
    );
  });

  it("with --json, also prints the error as JSON on stdout", async () => {
    vi.stubEnv("RETUNE_API_KEY", "rt_test");
    const r = await run("models", "list", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: "network", status: null } });
    expect(r.stderr).toMatch(/^error: could not reach http:\/\/127\.0\.0\.1:9: .* \(network\)\n$/);
  });
});

describe("jobs watch: new loss values", () => {
  const p = (step: number, name: string, value = 1) => ({ step, name, value, attempt: 1 });

  it("groups unseen points by step, losses first, each printed once", () => {
    const seen = new Set<string>();
    expect(newPointsByStep([p(2, "learning_rate"), p(1, "loss"), p(2, "loss")], seen)).toEqual([
      { step: 1, points: [p(1, "loss")] },
      { step: 2, points: [p(2, "loss"), p(2, "learning_rate")] },
    ]);
    // The next poll asks for the last step again: only its late eval loss is new.
    expect(newPointsByStep([p(2, "loss"), p(2, "eval_loss"), p(3, "loss")], seen)).toEqual([
      { step: 2, points: [p(2, "eval_loss")] },
      { step: 3, points: [p(3, "loss")] },
    ]);
  });
});

describe("evals run --gate: when the gate is the run's", () => {
  const finished = "2026-12-01T10:00:00.000Z";
  it("waits while PENDING, and for a decision made after the run ended", () => {
    expect(gateSettled({ status: "PENDING", decidedAt: null }, finished, 0)).toBe(false);
    expect(
      gateSettled({ status: "FAILED", decidedAt: "2026-12-01T09:00:00.000Z" }, finished, 0),
    ).toBe(false);
    expect(
      gateSettled({ status: "FAILED", decidedAt: "2026-12-01T10:00:01.000Z" }, finished, 0),
    ).toBe(true);
  });

  it("takes an undecided gate (computed on read) or an unchanged decision as it is", () => {
    expect(gateSettled({ status: "PASSED", decidedAt: null }, finished, 0)).toBe(true);
    expect(
      gateSettled({ status: "PASSED", decidedAt: "2026-12-01T09:00:00.000Z" }, finished, 10_000),
    ).toBe(true);
    expect(gateSettled({ status: "FAILED", decidedAt: "2026-12-01T09:00:00.000Z" }, null, 0)).toBe(
      true,
    );
  });
});
