/**
 * npm run bench:recipe [-- <train rows> <held-out rows>]
 * What the tiny-cpu-demo recipe learns on the full tool-call generator (issue #13), measured
 * against its baseline in the same run: retune/tiny-chat (built or reused by
 * trainers/tiny_base.py) gets a LoRA with the preset's values, through the spec the product
 * writes (resolveTrainingSpec → buildTrainerSpec → trainers/sft.py), on `makeRow` rows split 90/10
 * like the seeded demo dataset. Held-out rows of another seed go through the product's local
 * generation (trainers/generate.py) and are scored as an evaluation scores them; the bare base on
 * the same rows is the baseline.
 *
 * These rows' argument values are stated in each request and are open-vocabulary (order ids,
 * amounts, prices, hours are random per row), so tool_call_accuracy here is mostly argument
 * copying; the per-argument copy rates show which values are copied and which are guessed. The
 * demo and the CI guard (lib/server/registry/tiny-recipe.int.test.ts) train on the learnable
 * rows, whose values come from closed lists; this bench is the harder measurement, too slow for
 * CI on two cores (about five minutes of single-threaded training).
 * BENCH_HP (JSON) overrides the preset's hyperparameters, to measure a variant side by side.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { findBaseModel } from "@/lib/domain/base-models";
import { expectedFromRow, scoreToolCalls, type EvalCase } from "@/lib/domain/scoring";
import { buildTrainerSpec, TINY_BASE_MODEL } from "@/lib/domain/sft-spec";
import { resolveTrainingSpec } from "@/lib/domain/training-spec";
import type { CaseOutput } from "@/lib/schemas/eval-metrics";
import { generateLocally } from "@/lib/server/evals/local-generation";
import { pythonPath } from "@/lib/server/training/backends";
import { tinyBaseDir } from "@/lib/server/training/paths";
import { toolJsonlText } from "@/test/fixtures/tool-call-rows";

const ROOT = path.resolve(import.meta.dirname, "../..");
const ROWS = Number(process.argv[2] ?? 400);
const HELD_OUT = Number(process.argv[3] ?? 60);
const EVAL_ROWS = Math.round(ROWS / 10);
const COPIED_KEYS = ["order_id", "amount", "max_price", "limit", "hour", "customer", "city"];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr
      .setEncoding("utf8")
      .on("data", (c: string) => (stderr = (stderr + c).slice(-5000)));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}\n${stderr}`)),
    );
  });
}

function scored(cases: EvalCase[], outputs: CaseOutput[]) {
  return cases.map((c, i) => ({
    case: c,
    output: outputs[i]!,
    passed:
      scoreToolCalls(c.expected, outputs[i]!.toolCalls, c.tools).tool_call_accuracy.score === 1,
  }));
}

function copyRates(results: ReturnType<typeof scored>) {
  const rates = new Map<string, { right: number; total: number }>();
  for (const r of results) {
    const expected = r.case.expected.toolCalls[0]!;
    const produced = r.output.toolCalls?.find((c) => c.name === expected.name);
    for (const key of COPIED_KEYS) {
      if (!(key in expected.arguments)) continue;
      const tally = rates.get(key) ?? { right: 0, total: 0 };
      tally.total++;
      if (produced?.arguments[key] === expected.arguments[key]) tally.right++;
      rates.set(key, tally);
    }
  }
  return rates;
}

async function main() {
  execFileSync("bash", [path.join(ROOT, "scripts/ensure-trainers.sh")], { stdio: "inherit" });
  const t0 = Date.now();
  execFileSync(pythonPath(), ["trainers/tiny_base.py", "--out", tinyBaseDir()], {
    cwd: ROOT,
    env: { ...process.env, OMP_NUM_THREADS: "1" },
    stdio: "ignore",
  });
  const baseSeconds = (Date.now() - t0) / 1000;
  const dir = mkdtempSync(path.join(tmpdir(), "retune-bench-recipe-"));
  try {
    const rows = toolJsonlText(ROWS, 42).trim().split("\n");
    mkdirSync(path.join(dir, "data"));
    writeFileSync(path.join(dir, "data/train.jsonl"), rows.slice(0, -EVAL_ROWS).join("\n") + "\n");
    writeFileSync(path.join(dir, "data/eval.jsonl"), rows.slice(-EVAL_ROWS).join("\n") + "\n");
    // BENCH_HP='{"loraDropout":0.1}' measures a variant of the preset (what a user's overrides do).
    const overrides = JSON.parse(process.env.BENCH_HP ?? "{}") as Record<string, number>;
    const resolved = resolveTrainingSpec(
      {
        model: "recipe bench",
        datasetVersionId: "v1",
        baseModel: TINY_BASE_MODEL,
        ...(process.env.BENCH_HP ? { hyperparameters: overrides } : {}),
      },
      { baseModel: findBaseModel(TINY_BASE_MODEL), dataset: { trainRows: ROWS - EVAL_ROWS } },
    );
    if (!resolved.result.success) throw resolved.result.error;
    const body = resolved.result.data;
    const spec = buildTrainerSpec(body, {
      jobId: "recipe-bench",
      attempt: 1,
      resume: false,
      totalSteps: body.hyperparameters.maxSteps!,
      hasEvalRows: true,
      paths: { jobDir: dir, baseModelPath: tinyBaseDir() },
    });
    writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec));
    const t1 = Date.now();
    // What lib/server/training/backends.ts sets for a CPU job.
    await run(
      pythonPath(),
      [path.join(ROOT, "trainers/sft.py"), "--spec", path.join(dir, "spec.json")],
      {
        ...process.env,
        PYTHONUNBUFFERED: "1",
        OMP_NUM_THREADS: "1",
      },
    );
    const trainSeconds = (Date.now() - t1) / 1000;

    // Held-out rows: another seed, so other ids, amounts, prices and hours than training's.
    const cases = toolJsonlText(HELD_OUT, 2024)
      .trim()
      .split("\n")
      .map((line) => {
        const r = expectedFromRow(JSON.parse(line));
        if (!r.ok) throw new Error(r.error);
        return r.case;
      });
    const tuned = scored(
      cases,
      await generateLocally({
        baseModel: TINY_BASE_MODEL,
        adapterDir: path.join(dir, "output"),
        cases,
      }),
    );
    const base = scored(
      cases,
      await generateLocally({ baseModel: TINY_BASE_MODEL, adapterDir: null, cases }),
    );
    const acc = (r: typeof tuned) => (r.filter((x) => x.passed).length / r.length).toFixed(3);
    const tunedRates = copyRates(tuned);
    const baseRates = copyRates(base);
    console.log(
      `\ntiny-cpu-demo recipe on ${ROWS} generator rows (${body.hyperparameters.maxSteps} steps, ` +
        `lr ${body.hyperparameters.learningRate}); ${HELD_OUT} held-out rows of another seed`,
    );
    console.log(
      `  tiny base ready in ${baseSeconds.toFixed(0)} s; LoRA trained in ${trainSeconds.toFixed(0)} s (1 thread)`,
    );
    console.log(
      `  tool_call_accuracy      candidate ${acc(tuned)}   bare base ${acc(base)} (baseline)`,
    );
    // The candidate's misses, so a regression can be read, not only counted.
    for (const r of tuned.filter((x) => !x.passed)) {
      const want = JSON.stringify(r.case.expected.toolCalls[0]);
      const got = JSON.stringify(r.output.toolCalls ?? r.output.text ?? null);
      console.log(`  miss: wanted ${want}\n        got    ${got}`);
    }
    for (const [key, t] of tunedRates) {
      const b = baseRates.get(key)!;
      console.log(
        `  ${key.padEnd(22)}  copied ${String(t.right).padStart(2)}/${t.total}   bare base ${b.right}/${b.total}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
