/**
 * The demo's recipe learns for real: a job launched with only {model, datasetVersionId,
 * baseModel: retune/tiny-chat} (so the tiny-cpu-demo preset decides everything else) trains on
 * generated tool-calling rows, and the worker evaluates the candidate and the bare base on
 * held-out generated rows of another seed. The candidate must call the right tool with the
 * argument values the request states (a city, a product: copied from the prompt, scored on their
 * values), on most held-out rows; the base, which never saw the format, must not. If argument
 * copying regressed, tool_call_accuracy falls and this fails. No timing is asserted; the time the
 * run took is printed for the record.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "@/lib/server/core/principal";
import { learnableToolJsonlText } from "@/test/fixtures/tool-call-rows";
import { ownerOfNewTeam } from "@/test/principals";
import { ensureTinyBase, readyVersion, startWorker, workerOutput } from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-tiny-recipe-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { createEvalSuite } = await import("@/lib/server/evals/suites");
const { listEvalCases } = await import("@/lib/server/evals/read-runs");
const { createModel } = await import("./models");
const { launchTrainingJob } = await import("@/lib/server/training/launch");

const TRAIN_ROWS = 240;
const HELD_OUT_ROWS = 60;

let p: Principal;

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("recipe"));
  await ensureTinyBase();
}, 300_000);

afterAll(() => rmSync(artifactDir, { recursive: true, force: true }));

describe("the tiny recipe", () => {
  it(
    "learns to call the right tool with the request's argument values on held-out rows",
    { timeout: 1_200_000 },
    async () => {
      const train = await readyVersion(p, TRAIN_ROWS, {
        text: learnableToolJsonlText(TRAIN_ROWS, 11),
      });
      const heldOut = await readyVersion(p, HELD_OUT_ROWS, {
        text: learnableToolJsonlText(HELD_OUT_ROWS, 97),
      });
      const suite = await createEvalSuite(p, {
        name: "held-out generated calls",
        datasetVersionId: heldOut,
        split: "all",
        scorers: ["tool_call"],
      });
      const model = await createModel(p, { name: "recipe check", evalSuiteId: suite.id });
      const worker = startWorker({
        ARTIFACT_DIR: artifactDir,
        WORKER_QUEUES: "outbox,training,evaluation",
        TRAINING_POLL_MS: "500",
      });
      try {
        const started = Date.now();
        const job = await launchTrainingJob(p, {
          model: model.id,
          datasetVersionId: train,
          baseModel: "retune/tiny-chat",
        });
        const trained = await waitFor(
          `the job to train (worker: ${workerOutput(worker).slice(-800)})`,
          async () => {
            const j = await db().trainingJob.findUniqueOrThrow({
              where: { id: job.id },
              include: { modelVersion: true },
            });
            if (j.status === "FAILED") throw new Error(`training failed: ${j.error}`);
            return j.status === "SUCCEEDED" ? j : null;
          },
          900_000,
        );
        const trainSeconds = (Date.now() - started) / 1000;
        const runs = await waitFor(
          "the candidate's and the base model's evaluations",
          async () => {
            const rs = await db().evalRun.findMany({ where: { suiteId: suite.id } });
            const done = rs.filter((r) => r.status === "SUCCEEDED" || r.status === "FAILED");
            return done.length === 2 ? done : null;
          },
          300_000,
        );
        const candidate = runs.find((r) => r.modelVersionId === trained.modelVersion!.id)!;
        const base = runs.find((r) => r.targetKind === "BASE_MODEL")!;
        expect(candidate.status).toBe("SUCCEEDED");
        expect(base.status).toBe("SUCCEEDED");
        const accuracy = (candidate.metrics as { tool_call_accuracy: number }).tool_call_accuracy;
        const baseAccuracy = (base.metrics as { tool_call_accuracy: number }).tool_call_accuracy;
        console.log(
          `tiny recipe: ${TRAIN_ROWS} rows trained and evaluated in ${trainSeconds.toFixed(0)} s; ` +
            `tool_call_accuracy ${accuracy.toFixed(3)} on ${candidate.caseCount} held-out rows ` +
            `(base ${baseAccuracy.toFixed(3)})`,
        );
        expect(candidate.caseCount).toBe(HELD_OUT_ROWS);
        expect(accuracy).toBeGreaterThanOrEqual(0.8);
        expect(baseAccuracy).toBeLessThan(0.2);

        // The passing calls carry many different values, each the one its own request states:
        // copied from the prompt, not one memorised answer.
        const { cases } = await listEvalCases(p, candidate.id, { limit: 500 });
        const copied = new Set<string>();
        for (const c of cases.filter((x) => x.passed)) {
          const call = c.expected.toolCalls[0];
          for (const v of Object.values(call?.arguments ?? {})) {
            const prompt = JSON.stringify(c.input);
            expect(prompt).toContain(String(v));
            copied.add(String(v));
          }
        }
        expect(copied.size).toBeGreaterThanOrEqual(8);
      } finally {
        const exited = new Promise((r) => worker.once("exit", r));
        worker.kill("SIGTERM");
        await exited;
      }
    },
  );
});
