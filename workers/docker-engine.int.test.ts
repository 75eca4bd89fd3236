/**
 * Issue 15: the DOCKER executor against a real Docker Engine (Debian's docker.io, started by
 * scripts/ensure-docker.sh) and a real trainer image (scripts/build-trainer-image.sh, built
 * offline and cached). A PEFT job launched through the product trains retune/tiny-chat inside a
 * container to SUCCEEDED, with its loss curve, logs and a CANDIDATE version whose adapter files
 * exist; cancel removes the container. What the engine cannot show here (GPU device requests,
 * the NVIDIA runtime) stays in the fake Engine API's unit tests (executors/docker.test.ts).
 */
import { execFileSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Dockerode from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownerOfNewTeam } from "@/test/principals";
import { expectedFromRow } from "@/lib/domain/scoring";
import {
  ensureTinyBase,
  readyVersion,
  toolJsonl,
  startWorker,
  stopWorkerAndTrainers,
  tinyJob,
  workerOutput,
} from "@/test/training-helpers";
import { waitFor } from "@/test/wait-for";
import type { Principal } from "@/lib/server/core/principal";

const ROOT = path.resolve(import.meta.dirname, "..");
const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-docker-"));
const dockerHost = execFileSync("bash", [path.join(ROOT, "scripts/ensure-docker.sh")], {
  encoding: "utf8",
})
  .trim()
  .split("\n")
  .at(-1)!;
// Built (or found cached) before anything reads the environment: env() parses it once.
const image = execFileSync("bash", [path.join(ROOT, "scripts/build-trainer-image.sh")], {
  encoding: "utf8",
  env: { ...process.env, DOCKER_HOST: dockerHost },
})
  .trim()
  .split("\n")
  .at(-1)!;
process.env.ARTIFACT_DIR = artifactDir;
process.env.DOCKER_HOST = dockerHost;
process.env.TRAINER_IMAGE_PEFT = image;
// Evaluation generation in the same image (lib/server/evals/container-generation.ts).
process.env.EVAL_GENERATION_EXECUTOR = "DOCKER";

const { db } = await import("@/lib/server/core/db");
const { launchTrainingJob } = await import("@/lib/server/training/launch");
const { cancelTrainingJob, getMetrics } = await import("@/lib/server/training/jobs");
const { DOCKER_LABELS } = await import("./executors/docker");
const { jobDir } = await import("@/lib/server/training/paths");
const { artifactPath } = await import("@/lib/server/core/artifacts");
const { dockerClient } = await import("./executors/configured");
const { generateLocally } = await import("@/lib/server/evals/local-generation");
const { GENERATION_LABEL } = await import("@/lib/server/evals/container-generation");

const docker: Dockerode = dockerClient(dockerHost);
let p: Principal;
let versionId: string;
let worker: ChildProcess | null = null;

const containersOf = (jobId: string) =>
  docker.listContainers({ all: true, filters: { label: [`${DOCKER_LABELS.jobId}=${jobId}`] } });

/** The engine's container events for a job since `since` (s): what ran, from which image, how it ended. */
async function eventsOf(jobId: string, since: number, label = `${DOCKER_LABELS.jobId}=${jobId}`) {
  const stream = (await docker.getEvents({
    since,
    until: Math.ceil(Date.now() / 1000) + 1,
    filters: { type: ["container"], label: [label] },
  })) as NodeJS.ReadableStream;
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text
    .split("\n")
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          Action: string;
          id: string;
          Actor: { Attributes: Record<string, string> };
        },
    );
}

async function waitStatus(id: string, status: string, timeoutMs = 300_000) {
  return waitFor(
    `job ${id} to be ${status} (worker: ${workerOutput(worker!).slice(-1500)})`,
    async () => {
      const j = await db().trainingJob.findUniqueOrThrow({ where: { id } });
      if (j.status === "FAILED" && status !== "FAILED") throw new Error(`job failed: ${j.error}`);
      return j.status === status ? j : null;
    },
    timeoutMs,
  );
}

