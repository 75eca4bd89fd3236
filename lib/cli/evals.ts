/**
 * `retune evals run`: evaluate a model version (or a bare base model) on an eval suite, and with
 * --gate stop a CI pipeline when the version's gate does not pass. The gate is the server's: the
 * worker decides it from the Model's suite once the run ends (registry/after-eval-run.ts); this
 * only waits for that decision and reports it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Command } from "commander";
import type { EvalRun } from "@/lib/schemas/evals";
import type { VersionGate } from "@/lib/schemas/models";
import type { RetuneApi } from "./api";
import { type Context, contextOf } from "./context";
import { CliError, EXIT, usageError } from "./errors";
import { formatMetric, keyValues } from "./output";
import { createBar } from "./progress";
import { VERSION_REF_HELP } from "./models";
import { resolveVersion } from "./version-ref";

const POLL_MS = 2_000;
/** A decision not newer than the run after this long is the decision (an unchanged gate keeps its row). */
const SETTLE_MS = 10_000;
/** A gate still PENDING after this long (other runs it needs are stuck) fails the step. */
const GATE_TIMEOUT_MS = 15 * 60_000;

/** Whether the gate read now already accounts for the run that finished at `finishedAt`. */
export function gateSettled(
  gate: Pick<VersionGate, "status" | "decidedAt">,
  finishedAt: string | null,
  waitedMs: number,
): boolean {
  if (gate.status === "PENDING") return false;
  // Never decided: the server computed this gate just now, from every finished run.
  if (!gate.decidedAt || !finishedAt) return true;
  return Date.parse(gate.decidedAt) >= Date.parse(finishedAt) || waitedMs >= SETTLE_MS;
}

export function registerEvals(program: Command) {
  const evals = program
    .command("evals")
    .summary("run evaluations; gate a CI step on the result")
    .description("Evaluations score a model version or a base model on an eval suite's cases.");

  evals
    .command("run")
    .summary("evaluate a version on a suite; --gate exits 3 unless its gate passes")
    .argument("[version]", VERSION_REF_HELP)
    .option(
      "--base-model <id>",
      "evaluate a bare base model (from the catalogue) instead of a version",
    )
    .option("--suite <id>", "the eval suite (default: the Model's suite)")
    .option("--gate", "after the run, wait for the version's gate; exit 3 unless it PASSED")
    .option("--force", "run again even when an identical finished run exists")
    .option("--no-wait", "return once the run is queued")
    .addHelpText(
      "after",
      `
Waits for the run and prints its metrics; exits 4 when the run FAILED. An identical finished run
(same suite, data and target) is reused unless --force.

--gate reads the version's gate as the server decides it from the Model's eval suite and gate
policy, so it needs a Model with both, and --suite (when given) must be the Model's suite. It
prints the gate's reasons and exits 3 when the gate is not PASSED.

Example (a CI step):
  $ retune evals run support-agent@latest --gate`,
    )
    .action(
      async (
        version: string | undefined,
        opts: {
          baseModel?: string;
          suite?: string;
          gate?: boolean;
          force?: boolean;
          wait: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        if (Boolean(version) === Boolean(opts.baseModel))
          throw usageError("name what to evaluate: a version or --base-model (one of them)");
        if (opts.gate && !version) throw usageError("--gate needs a version");
        const api = await ctx.api();

        let suiteId = opts.suite;
        let versionId: string | null = null;
        if (version) {
          const resolved = await resolveVersion(api, version);
          versionId = resolved.versionId;
          const model =
            resolved.model ?? (await api.getModel((await api.getModelVersion(versionId)).modelId));
          if (opts.gate) {
            if (!model.gatePolicy)
              throw new CliError(
                `${model.name} has no gate policy: add one to decide its versions`,
                EXIT.refused,
                "no_gate_policy",
              );
            if (suiteId && model.evalSuiteId && suiteId !== model.evalSuiteId)
              throw usageError(
                `the gate reads ${model.name}'s eval suite (${model.evalSuiteName}, id ${model.evalSuiteId}); drop --suite or --gate`,
              );
          }
          suiteId ??= model.evalSuiteId ?? undefined;
          if (!suiteId)
            throw usageError(
              `${model.name} has no eval suite: pass --suite or set the Model's suite`,
            );
        }
        if (!suiteId) throw usageError("--suite is needed to evaluate a base model");

        const created = await api.createEvalRun({
          suiteId,
          target: versionId ? { modelVersionId: versionId } : { baseModel: opts.baseModel! },
          force: Boolean(opts.force),
        });
        if (created.reusedFrom) ctx.out.info(`reusing the identical run ${created.reusedFrom}`);
        if (!opts.wait && !opts.gate) {
          ctx.out.result(created, created.id);
          return;
        }
        const run = await waitForRun(ctx, api, created);
        if (run.status !== "SUCCEEDED") {
          ctx.out.result({ run }, () => formatRun(run));
          throw new CliError(
            `eval run ${run.id} ${run.status}${run.error ? `: ${run.error}` : ""}`,
            EXIT.failed,
            `eval_run_${run.status.toLowerCase()}`,
          );
        }
        if (!opts.gate) {
          ctx.out.result({ run }, () => formatRun(run));
          return;
        }
        const gate = await waitForGate(ctx, api, versionId!, run);
        ctx.out.result({ run, gate }, () =>
          [
            formatRun(run),
            `gate ${gate.status}${gate.failures.length ? `: ${gate.failures.join("; ")}` : ""}`,
          ].join("\n"),
        );
        if (gate.status !== "PASSED")
          throw new CliError(
            `the gate ${gate.status === "FAILED" ? "failed" : `is ${gate.status}`}`,
            EXIT.refused,
            "gate_failed",
            gate.failures,
          );
      },
    );
}

async function waitForRun(ctx: Context, api: RetuneApi, first: EvalRun): Promise<EvalRun> {
  let run = first;
  const terminal = (r: EvalRun) => !["QUEUED", "RUNNING"].includes(r.status);
  if (terminal(run)) return run;
  const bar = createBar(
    {
      format: "{status} [{bar}] {value}/{total} cases",
      total: run.caseCount || 1,
      payload: { status: run.status },
    },
    ctx.progress,
  );
  try {
    while (!terminal(run)) {
      await sleep(POLL_MS);
      run = await api.getEvalRun(run.id);
      if (run.caseCount) bar.setTotal(run.caseCount);
      bar.update(run.casesDone, { status: run.status });
    }
  } finally {
    bar.stop();
  }
  return run;
}

async function waitForGate(
  ctx: Context,
  api: RetuneApi,
  versionId: string,
  run: EvalRun,
): Promise<VersionGate> {
  const start = Date.now();
  let said = false;
  for (;;) {
    const { gate } = await api.getModelVersion(versionId);
    const waited = Date.now() - start;
    if (gateSettled(gate, run.reusedFrom ? null : run.finishedAt, waited)) return gate;
    if (waited > GATE_TIMEOUT_MS) return gate;
    if (!said) ctx.out.info(`waiting for the gate decision (${gate.status})…`);
    said = true;
    await sleep(POLL_MS);
  }
}

function formatRun(run: EvalRun): string {
  return keyValues([
    ["eval run", `${run.id} ${run.status}`],
    ["suite", run.suiteName],
    ["target", run.target.label],
    ["cases", run.caseCount],
    [
      "metrics",
      Object.entries(run.metrics)
        .filter(([, v]) => typeof v === "number")
        .map(([k, v]) => `${k} ${formatMetric(v as number)}`)
        .join(", ") || null,
    ],
    ["error", run.error],
  ]);
}
