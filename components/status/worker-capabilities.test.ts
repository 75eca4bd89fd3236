import { describe, expect, it } from "vitest";
import { capabilityItems } from "./worker-capabilities";

describe("capabilityItems", () => {
  it("says what a training worker's host can run, with the reason of what it cannot", () => {
    expect(
      capabilityItems({
        checkedAt: "2026-01-01T00:00:00.000Z",
        cuda: { gpus: [], reason: "nvidia-smi is not installed" },
        docker: {
          configured: true,
          reachable: false,
          nvidiaRuntime: false,
          reason: "the Docker Engine does not answer",
          images: [],
        },
        kubernetes: { configured: false, reachable: false, reason: "not set" },
      }),
    ).toEqual([
      { label: "GPU: none", tone: "neutral", title: "nvidia-smi is not installed" },
      { label: "Docker: down", tone: "danger", title: "the Docker Engine does not answer" },
      { label: "Kubernetes: off", tone: "neutral", title: "not set" },
    ]);
    const gpu = capabilityItems({
      checkedAt: "2026-01-01T00:00:00.000Z",
      cuda: { gpus: [{ name: "NVIDIA H200", memoryMb: 143771 }], reason: null },
      docker: {
        configured: true,
        reachable: true,
        nvidiaRuntime: true,
        reason: null,
        images: [
          { backend: "PEFT", image: "retune/trainer:cuda", present: true },
          { backend: "AXOLOTL", image: "axolotlai/axolotl:main-latest", present: false },
        ],
      },
      kubernetes: { configured: true, reachable: true, reason: null },
    });
    expect(gpu.map((i) => i.label)).toEqual([
      "GPU: 1× NVIDIA H200",
      "Docker: up (nvidia)",
      "Trainer images: 1 of 2 on host",
      "Kubernetes: up",
    ]);
    expect(gpu[2]).toMatchObject({
      tone: "warning",
      title:
        "PEFT retune/trainer:cuda: on the host\nAXOLOTL axolotlai/axolotl:main-latest: not on the host (a run pulls it first)",
    });
  });
});
