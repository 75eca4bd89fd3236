/**
 * Trainers and local eval generation run niced and thread-capped on this host (issue 14: the API
 * slowed to a crawl beside a trainer at full priority). A real worker process starts the real
 * PEFT trainer the way the product does, and the test reads what the kernel says of it: the nice
 * field of /proc/<pid>/stat, the thread variables in /proc/<pid>/environ, and the thread count
 * torch itself reports in the trainer's `train_begin` event.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrainerLine } from "@/lib/domain/trainer-log";
import { threadCapEnv } from "@/lib/domain/trainer-cpu";
import { ownerOfNewTeam } from "@/test/principals";
import {
  ensureTinyBase,
  processesWith,
  readyVersion,
  startWorker,
  tinyJob,
  workerOutput,
} from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";
import type { Principal } from "@/lib/server/core/principal";
import { environOf, niceOf, policyOf } from "@/test/proc";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-priority-"));
process.env.ARTIFACT_DIR = artifactDir;

const { db } = await import("@/lib/server/core/db");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { cancelTrainingJob } = await import("@/lib/server/training/jobs");
const { generateLocally } = await import("@/lib/server/evals/local-generation");
const { chrtPath, trainerCpuLimits } = await import("@/lib/server/training/trainer-process");

let p: Principal;
let versionId: string;
const workers: ChildProcess[] = [];

/**
 * Pids among `pids` that are past `chrt` and `nice`: in the moment between fork and their exec
 * the process still shows their own command line and the parent's priority.
 */
async function pastNice(pids: number[]): Promise<number[]> {
  const out: number[] = [];
  for (const pid of pids) {
    const cmd = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "nice\0");
    const program = cmd.slice(0, cmd.indexOf("\0"));
    if (program !== "nice" && !program.endsWith("/chrt")) out.push(pid);
  }
  return out;
}

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("priority"));
  versionId = await readyVersion(p, 60);
  await ensureTinyBase();
}, 660_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
  for (const pid of await processesWith(artifactDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  const { bus } = await import("@/lib/server/core/queues");
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

describe("trainer CPU priority", () => {
  it("a LOCAL trainer runs niced, with the thread cap TRAINER_CPU_THREADS / slots gives it", async () => {
    // 2 threads over 2 LOCAL slots: 1 per trainer, whatever this host's core count. One thread
    // is also what shows torch obeying on any host: it takes min(OMP_NUM_THREADS, its cores).
    const w = startWorker({
      ARTIFACT_DIR: artifactDir,
      TRAINER_CPU_THREADS: "2",
      TRAINING_MAX_CONCURRENT_LOCAL: "2",
      RETUNE_TRAINER_STEP_DELAY_MS: "300",
    });
    workers.push(w);
    const { id } = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: 200 }));
    const [trainer] = await waitFor(
      "the trainer process",
      async () => {
        const pids = await pastNice(
          await processesWith(`training/${id}/spec.json`, { excludeShells: true }),
        );
        return pids.length ? pids : null;
      },
      120_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\n--- worker ---\n${workerOutput(w)}`);
    });
    expect(await niceOf(trainer!)).toBe(Math.max(10, os.getPriority(w.pid!)));
    expect(await policyOf(trainer!)).toBe(chrtPath() ? 5 : 0);
    expect(await environOf(trainer!)).toMatchObject({
      OMP_NUM_THREADS: "1",
      MKL_NUM_THREADS: "1",
      OPENBLAS_NUM_THREADS: "1",
    });
    // torch took the cap: the trainer reports its intra-op thread count when training begins.
    const log = path.join(artifactDir, "training", id, "attempt-1", "trainer.log");
    const begin = await waitFor(
      "train_begin in the trainer's log",
      async () => {
        for (const line of (await readFile(log, "utf8")).split("\n")) {
          const parsed = parseTrainerLine(line);
          if (parsed?.kind === "event" && parsed.event.event === "train_begin") return parsed.event;
        }
        return null;
      },
      120_000,
    );
    expect(begin).toMatchObject({ cpu_threads: 1 });

    await cancelTrainingJob(p, id);
    await waitFor(
      "the cancel to stop the run",
      async () =>
        (await db().trainingJob.findUniqueOrThrow({ where: { id } })).status === "CANCELLED",
      60_000,
    );
    w.kill("SIGTERM");
  }, 300_000);

  it("local eval generation runs niced and thread-capped too", async () => {
    const workDir = mkdtempSync(path.join(artifactDir, "generate-"));
    const abort = new AbortController();
    const run = generateLocally({
      baseModel: "retune/tiny-chat",
      adapterDir: null,
      // Enough work that the process is still there when the test looks.
      cases: Array.from({ length: 64 }, (_, i) => ({
        messages: [{ role: "user", content: `hello ${i}` }],
        tools: [],
      })),
      workDir,
      signal: abort.signal,
    });
    run.catch(() => {}); // aborted below; awaited at the end
    const [pid] = await waitFor(
      "generate.py",
      async () => {
        const pids = await pastNice(await processesWith(`${workDir}/cases.jsonl`));
        return pids.length ? pids : null;
      },
      30_000,
    );
    const limits = trainerCpuLimits();
    expect(await niceOf(pid!)).toBe(Math.max(limits.nice, os.getPriority()));
    expect(await policyOf(pid!)).toBe(chrtPath() ? 5 : 0);
    expect(await environOf(pid!)).toMatchObject(threadCapEnv(limits.threads, process.env));
    abort.abort(new Error("enough"));
    await expect(run).rejects.toThrow("enough");
  }, 120_000);
});
