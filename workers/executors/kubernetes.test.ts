import { execFileSync } from "node:child_process";
import path from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeKubeApiServer, type FakeKubeApiServer } from "@/test/fakes/kube-apiserver";
import { createKubernetesExecutor, kubeJobName, kubeLabelValue } from "./kubernetes";
import type { LaunchSpec, RunRef } from "./types";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const NS = "retune-runs";
const JOB_ID = "cjld2cjxh0000qzrmn831i7rn";
const NAME = `retune-${JOB_ID}-1`;
const JOBS_PATH = `/apis/batch/v1/namespaces/${NS}/jobs`;

const spec = (over: Partial<LaunchSpec> = {}): LaunchSpec => ({
  jobId: JOB_ID,
  attempt: 1,
  teamId: "team_1",
  backend: "AXOLOTL",
  image: "axolotlai/axolotl:0.18.0-py3.12-cu130-2.12.0",
  command: ["axolotl", "train", "/job/config.yml"],
  env: { HF_HOME: "/job/.hf" },
  jobDir: `/srv/retune/artifacts/training/${JOB_ID}`,
  gpu: { type: "H100-80GB", count: 4 },
  timeoutSeconds: 7200,
  ...over,
});

const refOf = (s: LaunchSpec, externalId: string | null = null): RunRef => ({
  jobId: s.jobId,
  attempt: s.attempt,
  jobDir: s.jobDir,
  externalId,
});

// @kubernetes/client-node 2.x cannot load on Node.js < 22.19 (undici 8 needs zlib's zstd). The
// executor loads it lazily so workers survive there; its behaviour is testable only where it loads.
// Probed in a plain Node child: a failed import inside vitest's module runner leaves an unhandled
// rejection behind even when the import's promise is caught.
const clientLoads = (() => {
  try {
    execFileSync(
      process.execPath,
      ["--input-type=module", "-e", 'await import("@kubernetes/client-node")'],
      {
        cwd: REPO_ROOT,
        stdio: "pipe",
      },
    );
    return true;
  } catch {
    return false;
  }
})();

let api: FakeKubeApiServer;
let kubeConfig: KubeConfig;

beforeEach(async () => {
  api = await startFakeKubeApiServer();
  kubeConfig = await api.kubeConfig();
});

afterEach(async () => {
  await api.close();
});

const executor = (over: Partial<Parameters<typeof createKubernetesExecutor>[0]> = {}) =>
  createKubernetesExecutor({
    kubeConfig,
    namespace: NS,
    jobsPvc: "retune-jobs",
    ...over,
  });

const posts = () => api.requests.filter((r) => r.method === "POST" && r.path === JOBS_PATH);

// package.json pins the client's undici to 7.x (overrides), which runs on Node 20: the client
// must load here, so these tests never skip silently.
it("loads @kubernetes/client-node on this Node.js", () => {
  expect(clientLoads).toBe(true);
});

