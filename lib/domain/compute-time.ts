/**
 * Compute time: what a run held, measured. Each attempt's wall time, from its start (an executor
 * slot taken) to its end, summed over attempts, times the devices it held: its GPUs, or one CPU
 * host. Labelled by the device, so a CPU run has CPU time and no GPU time, and priced by the
 * device's hourly rate (CPU hosts are not priced: $0).
 */
import { GPUS, type GpuType } from "./training-estimate";
import { isFinished, type TrainingStatus } from "./training-status";

export type ComputeSpec = { gpuType: GpuType; gpuCount: number };
export type AttemptSpan = {
  startedAt: Date | null;
  finishedAt: Date | null;
  status: TrainingStatus;
};

export type ComputeTime = {
  /** Device-seconds: wallSeconds × devices. */
  seconds: number;
  /** Wall time of the attempts, summed. */
  wallSeconds: number;
  device: "CPU" | "GPU";
  /** GPUs held, or 1 for a CPU run. */
  devices: number;
  gpuType: GpuType;
  costUsd: number;
};

/**
 * The compute time of a job's attempts. An attempt still going counts up to `now`; one never
 * started, or finished with no recorded end, counts nothing. Null when no attempt has started.
 */
export function computeTime(
  compute: ComputeSpec,
  attempts: readonly AttemptSpan[],
  now: Date = new Date(),
  usdPerHour?: number,
): ComputeTime | null {
  let wall = 0;
  let started = false;
  for (const a of attempts) {
    if (!a.startedAt) continue;
    started = true;
    const end = a.finishedAt ?? (isFinished(a.status) ? a.startedAt : now);
    wall += Math.max(0, end.getTime() - a.startedAt.getTime()) / 1000;
  }
  if (!started) return null;
  const gpu = compute.gpuType !== "CPU";
  const devices = gpu ? compute.gpuCount : 1;
  const rate = gpu ? (usdPerHour ?? GPUS[compute.gpuType].usdPerHour) : 0;
  return {
    seconds: wall * devices,
    wallSeconds: wall,
    device: gpu ? "GPU" : "CPU",
    devices,
    gpuType: compute.gpuType,
    costUsd: Math.round((wall / 3600) * rate * devices * 100) / 100,
  };
}

/** "CPU", "H100-80GB", "2 × H100-80GB": the devices compute time is counted on. */
export function computeLabel(c: Pick<ComputeTime, "device" | "devices" | "gpuType">): string {
  if (c.device === "CPU") return "CPU";
  return c.devices > 1 ? `${c.devices} × ${c.gpuType}` : c.gpuType;
}
