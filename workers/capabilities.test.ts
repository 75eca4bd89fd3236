import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDockerEngine } from "@/test/fakes/docker-engine";
import { startFakeKubeApiServer } from "@/test/fakes/kube-apiserver";
import {
  parseNvidiaSmi,
  probeCuda,
  probeDocker,
  probeKubernetes,
  startCapabilityProbes,
  visibleGpus,
} from "./capabilities";
import { pingKubernetes } from "./executors/kubernetes";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "retune-caps-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for nvidia-smi: a shell script that prints `out` and exits with `code`. */
function fakeSmi(name: string, out: string, code = 0, delayS = 0): string {
  const file = path.join(dir, name);
  writeFileSync(
    file,
    `#!/bin/sh\n${delayS ? `sleep ${delayS}\n` : ""}printf '%s' '${out}'\nexit ${code}\n`,
  );
  chmodSync(file, 0o755);
  return file;
}

describe("CUDA GPUs (nvidia-smi)", () => {
  const H200 = "NVIDIA H200, 143771\nNVIDIA H200, 143771\n";

  it("parses name and memory per GPU", () => {
    expect(parseNvidiaSmi(H200)).toEqual([
      { name: "NVIDIA H200", memoryMb: 143771 },
      { name: "NVIDIA H200", memoryMb: 143771 },
    ]);
    expect(parseNvidiaSmi("Tesla T4, [N/A]\n\n")).toEqual([{ name: "Tesla T4", memoryMb: null }]);
  });

  it("narrows to CUDA_VISIBLE_DEVICES", () => {
    const gpus = parseNvidiaSmi("A, 1\nB, 2\nC, 3\n");
    expect(visibleGpus(gpus, undefined)).toHaveLength(3);
    expect(visibleGpus(gpus, "").length).toBe(0);
    expect(visibleGpus(gpus, "-1").length).toBe(0);
    expect(visibleGpus(gpus, "2,0").map((g) => g.name)).toEqual(["C", "A"]);
    expect(visibleGpus(gpus, "0,-1,2").map((g) => g.name)).toEqual(["A"]);
    expect(visibleGpus(gpus, "GPU-8f6c").length).toBe(1);
  });

  it("reports the GPUs, or none with the reason, and never throws", async () => {
    const ok = await probeCuda({ binary: fakeSmi("smi-ok", H200), cudaVisibleDevices: undefined });
    expect(ok).toEqual({ gpus: parseNvidiaSmi(H200), reason: null });

    const missing = await probeCuda({ binary: path.join(dir, "no-such-smi") });
    expect(missing).toEqual({
      gpus: [],
      reason: `${path.join(dir, "no-such-smi")} is not installed`,
    });

    const broken = await probeCuda({
      binary: fakeSmi(
        "smi-broken",
        "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.",
        9,
      ),
    });
    expect(broken.gpus).toEqual([]);
    expect(broken.reason).toMatch(/failed: NVIDIA-SMI has failed because it could not communicate/);

    const slow = await probeCuda({ binary: fakeSmi("smi-slow", H200, 0, 5), timeoutMs: 200 });
    expect(slow).toEqual({ gpus: [], reason: expect.stringMatching(/gave no answer in time/) });

    const hidden = await probeCuda({ binary: fakeSmi("smi-hidden", H200), cudaVisibleDevices: "" });
    expect(hidden).toEqual({ gpus: [], reason: "CUDA_VISIBLE_DEVICES hides this host's 2 GPU(s)" });
  });
});

