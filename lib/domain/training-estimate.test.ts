import { describe, expect, it } from "vitest";
import { findBaseModel } from "./base-models";
import {
  type EstimateInput,
  estimateTraining,
  loraParams,
  MAX_SANE_EPOCHS,
  nonEmbeddingParams,
} from "./training-estimate";

const llama8b = findBaseModel("meta-llama/Llama-3.1-8B-Instruct")!;
const base: EstimateInput = {
  model: llama8b,
  method: "QLORA",
  loraR: 16,
  sequenceLen: 2048,
  microBatchSize: 1,
  gradientAccumulationSteps: 4,
  chunkedLoss: true,
  gpuType: "A100-80GB",
  gpuCount: 1,
  dataset: { rows: 10_000, tokens: 5_000_000, evalFraction: 0.1 },
};
const GiB = 2 ** 30 / 1e9;

describe("parameter counts", () => {
  it("match Llama 3.1 8B's published size and the LoRA arithmetic", () => {
    const body = nonEmbeddingParams(llama8b.arch!);
    expect(body / 1e9).toBeCloseTo(6.98, 2);
    expect((body + 2 * 128256 * 4096) / 1e9).toBeCloseTo(8.03, 2);
    // r=16 on all seven projections: 1.31 M per layer, 41.9 M in all (0.52 %).
    expect(loraParams(llama8b.arch!, 16, llama8b.loraTargets) / 1e6).toBeCloseTo(41.9, 1);
  });
});

describe("VRAM against published reference points", () => {
  it("Llama 3.1 8B QLoRA lands near Unsloth's 6 GB minimum and torchtune's 7.4 GiB", () => {
    const minimal = estimateTraining({ ...base, sequenceLen: 1024 });
    expect(minimal.vramGb).toBeGreaterThan(6);
    expect(minimal.vramGb).toBeLessThan(6 * 1.5);
    const torchtune = estimateTraining({ ...base, microBatchSize: 2, sequenceLen: 2048 });
    expect(torchtune.vramGb / (7.4 * GiB)).toBeGreaterThan(0.8);
    expect(torchtune.vramGb / (7.4 * GiB)).toBeLessThan(1.35);
  });

  it("Llama 3.1 8B 16-bit LoRA lands near Unsloth's 22 GB and torchtune's 16.2 GiB", () => {
    const lora = estimateTraining({ ...base, method: "LORA", sequenceLen: 1024 });
    expect(lora.vramGb / 22).toBeGreaterThan(0.8);
    expect(lora.vramGb / 22).toBeLessThan(1.2);
    const torchtune = estimateTraining({ ...base, method: "LORA", microBatchSize: 2 });
    expect(torchtune.vramGb / (16.2 * GiB)).toBeGreaterThan(0.9);
    expect(torchtune.vramGb / (16.2 * GiB)).toBeLessThan(1.35);
  });

  it("says when a run does not fit, and that an unfused loss costs logits memory", () => {
    expect(estimateTraining({ ...base, method: "LORA", gpuType: "T4-16GB" }).fits).toBe(false);
    expect(estimateTraining({ ...base, gpuType: "T4-16GB" }).fits).toBe(true);
    const fused = estimateTraining({ ...base, sequenceLen: 8192 });
    const plain = estimateTraining({ ...base, sequenceLen: 8192, chunkedLoss: false });
    expect(plain.breakdownGb.logits - fused.breakdownGb.logits).toBeGreaterThan(5);
  });
});

describe("time and cost", () => {
  it("derive steps, hours and cost from the dataset and the GPU", () => {
    const e = estimateTraining({ ...base, method: "LORA", numEpochs: 2 });
    expect(e.tokensPerEpoch).toBe(4_500_000);
    expect(e.steps).toBe(Math.ceil(9000 / 4) * 2);
    // 9 M tokens at ~2,400 tok/s (A100, 8B LoRA) ≈ 1.04 h ≈ $1.9.
    expect(e.hours).toBeGreaterThan(0.9);
    expect(e.hours).toBeLessThan(1.2);
    expect(e.costUsd).toBeCloseTo(e.hours * 1.8, 1);
    const h100 = estimateTraining({ ...base, method: "LORA", numEpochs: 2, gpuType: "H100-80GB" });
    expect(h100.hours).toBeLessThan(e.hours / 2);
  });

  it("uses maxSteps when given", () => {
    const e = estimateTraining({ ...base, maxSteps: 100 });
    expect(e.steps).toBe(100);
  });
});

describe("epochs", () => {
  const tiny = findBaseModel("retune/tiny-chat")!;
  const demo: EstimateInput = {
    ...base,
    model: tiny,
    method: "LORA",
    loraR: 16,
    sequenceLen: 256,
    microBatchSize: 16,
    gradientAccumulationSteps: 1,
    gpuType: "CPU",
    dataset: { rows: 28, tokens: 8000, evalFraction: 0.1, trainRows: 26 },
  };

  it("counts passes over the training rows for maxSteps and warns past the threshold", () => {
    // The tiny preset on a 26/2 split: 375 steps, two steps (16 + 10 rows) per epoch.
    const e = estimateTraining({ ...demo, maxSteps: 375 });
    expect(e.epochs).toBe(187.5);
    expect(e.warnings).toEqual([
      {
        code: "many_epochs",
        message: expect.stringMatching(
          /^maxSteps 375 is 187\.5 passes over 26 training rows \(2 steps of up to 16 rows per epoch\): past 20 epochs/,
        ),
      },
    ]);
  });

  it("counts micro batch, accumulation and GPUs into a step", () => {
    const e = estimateTraining({
      ...demo,
      maxSteps: 30,
      microBatchSize: 2,
      gradientAccumulationSteps: 2,
      gpuType: "A100-80GB",
      gpuCount: 2,
      dataset: { ...demo.dataset, rows: 1000, trainRows: 800 },
    });
    // 8 rows a step, 100 steps an epoch.
    expect(e.epochs).toBe(0.3);
    expect(e.warnings).toEqual([]);
  });

  it("is numEpochs when the run is set by epochs, warning only past MAX_SANE_EPOCHS", () => {
    expect(estimateTraining({ ...demo, numEpochs: 3 })).toMatchObject({ epochs: 3, warnings: [] });
    expect(estimateTraining({ ...demo, numEpochs: MAX_SANE_EPOCHS }).warnings).toEqual([]);
    const many = estimateTraining({ ...demo, numEpochs: 50 });
    expect(many.epochs).toBe(50);
    expect(many.warnings[0]!.message).toMatch(/^numEpochs 50 is 50 passes over 26 training rows/);
  });

  it("derives train rows from the eval fraction when the split count is not given", () => {
    const e = estimateTraining({
      ...demo,
      maxSteps: 10,
      microBatchSize: 1,
      dataset: { rows: 100, tokens: 1, evalFraction: 0.1 },
    });
    expect(e.epochs).toBeCloseTo(10 / 90, 2);
  });
});
