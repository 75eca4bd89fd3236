/**
 * POST /training-jobs, /training-jobs/preview and /training-jobs/{id}/retry through their route
 * handlers, with real PostgreSQL and Redis: a request of only model, dataset version and base
 * model resolves through a preset for every catalogue base; "ready" means the run can start here,
 * judged from the training workers' heartbeats (written as a worker writes them); launch and
 * retry refuse what cannot run with the preview's words.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NO_TRAINING_WORKER } from "@/lib/domain/executor-readiness";
import type { WorkerCapabilities } from "@/lib/schemas/health";
import type { Principal } from "@/lib/server/core/principal";
import { keyFor, ownerOfNewTeam } from "@/test/principals";
import { readyVersion } from "@/test/training-helpers";

const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-launch-"));
process.env.ARTIFACT_DIR = artifactDir;
// Heartbeats of this file only: other files' workers (and their 30 s heartbeats) stay out.
process.env.BULLMQ_PREFIX = `${process.env.BULLMQ_PREFIX ?? "retune-test"}-launch`;
// An engine is configured here; whether it answers is what the workers report.
process.env.DOCKER_HOST = path.join(artifactDir, "docker.sock");
delete process.env.KUBERNETES_NAMESPACE;
delete process.env.KUBERNETES_JOBS_PVC;

const { db } = await import("@/lib/server/core/db");
const { bus } = await import("@/lib/server/core/queues");
const { beat, clearBeat, workerIdentity } = await import("@/lib/server/core/heartbeat");
const { BASE_MODELS } = await import("@/lib/domain/base-models");
const { createTrainingJobBodySchema } = await import("@/lib/schemas/training-jobs");
const { cancelTrainingJob } = await import("@/lib/server/training/jobs");
const launchRoute = await import("./route");
const previewRoute = await import("./preview/route");
const retryRoute = await import("./[id]/retry/route");

let p: Principal;
let key: string;
let versionId: string;
const beats: string[] = [];
const launched: string[] = [];

const NO_GPU: WorkerCapabilities = {
  checkedAt: new Date().toISOString(),
  cuda: { gpus: [], reason: "nvidia-smi is not installed" },
  docker: {
    configured: true,
    reachable: false,
    nvidiaRuntime: false,
    reason: "the Docker Engine at /var/run/docker.sock does not answer: connect ENOENT",
    images: [],
  },
  kubernetes: { configured: false, reachable: false, reason: "not set" },
};
const ONE_GPU: WorkerCapabilities = {
  ...NO_GPU,
  cuda: { gpus: [{ name: "NVIDIA H200", memoryMb: 143771 }], reason: null },
};

/** A live training worker's heartbeat, as workers/runtime.ts writes it. */
async function trainingWorker(capabilities: WorkerCapabilities | null) {
  const info = { ...workerIdentity(["outbox", "training"]), capabilities };
  info.id = `${info.id}-${beats.length}`;
  await beat(bus().connection(), bus().config.prefix, info);
  beats.push(info.id);
}

type Answer = { status: number; body: Record<string, unknown> & { error?: ErrorBody } };
type ErrorBody = { code: string; message: string; issues?: { path: string; message: string }[] };