describe("the Docker Engine", () => {
  it("is not configured without DOCKER_HOST", async () => {
    expect(await probeDocker(null)).toEqual({
      configured: false,
      reachable: false,
      nvidiaRuntime: false,
      reason: "DOCKER_HOST is not set",
      images: [],
    });
  });

  it("answers, with or without the nvidia runtime (docker info Runtimes)", async () => {
    const engine = await startFakeDockerEngine();
    try {
      const docker = new Docker({ socketPath: engine.socketPath });
      const plain = await probeDocker(docker, { host: engine.socketPath });
      expect(plain).toMatchObject({ configured: true, reachable: true, nvidiaRuntime: false });
      expect(plain.reason).toMatch(
        /has no nvidia runtime \(runtimes: runc, io.containerd.runc.v2\)/,
      );
      engine.runtimes.nvidia = { path: "nvidia-container-runtime" };
      expect(await probeDocker(docker)).toEqual({
        configured: true,
        reachable: true,
        nvidiaRuntime: true,
        reason: null,
        images: [],
      });
      expect(engine.requests.map((r) => r.path)).toEqual(["/_ping", "/info", "/_ping", "/info"]);
    } finally {
      await engine.close();
    }
  });

  it("says which trainer images the engine holds (docker image inspect), by backend", async () => {
    const engine = await startFakeDockerEngine({ images: ["retune/trainer:cpu-0123abcd"] });
    try {
      const docker = new Docker({ socketPath: engine.socketPath });
      const probe = await probeDocker(docker, {
        images: [
          { backend: "PEFT", image: "retune/trainer:cpu-0123abcd" },
          { backend: "AXOLOTL", image: "axolotlai/axolotl:main-latest" },
        ],
      });
      expect(probe.images).toEqual([
        { backend: "PEFT", image: "retune/trainer:cpu-0123abcd", present: true },
        { backend: "AXOLOTL", image: "axolotlai/axolotl:main-latest", present: false },
      ]);
      // Inspect only: a probe never pulls.
      expect(
        engine.requests.filter((r) => r.path.startsWith("/images")).map((r) => r.method),
      ).toEqual(["GET", "GET"]);
    } finally {
      await engine.close();
    }
  });

  it("does not answer: unreachable with the reason", async () => {
    const socketPath = path.join(dir, "nobody-listens.sock");
    const probe = await probeDocker(new Docker({ socketPath }), { host: socketPath });
    expect(probe).toMatchObject({
      configured: true,
      reachable: false,
      nvidiaRuntime: false,
      images: [],
    });
    expect(probe.reason).toMatch(
      new RegExp(`^the Docker Engine at ${socketPath} does not answer: `),
    );
  });
});

describe("the Kubernetes API", () => {
  it("is not configured without namespace and PVC", async () => {
    expect(await probeKubernetes(undefined, "pvc")).toMatchObject({
      configured: false,
      reachable: false,
    });
  });

  it("answers a list of Jobs in the namespace, or says why not", async () => {
    const api = await startFakeKubeApiServer();
    try {
      const kubeConfig = await api.kubeConfig();
      const up = await probeKubernetes("retune-runs", "jobs", (namespace) =>
        pingKubernetes({ namespace, kubeConfig }),
      );
      expect(up).toEqual({ configured: true, reachable: true, reason: null });
      expect(api.requests.at(-1)).toMatchObject({
        method: "GET",
        path: "/apis/batch/v1/namespaces/retune-runs/jobs",
        query: { limit: "1" },
      });
      await api.close();
      const down = await probeKubernetes("retune-runs", "jobs", (namespace) =>
        pingKubernetes({ namespace, kubeConfig, timeoutMs: 2_000 }),
      );
      expect(down).toMatchObject({ configured: true, reachable: false });
      expect(down.reason).toMatch(/^the Kubernetes API does not answer: /);
    } finally {
      await api.close().catch(() => {});
    }
  });
});

describe("startCapabilityProbes", () => {
  it("probes at once and again on its interval, one probe at a time, until stopped", async () => {
    let calls = 0;
    const seen: string[] = [];
    const probes = startCapabilityProbes((c) => seen.push(c.checkedAt), {
      everyMs: 20,
      probe: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 50));
        return {
          checkedAt: new Date(calls * 1000).toISOString(),
          cuda: { gpus: [], reason: "none" },
          docker: {
            configured: false,
            reachable: false,
            nvidiaRuntime: false,
            reason: null,
            images: [],
          },
          kubernetes: { configured: false, reachable: false, reason: null },
        };
      },
    });
    await probes.first;
    expect(seen).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 120));
    probes.stop();
    const after = calls;
    await new Promise((r) => setTimeout(r, 100));
    // Overlapping ticks were skipped (a probe takes 50 ms, ticks come every 20 ms).
    expect(calls).toBeLessThanOrEqual(4);
    expect(calls).toBe(after);
    expect(seen.length).toBeLessThanOrEqual(calls);
  });
});