describe("kubernetes executor: start", () => {
  it("creates a batch/v1 Job built for a GPU training run", async () => {
    const { externalId } = await executor({
      ttlSecondsAfterFinished: 600,
      nodeSelector: { pool: "gpu" },
      gpuNodeSelector: (gpu) => ({ "nvidia.com/gpu.product": `NVIDIA-${gpu.type}` }),
    }).start(spec());
    expect(externalId).toBe(NAME);

    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.authorization).toBe(`Bearer ${api.token}`);
    const labels = {
      "retune.job-id": JOB_ID,
      "retune.attempt": "1",
      "retune.team-id": "team_1",
      "retune.backend": "AXOLOTL",
    };
    expect(posts()[0]!.body).toEqual({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: NAME,
        namespace: NS,
        labels,
        annotations: { "retune.job-id": JOB_ID, "retune.team-id": "team_1" },
      },
      spec: {
        backoffLimit: 0,
        activeDeadlineSeconds: 7200,
        ttlSecondsAfterFinished: 600,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: "Never",
            nodeSelector: { pool: "gpu", "nvidia.com/gpu.product": "NVIDIA-H100-80GB" },
            tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
            containers: [
              {
                name: "trainer",
                image: "axolotlai/axolotl:0.18.0-py3.12-cu130-2.12.0",
                args: ["axolotl", "train", "/job/config.yml"],
                workingDir: "/job",
                env: [
                  { name: "HF_HOME", value: "/job/.hf" },
                  { name: "AXOLOTL_DO_NOT_TRACK", value: "1" },
                ],
                resources: {
                  limits: { "nvidia.com/gpu": "4" },
                  requests: { "nvidia.com/gpu": "4" },
                },
                volumeMounts: [
                  { name: "job", mountPath: "/job", subPath: JOB_ID },
                  { name: "dshm", mountPath: "/dev/shm" },
                ],
              },
            ],
            volumes: [
              { name: "job", persistentVolumeClaim: { claimName: "retune-jobs" } },
              { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "16Gi" } },
            ],
          },
        },
      },
    });
  });

  it("CPU runs get no GPU resources, toleration or GPU node selector; subPathRoot prefixes the subPath", async () => {
    await executor({ subPathRoot: "training", gpuNodeSelector: () => ({ x: "y" }) }).start(
      spec({ gpu: null, backend: "PEFT", env: {} }),
    );
    const pod = (posts()[0]!.body as { spec: { template: { spec: Record<string, unknown> } } }).spec
      .template.spec;
    const container = (pod.containers as Array<Record<string, unknown>>)[0]!;
    expect(container.resources).toBeUndefined();
    expect(container.env).toEqual([]);
    expect(container.volumeMounts).toContainEqual({
      name: "job",
      mountPath: "/job",
      subPath: `training/${JOB_ID}`,
    });
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    // The default TTL applies.
    expect(
      (posts()[0]!.body as { spec: Record<string, unknown> }).spec.ttlSecondsAfterFinished,
    ).toBe(86400);
  });

  it("a repeated start gets 409 AlreadyExists, reads the Job and returns it", async () => {
    const first = await executor().start(spec());
    const again = await executor().start(spec());
    expect(again).toEqual(first);
    expect(api.jobs.size).toBe(1);
    const calls = api.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([`POST ${JOBS_PATH}`, `POST ${JOBS_PATH}`, `GET ${JOBS_PATH}/${NAME}`]);
    await executor().start(spec({ attempt: 2 }));
    expect([...api.jobs.keys()].sort()).toEqual([`${NS}/${NAME}`, `${NS}/retune-${JOB_ID}-2`]);
  });

  it("refuses a same-named Job that belongs to another job", async () => {
    await executor().start(spec());
    api.jobs.get(`${NS}/${NAME}`)!.metadata.labels["retune.job-id"] = "someone-else";
    await expect(executor().start(spec())).rejects.toThrow(/belongs to job someone-else/);
  });

  it("names and labels stay valid for ids that are not cuids", async () => {
    const odd = spec({
      jobId: "Job_ID/with:Odd.Chars-and-a-very-long-tail-0123456789abcdef",
      teamId: "x".repeat(80),
    });
    const { externalId } = await executor().start(odd);
    // The fake rejects invalid names and label values with 422, as the API server would.
    expect(externalId).toMatch(/^retune-[a-z0-9]+-1$/);
    expect(externalId.length).toBeLessThanOrEqual(63);
    expect(kubeJobName(odd.jobId, 1)).not.toBe(kubeJobName(odd.jobId.toLowerCase(), 1));
    expect(kubeLabelValue("x".repeat(80))).toHaveLength(63);
    expect(kubeJobName(JOB_ID, 3)).toBe(`retune-${JOB_ID}-3`);
  });
});