/** A DOCKER launch waits for the worker's heartbeat to report the engine (preflight). */
async function launchOnDocker(hp: Parameters<typeof tinyJob>[1]) {
  const spec = { ...tinyJob(versionId, hp), executor: "DOCKER" as const };
  return waitFor(
    "a worker reporting the Docker Engine",
    () =>
      launchTrainingJob(p, spec).catch((e: Error) => {
        if (/docker/i.test(e.message) && /worker/i.test(e.message)) return null;
        throw e;
      }),
    60_000,
  );
}

beforeAll(async () => {
  ({ p } = await ownerOfNewTeam("docker"));
  versionId = await readyVersion(p);
  await ensureTinyBase();
  worker = newWorker();
}, 900_000);

function newWorker() {
  return startWorker({
    ARTIFACT_DIR: artifactDir,
    DOCKER_HOST: dockerHost,
    TRAINER_IMAGE_PEFT: image,
    WORKER_QUEUES: "outbox,training",
    // An attempt whose container vanished is retried at once here (30 s by default).
    TRAINING_AUTO_RETRY_BACKOFF_S: "1",
  });
}

/** Launches a run long enough to act on, and returns it with its running container's id. */
async function runningContainer() {
  const since = Math.floor(Date.now() / 1000) - 1;
  const launched = await launchOnDocker({ maxSteps: 150 });
  const id = await waitFor("the run's container to be running", async () => {
    const cs = await containersOf(launched.id);
    return cs.find((c) => c.State === "running")?.Id ?? null;
  });
  return { launched, id, since };
}

