import { describe, expect, it } from "vitest";
import type { WorkerCapabilities } from "@/lib/schemas/health";
import {
  capabilityProblem,
  executorReadiness,
  NO_CAPABILITIES_YET,
  NO_TRAINING_WORKER,
  type ReadinessSpec,
} from "./executor-readiness";

const caps = (over: Partial<WorkerCapabilities> = {}): WorkerCapabilities => ({
  checkedAt: "2026-01-01T00:00:00.000Z",
  cuda: { gpus: [], reason: "nvidia-smi is not installed" },
  docker: {
    configured: false,
    reachable: false,
    nvidiaRuntime: false,
    reason: "DOCKER_HOST is not set",
    images: [],
  },
  kubernetes: { configured: false, reachable: false, reason: "not set" },
  ...over,
});
const H100 = { name: "NVIDIA H100 80GB HBM3", memoryMb: 81559 };
const withGpus = (n: number) => caps({ cuda: { gpus: Array(n).fill(H100), reason: null } });
const dockerUp = (nvidia: boolean) =>
  caps({
    docker: {
      configured: true,
      reachable: true,
      nvidiaRuntime: nvidia,
      reason: nvidia ? null : "the Docker Engine has no nvidia runtime (runtimes: runc)",
      images: [],
    },
  });
/** An answering engine (no nvidia runtime) holding the PEFT image or not. */
const dockerWithPeftImage = (present: boolean) => {
  const c = dockerUp(false);
  c.docker.images = [
    { backend: "PEFT", image: "retune/trainer:cpu-0123abcd", present },
    { backend: "AXOLOTL", image: "axolotlai/axolotl:main-latest", present: false },
  ];
  return c;
};

const spec = (over: Partial<ReadinessSpec> = {}): ReadinessSpec => ({
  method: "LORA",
  backend: "PEFT",
  executor: "LOCAL",
  compute: { gpuType: "CPU", gpuCount: 1 },
  ...over,
});
const qloraLocal = spec({ method: "QLORA", compute: { gpuType: "A10G-24GB", gpuCount: 1 } });
const worker = (hostname: string, capabilities: WorkerCapabilities | null) => ({
  hostname,
  capabilities,
});

describe("capabilityProblem", () => {
  it("LOCAL on CPU needs nothing from the host", () => {
    expect(capabilityProblem(spec(), caps())).toBeNull();
  });

  it("a GPU spec on LOCAL needs CUDA GPUs on the host, naming why and what to do", () => {
    const p = capabilityProblem(qloraLocal, caps());
    expect(p?.path).toBe("compute.gpuType");
    expect(p?.message).toMatch(/^QLoRA \(4-bit loading with bitsandbytes\) needs a CUDA GPU/);
    expect(p?.message).toContain("nvidia-smi is not installed");
    expect(
      capabilityProblem(spec({ backend: "UNSLOTH", compute: qloraLocal.compute }), caps())?.message,
    ).toMatch(/^Unsloth needs an NVIDIA GPU/);
    expect(capabilityProblem(qloraLocal, withGpus(1))).toBeNull();
  });

  it("counts GPUs", () => {
    const two = spec({ compute: { gpuType: "H100-80GB", gpuCount: 2 } });
    expect(capabilityProblem(two, withGpus(1))?.message).toBe(
      "2 GPUs were asked for; the LOCAL executor's host has 1",
    );
    expect(capabilityProblem(two, withGpus(2))).toBeNull();
  });

  it("DOCKER needs a configured, answering engine, and the nvidia runtime for GPUs", () => {
    const cpu = spec({ executor: "DOCKER" });
    expect(capabilityProblem(cpu, caps())?.message).toMatch(/no Docker Engine configured/);
    const down = caps({
      docker: {
        configured: true,
        reachable: false,
        nvidiaRuntime: false,
        reason: "the Docker Engine at /var/run/docker.sock does not answer: connect ENOENT",
        images: [],
      },
    });
    expect(capabilityProblem(cpu, down)).toEqual({
      path: "executor",
      message: "the Docker Engine at /var/run/docker.sock does not answer: connect ENOENT",
    });
    expect(capabilityProblem(cpu, dockerUp(false))).toBeNull();
    const gpu = spec({ executor: "DOCKER", compute: { gpuType: "A100-80GB", gpuCount: 1 } });
    expect(capabilityProblem(gpu, dockerUp(false))).toEqual({
      path: "compute.gpuType",
      message:
        "gpuType A100-80GB needs a CUDA GPU: the Docker Engine has no nvidia runtime (runtimes: runc)",
    });
    expect(capabilityProblem(gpu, dockerUp(true))).toBeNull();
  });

  it("KUBERNETES needs a configured, answering API", () => {
    const k = spec({ executor: "KUBERNETES", compute: { gpuType: "H100-80GB", gpuCount: 4 } });
    expect(capabilityProblem(k, caps())?.message).toMatch(/no Kubernetes cluster configured/);
    const down = caps({
      kubernetes: {
        configured: true,
        reachable: false,
        reason: "the Kubernetes API does not answer: 403",
      },
    });
    expect(capabilityProblem(k, down)?.message).toBe("the Kubernetes API does not answer: 403");
    const up = caps({ kubernetes: { configured: true, reachable: true, reason: null } });
    expect(capabilityProblem(k, up)).toBeNull();
  });
});