describe("kubernetes executor: status", () => {
  it("maps Job status and conditions to run phases", async () => {
    const ex = executor();
    const s = spec();
    await ex.start(s);
    const ref = refOf(s, NAME);
    const set = (status: Record<string, unknown>) => api.setJobStatus(NS, NAME, status);

    expect(await ex.status(ref)).toEqual({ phase: "PENDING" });
    set({ active: 1, ready: 0 }); // waiting for a GPU node or pulling the image
    expect(await ex.status(ref)).toEqual({ phase: "PENDING" });
    set({ active: 1, ready: 1 });
    expect(await ex.status(ref)).toEqual({ phase: "RUNNING" });
    set({ active: 1 }); // API servers before `ready`
    expect(await ex.status(ref)).toEqual({ phase: "RUNNING" });
    set({
      failed: 1,
      conditions: [{ type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded" }],
    });
    expect(await ex.status(ref)).toEqual({ phase: "RUNNING" });
    set({ succeeded: 1, conditions: [{ type: "Complete", status: "True" }] });
    expect(await ex.status(ref)).toEqual({ phase: "SUCCEEDED", exitCode: 0 });

    set({
      failed: 1,
      conditions: [
        {
          type: "Failed",
          status: "True",
          reason: "DeadlineExceeded",
          message: "Job was active longer than specified deadline",
        },
      ],
    });
    const timedOut = await ex.status(ref);
    expect(timedOut.phase).toBe("FAILED");
    expect(timedOut.message).toMatch(/^timed out: .*7200 s limit/);
  });

  it("a failed Job reports the trainer's exit code and OOMKilled from its pod", async () => {
    const ex = executor();
    const s = spec();
    await ex.start(s);
    const pod = api.createPod(NS, NAME, "Running");
    api.setPodStatus(NS, pod, {
      phase: "Failed",
      containerStatuses: [
        {
          name: "trainer",
          image: s.image,
          imageID: "",
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 137, reason: "OOMKilled" } },
        },
      ],
    });
    api.setJobStatus(NS, NAME, {
      failed: 1,
      conditions: [
        {
          type: "Failed",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
        },
      ],
    });
    const state = await ex.status(refOf(s, NAME));
    expect(state).toMatchObject({ phase: "FAILED", exitCode: 137 });
    expect(state.message).toMatch(/trainer exited with code 137 \(BackoffLimitExceeded; OOMKilled/);
  });

  it("a Job that is gone is LOST, found by its derived name without an external id", async () => {
    const ex = executor();
    const s = spec();
    await ex.start(s);
    expect((await ex.status(refOf(s))).phase).toBe("PENDING");
    api.jobs.clear();
    const lost = await ex.status(refOf(s));
    expect(lost.phase).toBe("LOST");
    expect(lost.message).toMatch(/not found/);
  });
});

describe("kubernetes executor: logs", () => {
  it("reads the Job's pod log in complete lines from an offset", async () => {
    const ex = executor();
    const s = spec();
    await ex.start(s);
    const ref = refOf(s, NAME);

    expect(await ex.readLogs(ref, 0)).toEqual({ text: "", nextOffset: 0 }); // no pod yet
    const pod = api.createPod(NS, NAME);
    expect(await ex.readLogs(ref, 0)).toEqual({ text: "", nextOffset: 0 }); // ContainerCreating (400)
    api.setPodStatus(NS, pod, { phase: "Running" });

    api.appendLog(NS, pod, "{'loss': '2.0', 'epoch': '0.5'}\nstep ▎ 1/2\n{'lo");
    const first = await ex.readLogs(ref, 0);
    expect(first.text).toBe("{'loss': '2.0', 'epoch': '0.5'}\nstep ▎ 1/2\n");
    expect(first.nextOffset).toBe(Buffer.byteLength(first.text));

    api.appendLog(NS, pod, "ss': '1.0'}\n");
    expect(await ex.readLogs(ref, first.nextOffset)).toEqual({
      text: "{'loss': '1.0'}\n",
      nextOffset: first.nextOffset + Buffer.byteLength("{'loss': '1.0'}\n"),
    });

    const podLists = api.requests.filter((r) => r.path === `/api/v1/namespaces/${NS}/pods`);
    expect(podLists[0]!.query.labelSelector).toBe(`job-name=${NAME}`);
    const logReads = api.requests.filter((r) => r.path.endsWith("/log"));
    expect(logReads.at(-1)).toMatchObject({
      path: `/api/v1/namespaces/${NS}/pods/${pod}/log`,
      query: { container: "trainer" },
    });
  });
});

describe("kubernetes executor: cancel", () => {
  it("deletes the Job with a propagation policy that takes its pods, and tolerates 404", async () => {
    const ex = executor();
    const s = spec();
    await ex.start(s);
    api.createPod(NS, NAME, "Running");

    await ex.cancel(refOf(s, NAME));
    const del = api.requests.filter((r) => r.method === "DELETE");
    expect(del).toHaveLength(1);
    expect(del[0]).toMatchObject({
      path: `${JOBS_PATH}/${NAME}`,
      query: { propagationPolicy: "Background" },
    });
    expect(api.jobs.size).toBe(0);
    expect(api.pods.size).toBe(0); // the fake orphans pods without a policy, like the real API

    await expect(ex.cancel(refOf(s, NAME))).resolves.toBeUndefined();
    await expect(ex.cancel(refOf(s))).resolves.toBeUndefined();
    expect((await ex.status(refOf(s, NAME))).phase).toBe("LOST");
  });
});