async function call(
  handler: (typeof launchRoute)["POST"],
  url: string,
  body: unknown,
  params: Record<string, string> = {},
): Promise<Answer> {
  const res = await handler(
    new Request(`http://localhost:3999${url}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return { status: res.status, body: (await res.json()) as Answer["body"] };
}
const preview = (body: unknown) => call(previewRoute.POST, "/api/v1/training-jobs/preview", body);
const launch = async (body: unknown) => {
  const r = await call(launchRoute.POST, "/api/v1/training-jobs", body);
  if (r.status === 201) launched.push(r.body.id as string);
  return r;
};
const retry = (id: string) =>
  call(retryRoute.POST, `/api/v1/training-jobs/${id}/retry`, {}, { id });

const minimal = (baseModel: string, over: Record<string, unknown> = {}) => ({
  model: `minimal ${baseModel}`,
  datasetVersionId: versionId,
  baseModel,
  ...over,
});
const NO_CUDA =
  /needs a CUDA GPU, and the LOCAL executor's host has none \(nvidia-smi is not installed\)/;

beforeAll(async () => {
  const made = await ownerOfNewTeam("launcher");
  const { owner, team } = made;
  p = made.p;
  key = (await keyFor(team.id, owner.id, ["read", "write"])).key;
  versionId = await readyVersion(p);
}, 120_000);

afterEach(async () => {
  for (const id of beats.splice(0)) await clearBeat(bus().connection(), bus().config.prefix, id);
});

afterAll(async () => {
  // No job of this file may wait for a later file's worker.
  for (const id of launched) await cancelTrainingJob(p, id).catch(() => {});
  await bus().close();
  rmSync(artifactDir, { recursive: true, force: true });
});

describe("a request of only model, dataset version and base model", () => {
  it("previews a resolved spec for every catalogue base, blocked where this host cannot run it", async () => {
    await trainingWorker(NO_GPU);
    for (const base of BASE_MODELS) {
      const r = await preview(minimal(base.id));
      if (!base.arch) {
        expect(r.status, base.id).toBe(422);
        expect(r.body.error?.issues?.[0]?.path).toBe("baseModel");
        continue;
      }
      expect(r.status, `${base.id}: ${JSON.stringify(r.body.error)}`).toBe(200);
      const spec = createTrainingJobBodySchema.parse(r.body.spec);
      expect(spec.baseModel).toBe(base.id);
      expect(spec.hyperparameters.sequenceLen).toBeLessThanOrEqual(base.contextLength);
      const blockers = r.body.blockers as string[];
      if (spec.compute.gpuType === "CPU") {
        expect(base.id).toBe("retune/tiny-chat");
        expect(r.body.preset).toBe("tiny-cpu-demo");
        expect(blockers, base.id).toEqual([]);
      } else {
        expect(r.body.preset).toBe("tool-call-format");
        // The GPU blocker; the pre-flight may add its own (Phi-3's template renders no tools).
        expect(blockers[0], base.id).toMatch(NO_CUDA);
      }
      expect(r.body.warnings).toEqual([]);
    }
  }, 120_000);

  it("launches on retune/tiny-chat (201) and stores the spec the preview showed", async () => {
    await trainingWorker(NO_GPU);
    const shown = await preview(minimal("retune/tiny-chat"));
    const r = await launch(minimal("retune/tiny-chat"));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const job = await db().trainingJob.findUniqueOrThrow({ where: { id: r.body.id as string } });
    expect(job.status).toBe("QUEUED");
    expect(job.spec).toEqual(shown.body.spec);
    expect(job.totalSteps).toBe((shown.body.estimate as { steps: number }).steps);
  });

  it("refuses unknown keys, naming them", async () => {
    const r = await launch(minimal("retune/tiny-chat", { hyperparameters: { lerningRate: 1e-3 } }));
    expect(r.status).toBe(422);
    expect(r.body.error?.issues).toEqual([
      { path: "hyperparameters", message: 'Unrecognized key: "lerningRate"' },
    ]);
    const top = await preview(minimal("retune/tiny-chat", { epochs: 3 }));
    expect(top.status).toBe(422);
    expect(top.body.error?.message).toBe('(body): Unrecognized key: "epochs"');
  });

  it("takes a checkpoint frequency and stores it in the spec", async () => {
    await trainingWorker(NO_GPU);
    const r = await launch(
      minimal("retune/tiny-chat", { model: "checkpointed", hyperparameters: { saveSteps: 25 } }),
    );
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const job = await db().trainingJob.findUniqueOrThrow({ where: { id: r.body.id as string } });
    expect(createTrainingJobBodySchema.parse(job.spec).hyperparameters.saveSteps).toBe(25);
  });

  it("refuses a new Model name POST /models would refuse, registering nothing", async () => {
    const name = "<img src=x onerror=alert(1)> **x**";
    const r = await launch(minimal("retune/tiny-chat", { model: name }));
    expect(r.status).toBe(422);
    expect(r.body.error?.issues?.[0]?.path).toBe("model");
    expect(await db().model.count({ where: { teamId: p.teamId, name } })).toBe(0);
  });
});

describe("ready to launch means the run can start here", () => {
  const gpuLocal = () => minimal("meta-llama/Llama-3.1-8B-Instruct");

  it("a GPU spec on LOCAL: blocked in the preview, 422 at launch, when the workers have no GPU", async () => {
    await trainingWorker(NO_GPU);
    const shown = await preview(gpuLocal());
    expect(shown.status, JSON.stringify(shown.body)).toBe(200);
    expect(shown.body.spec).toMatchObject({ method: "QLORA", executor: "LOCAL" });
    const [blocker] = shown.body.blockers as string[];
    expect(blocker).toMatch(/^QLoRA \(4-bit loading with bitsandbytes\) needs a CUDA GPU/);

    const r = await launch(gpuLocal());
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: "invalid_spec", message: blocker });
    expect(r.body.error?.issues).toEqual([{ path: "compute.gpuType", message: blocker }]);
  });

  it("the same spec passes where a worker reports a GPU", async () => {
    await trainingWorker(ONE_GPU);
    const shown = await preview(gpuLocal());
    expect(shown.body.blockers).toEqual([]);
    expect(shown.body.warnings).toEqual([]);
  });

  it("with no training worker alive nothing is known: a warning, not a blocker", async () => {
    const shown = await preview(gpuLocal());
    expect(shown.body.blockers).toEqual([]);
    expect(shown.body.warnings).toEqual([NO_TRAINING_WORKER]);
    // A worker still probing counts as unknown too.
    await trainingWorker(null);
    expect((await preview(gpuLocal())).body.blockers).toEqual([]);
  });

  it("DOCKER whose engine the workers cannot reach: blocked, 422", async () => {
    await trainingWorker(NO_GPU);
    const body = minimal("retune/tiny-chat", { executor: "DOCKER" });
    const shown = await preview(body);
    expect(shown.body.blockers).toEqual([NO_GPU.docker.reason]);
    const r = await launch(body);
    expect(r.status).toBe(422);
    expect(r.body.error?.message).toBe(NO_GPU.docker.reason);
  });

  it("KUBERNETES not configured here: blocked, 422, as before the workers reported anything", async () => {
    const body = minimal("retune/tiny-chat", { executor: "KUBERNETES" });
    const shown = await preview(body);
    expect((shown.body.blockers as string[])[0]).toMatch(/^no Kubernetes cluster is configured/);
    const r = await launch(body);
    expect(r.status).toBe(422);
    expect(r.body.error?.issues?.[0]?.path).toBe("executor");
  });

  it("a retry of a job that cannot run here is refused with the reason", async () => {
    // Launched while no worker was alive (a warning then), and failed since.
    const r = await launch(gpuLocal());
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    await db().trainingJob.update({
      where: { id },
      data: { status: "FAILED", error: "the trainer refused the spec: no CUDA" },
    });
    await db().trainingRunAttempt.updateMany({
      where: { trainingJobId: id },
      data: { status: "FAILED" },
    });

    await trainingWorker(NO_GPU);
    const refused = await retry(id);
    expect(refused.status).toBe(422);
    expect(refused.body.error?.message).toMatch(NO_CUDA);
    const job = await db().trainingJob.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "FAILED", attempt: 1 });

    await clearBeat(bus().connection(), bus().config.prefix, beats.pop()!);
    await trainingWorker(ONE_GPU);
    const ok = await retry(id);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "QUEUED", attempt: 2 });
  });
});
