/**
 * The routing calibration form's pure state: which runs may be the candidate (this version's
 * finished runs) and the frontier (other finished runs of the candidate's suite, endpoints
 * first), and the body the form sends. Margin is typed in accuracy points (1 = 0.01).
 */
import type { EvalRun } from "@/lib/schemas/evals";
import type { ConfidenceSignal, RoutingCurve } from "@/lib/schemas/economics";
import type { RoutingCalibrationBody } from "@/lib/schemas/routing-calibration";

export type RoutingForm = {
  candidateRunId: string;
  frontierRunId: string;
  signal: ConfidenceSignal;
  /** Accuracy points the hybrid may lose against frontier-only, as typed ("1" = 0.01). */
  marginPoints: string;
  escalateWhenInvalid: boolean;
};

export const INITIAL_ROUTING_FORM: RoutingForm = {
  candidateRunId: "",
  frontierRunId: "",
  signal: "mean_logprob",
  marginPoints: "1",
  escalateWhenInvalid: true,
};

/** The version's SUCCEEDED runs, newest first: what the candidate side may be. */
export function candidateRuns(runs: readonly EvalRun[], versionId: string): EvalRun[] {
  return runs.filter((r) => r.status === "SUCCEEDED" && r.target.modelVersionId === versionId);
}

/**
 * SUCCEEDED runs of the candidate's suite on another target, endpoints (frontier APIs) first,
 * then newest first.
 */
export function frontierRuns(
  runs: readonly EvalRun[],
  candidate: EvalRun | undefined,
  versionId: string,
): EvalRun[] {
  if (!candidate) return [];
  return runs
    .filter(
      (r) =>
        r.status === "SUCCEEDED" &&
        r.suiteId === candidate.suiteId &&
        r.id !== candidate.id &&
        r.target.modelVersionId !== versionId,
    )
    .sort(
      (a, b) =>
        Number(b.target.kind === "ENDPOINT") - Number(a.target.kind === "ENDPOINT") ||
        b.createdAt.localeCompare(a.createdAt),
    );
}

export function runOptionLabel(r: EvalRun): string {
  return `${r.target.label} · ${r.suiteName} · ${r.caseCount} cases · ${r.createdAt.slice(0, 10)}`;
}

/** The request body, or what is wrong with the form. */
export function routingBody(
  form: RoutingForm,
): { ok: true; body: RoutingCalibrationBody } | { ok: false; error: string } {
  if (!form.candidateRunId) return { ok: false, error: "Pick a run of this version." };
  if (!form.frontierRunId) return { ok: false, error: "Pick a frontier run of the same suite." };
  const points = Number(form.marginPoints);
  if (form.marginPoints.trim() === "" || !Number.isFinite(points) || points < 0 || points > 100)
    return { ok: false, error: "Margin is accuracy points between 0 and 100." };
  return {
    ok: true,
    body: {
      candidateRunId: form.candidateRunId,
      frontierRunId: form.frontierRunId,
      signal: form.signal,
      // Rounded to a hundredth of a point: 1.1 must not become 0.011000000000000001.
      margin: Math.round(points * 100) / 10_000,
      escalateWhenInvalid: form.escalateWhenInvalid,
    },
  };
}

export type CurveDatum = {
  keptShare: number;
  hybridAccuracy: number;
  costPer1kUsd: number;
  tau: string;
  chosen: boolean;
};

/** The curve's points in the order the chart draws them: by share kept, then by τ. */
export function curveData(curve: RoutingCurve): CurveDatum[] {
  return curve.points
    .map((p, i) => ({
      keptShare: p.keptShare,
      hybridAccuracy: p.hybridAccuracy,
      costPer1kUsd: p.costPer1kUsd,
      tau: typeof p.minConfidence === "number" ? p.minConfidence.toFixed(3) : p.minConfidence,
      chosen: i === curve.chosenIndex,
      order: i,
    }))
    .sort((a, b) => a.keptShare - b.keptShare || b.order - a.order)
    .map(({ order: _order, ...d }) => d);
}