afterAll(async () => {
  await stopWorkerAndTrainers(worker, artifactDir);
  for (const c of await docker.listContainers({
    all: true,
    filters: { label: [DOCKER_LABELS.jobId] },
  })) {
    if (c.Labels[DOCKER_LABELS.teamId] === p?.teamId)
      await docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => {});
  }
  const { bus } = await import("@/lib/server/core/queues");
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

describe("the DOCKER executor on a real engine", () => {
  it("is reported up, with the built trainer image present and an unbuilt one absent", async () => {
    const { probeDocker } = await import("./capabilities");
    const probe = await probeDocker(docker, {
      host: dockerHost,
      images: [
        { backend: "PEFT", image },
        { backend: "AXOLOTL", image: "retune/never-built:none" },
      ],
    });
    expect(probe).toMatchObject({ configured: true, reachable: true, nvidiaRuntime: false });
    expect(probe.images).toEqual([
      { backend: "PEFT", image, present: true },
      { backend: "AXOLOTL", image: "retune/never-built:none", present: false },
    ]);
  });

  it(
    "trains the tiny base in a real container to SUCCEEDED with a falling loss and a registered adapter",
    { timeout: 600_000 },
    async () => {
      const since = Math.floor(Date.now() / 1000) - 1;
      const launched = await launchOnDocker({ maxSteps: 30 });
      const running = await waitStatus(launched.id, "RUNNING");
      // While it runs: one container of the trainer image, labelled with the job, on its folder.
      const [container] = await waitFor("the run's container", async () => {
        const cs = await containersOf(launched.id);
        return cs.length ? cs : null;
      });
      const info = await docker.getContainer(container!.Id).inspect();
      expect(info.Config.Image).toBe(image);
      expect(info.HostConfig.Binds).toEqual([`${jobDir(launched.id)}:/job`]);
      expect(info.Config.Labels[DOCKER_LABELS.attempt]).toBe(String(running.attempt));

      const done = await waitStatus(launched.id, "SUCCEEDED");
      expect(done.progress).toBe(1);
      // The engine saw exactly one container of this job: created, started, exited 0, and
      // removed once its logs were read.
      const events = await eventsOf(launched.id, since);
      expect(new Set(events.map((e) => e.id))).toEqual(new Set([container!.Id]));
      const actions = events.map((e) => e.Action);
      expect(actions).toEqual(expect.arrayContaining(["create", "start", "die", "destroy"]));
      expect(events.find((e) => e.Action === "die")!.Actor.Attributes.exitCode).toBe("0");
      expect(await containersOf(launched.id)).toEqual([]);

      const loss = (await getMetrics(p, launched.id, { name: "loss" })).points;
      expect(loss.length).toBeGreaterThan(3);
      const head = loss.slice(0, 3).reduce((s, x) => s + x.value, 0) / 3;
      const tail = loss.slice(-3).reduce((s, x) => s + x.value, 0) / 3;
      expect(tail).toBeLessThan(head);

      const version = await db().modelVersion.findUniqueOrThrow({
        where: { trainingJobId: launched.id },
      });
      expect(version.stage).toBe("CANDIDATE");
      const files = version.adapterFiles as { name: string; bytes: number }[];
      expect(files.map((f) => f.name)).toEqual(
        expect.arrayContaining(["adapter_config.json", "adapter_model.safetensors"]),
      );
      for (const f of files) {
        expect(f.bytes).toBeGreaterThan(0);
        expect(existsSync(path.join(artifactPath(version.adapterUri!), f.name))).toBe(true);
      }
    },
  );

  it(
    "a worker killed with SIGKILL mid-run is replaced and re-attaches: one container, SUCCEEDED",
    { timeout: 600_000 },
    async () => {
      const { launched, id, since } = await runningContainer();
      const killed = worker!;
      const exited = new Promise((r) => killed.once("exit", r));
      killed.kill("SIGKILL");
      await exited;
      // The container kept running without its worker.
      expect((await docker.getContainer(id).inspect()).State.Running).toBe(true);
      worker = newWorker();
      const done = await waitStatus(launched.id, "SUCCEEDED");
      expect(done.attempt).toBe(1);
      const events = await eventsOf(launched.id, since);
      expect(new Set(events.map((e) => e.id))).toEqual(new Set([id]));
      expect(events.filter((e) => e.Action === "start")).toHaveLength(1);
    },
  );

  it(
    "a container removed under a running attempt (docker rm -f) ends in a retried attempt that succeeds",
    { timeout: 600_000 },
    async () => {
      const { launched, id, since } = await runningContainer();
      await docker.getContainer(id).remove({ force: true });
      const done = await waitStatus(launched.id, "SUCCEEDED");
      expect(done.attempt).toBe(2);
      const first = await db().trainingRunAttempt.findUniqueOrThrow({
        where: { trainingJobId_attempt: { trainingJobId: launched.id, attempt: 1 } },
      });
      expect(first.status).toBe("FAILED");
      expect(first.error).toMatch(/container/i);
      const ids = new Set((await eventsOf(launched.id, since)).map((e) => e.id));
      expect(ids.size).toBe(2);
      expect(ids.has(id)).toBe(true);
    },
  );

  it(
    "evaluation generation runs generate.py in the trainer image, with progress, and removes its container",
    { timeout: 300_000 },
    async () => {
      const since = Math.floor(Date.now() / 1000) - 1;
      const cases = toolJsonl(3, 99)
        .trim()
        .split("\n")
        .map((line) => {
          const r = expectedFromRow(JSON.parse(line));
          if (!r.ok) throw new Error(r.error);
          return { messages: r.case.messages, tools: r.case.tools };
        });
      const progress: number[] = [];
      const outputs = await generateLocally({
        baseModel: "retune/tiny-chat",
        adapterDir: null,
        cases,
        onProgress: (done) => progress.push(done),
        maxNewTokens: 16,
      });
      expect(outputs).toHaveLength(3);
      for (const o of outputs) expect(typeof o.text).toBe("string");
      expect(progress.at(-1)).toBe(3);
      const events = await eventsOf("", since, `${GENERATION_LABEL}=eval-generation`);
      expect(new Set(events.map((e) => e.Actor.Attributes.image))).toEqual(new Set([image]));
      expect(events.find((e) => e.Action === "die")!.Actor.Attributes.exitCode).toBe("0");
      expect(events.map((e) => e.Action)).toContain("destroy");
    },
  );

  it("cancel stops and removes the running container", { timeout: 600_000 }, async () => {
    // Enough steps that the run is still going when it is cancelled.
    const launched = await launchOnDocker({ maxSteps: 200 });
    await waitStatus(launched.id, "RUNNING");
    await waitFor("the run's container to run", async () =>
      (await containersOf(launched.id)).some((c) => c.State === "running") ? true : null,
    );
    await cancelTrainingJob(p, launched.id);
    await waitStatus(launched.id, "CANCELLED");
    expect(await containersOf(launched.id)).toEqual([]);
  });
});