describe("executorReadiness over the live training workers", () => {
  it("with no worker, nothing is known: a warning, not a blocker", () => {
    expect(executorReadiness(qloraLocal, [])).toEqual({
      blockers: [],
      warnings: [NO_TRAINING_WORKER],
    });
  });

  it("workers still probing are unknown too", () => {
    expect(executorReadiness(qloraLocal, [worker("a", null)])).toEqual({
      blockers: [],
      warnings: [NO_CAPABILITIES_YET],
    });
  });

  it("blocks when no reporting worker can run it, once per distinct reason", () => {
    const r = executorReadiness(qloraLocal, [
      worker("a", caps()),
      worker("b", caps()),
      worker("c", null),
    ]);
    expect(r.warnings).toEqual([]);
    expect(r.blockers).toHaveLength(1);
    expect(r.blockers[0]!.message).toMatch(
      /needs a CUDA GPU, and the LOCAL executor's host has none/,
    );
  });

  it("passes when every reporting worker can, and warns when only some can", () => {
    expect(executorReadiness(qloraLocal, [worker("gpu", withGpus(1))])).toEqual({
      blockers: [],
      warnings: [],
    });
    const mixed = executorReadiness(qloraLocal, [
      worker("gpu", withGpus(1)),
      worker("cpu", caps()),
    ]);
    expect(mixed.blockers).toEqual([]);
    expect(mixed.warnings[0]).toMatch(/^1 of 2 training workers cannot run this on LOCAL \(cpu: /);
  });

  it("warns, naming the image and the hosts, when the backend's trainer image is not on the engine", () => {
    const onDocker = spec({ executor: "DOCKER" });
    expect(executorReadiness(onDocker, [worker("a", dockerWithPeftImage(true))])).toEqual({
      blockers: [],
      warnings: [],
    });
    const missing = executorReadiness(onDocker, [
      worker("a", dockerWithPeftImage(true)),
      worker("b", dockerWithPeftImage(false)),
      worker("c", dockerWithPeftImage(false)),
    ]);
    expect(missing.blockers).toEqual([]);
    expect(missing.warnings).toEqual([
      "the PEFT trainer image retune/trainer:cpu-0123abcd is not on the Docker host of b, c; the run pulls it first, which fails without a registry that has it (build it with scripts/build-trainer-image.sh, or docker load it)",
    ]);
    // Another backend's image is its own: Axolotl's is absent everywhere.
    expect(
      executorReadiness(spec({ executor: "DOCKER", backend: "AXOLOTL" }), [
        worker("a", dockerWithPeftImage(true)),
      ]).warnings,
    ).toEqual([
      expect.stringMatching(/^the AXOLOTL trainer image axolotlai\/axolotl:main-latest /),
    ]);
    // LOCAL runs use no image; an engine that does not answer is a blocker, not an image warning.
    expect(executorReadiness(spec(), [worker("a", dockerWithPeftImage(false))]).warnings).toEqual(
      [],
    );
  });
});
