/** How an eval run row reads in the API: its target as displayed, metrics, progress. */
import { z } from "zod";
import { runMetricsSchema } from "@/lib/schemas/eval-metrics";
import {
  endpointTargetSchema,
  runSlicesSchema,
  type EvalRun,
  type EvalTargetView,
} from "@/lib/schemas/evals";
import type { EvalRun as RunRow, EvalRunStatus } from "@/lib/server/generated/prisma/client";
import { suiteScoringProfile, suiteTurns } from "./suites";

const TERMINAL: readonly EvalRunStatus[] = ["SUCCEEDED", "FAILED", "CANCELLED"];

/** What a run's `target` JSON column holds: display and execution facts, never a key. */
export const storedTargetSchema = z.object({
  label: z.string(),
  modelVersionId: z.string().optional(),
  baseModel: z.string().optional(),
  adapterUri: z.string().nullable().optional(),
  endpoint: endpointTargetSchema.optional(),
});
export type StoredTarget = z.infer<typeof storedTargetSchema>;

export function isTerminal(status: EvalRunStatus): boolean {
  return TERMINAL.includes(status);
}

function targetView(row: Pick<RunRow, "targetKind" | "target" | "modelVersionId">): EvalTargetView {
  const parsed = storedTargetSchema.safeParse(row.target);
  const t: Partial<StoredTarget> = parsed.success ? parsed.data : {};
  return {
    kind: row.targetKind,
    label: t.label ?? row.targetKind.toLowerCase(),
    modelVersionId: row.modelVersionId ?? t.modelVersionId ?? null,
    baseModel: t.baseModel ?? null,
    endpoint: t.endpoint ? { url: t.endpoint.url, model: t.endpoint.model } : null,
  };
}

export function toEvalRun(
  row: RunRow & { suite: { name: string; scoringProfile: string; turns: string } },
  reusedFrom?: string,
): EvalRun {
  const metrics = runMetricsSchema.safeParse(row.metrics ?? {});
  const slices = runSlicesSchema.safeParse(row.slices ?? {});
  const progress =
    row.status === "SUCCEEDED"
      ? 1
      : row.caseCount > 0
        ? Math.min(1, Math.max(0, row.casesDone / row.caseCount))
        : 0;
  return {
    id: row.id,
    suiteId: row.suiteId,
    suiteName: row.suite.name,
    scoringProfile: suiteScoringProfile(row.suite),
    turns: suiteTurns(row.suite),
    status: row.status,
    target: targetView(row),
    metrics: metrics.success ? metrics.data : {},
    slices: slices.success ? slices.data : {},
    caseCount: row.caseCount,
    casesDone: row.casesDone,
    progress,
    error: row.error,
    reusedFrom: reusedFrom ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export const withSuite = {
  suite: { select: { name: true, scoringProfile: true, turns: true } },
} as const;
