/**
 * Candidate vs production (or vs the base model, or another version) on the Model's suite, side
 * by side, with the cases whose outcome changed listed first: what a reviewer reads before
 * approving. Cases pair by index (runs of one suite share case indexes).
 */
import { caseOutputSchema, caseScoresSchema, METRIC_NAMES } from "@/lib/schemas/eval-metrics";
import type { Comparison } from "@/lib/schemas/models";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { HttpError, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { getVersionDetail } from "./version-detail";

const MAX_CASES = 500;

function promptOf(input: unknown): string {
  const messages = (input as { messages?: { role?: string; content?: unknown }[] } | null)
    ?.messages;
  const lastUser = [...(messages ?? [])].reverse().find((m) => m.role === "user");
  return typeof lastUser?.content === "string" ? lastUser.content : "";
}

export async function compareVersion(
  p: Principal,
  id: string,
  against: string,
): Promise<Comparison> {
  authorize(p, "team.read");
  const detail = await getVersionDetail(p, id);
  const candidate = detail.evals.find((e) => e.target.kind === "MODEL_VERSION") ?? null;
  let other = null;
  let otherLabel = against;
  if (against === "production") {
    other = detail.evals.find((e) => e.target.kind === "PRODUCTION") ?? null;
    otherLabel = other?.target.label ?? "production (none yet)";
  } else if (against === "base") {
    other = detail.evals.find((e) => e.target.kind === "BASE_MODEL") ?? null;
    otherLabel = other?.target.label ?? detail.baseModel;
  } else {
    const v = await db().modelVersion.findFirst({ where: { id: against, teamId: p.teamId } });
    if (!v) throw notFound("model version", against);
    if (v.modelId !== detail.modelId)
      throw new HttpError(422, "invalid", "against: a version of another Model", [
        { path: "against", message: "compare versions of the same Model" },
      ]);
    const otherDetail = await getVersionDetail(p, against);
    other = otherDetail.evals.find((e) => e.target.kind === "MODEL_VERSION") ?? null;
    otherLabel = `v${v.version}`;
  }
  const metrics = METRIC_NAMES.filter(
    (m) => candidate?.metrics[m] !== undefined || other?.metrics[m] !== undefined,
  ).map((metric) => ({
    metric,
    candidate: candidate?.metrics[metric] ?? null,
    other: other?.metrics[metric] ?? null,
  }));
  const counts = { fixed: 0, broken: 0, same: 0 };
  if (!candidate || !other || candidate.status !== "SUCCEEDED" || other.status !== "SUCCEEDED")
    return { candidate, other, otherLabel, metrics, counts, cases: [] };
  const [mine, theirs] = await Promise.all(
    [candidate.runId, other.runId].map((runId) =>
      db().evalCaseResult.findMany({ where: { evalRunId: runId }, orderBy: { index: "asc" } }),
    ),
  );
  const byIndex = new Map(theirs!.map((c) => [c.index, c]));
  const cases: Comparison["cases"] = [];
  for (const c of mine!) {
    const o = byIndex.get(c.index);
    if (!o) continue;
    const change =
      c.passed === o.passed
        ? ("same" as const)
        : c.passed
          ? ("fixed" as const)
          : ("broken" as const);
    counts[change]++;
    const reasons = (s: unknown) => {
      const parsed = caseScoresSchema.safeParse(s);
      return parsed.success ? (parsed.data.reasons as Record<string, string>) : {};
    };
    const output = (x: unknown) => {
      const parsed = caseOutputSchema.safeParse(x);
      return parsed.success ? parsed.data : x;
    };
    cases.push({
      index: c.index,
      change,
      candidatePassed: c.passed,
      otherPassed: o.passed,
      prompt: promptOf(c.input),
      expected: c.expected,
      candidateOutput: output(c.output),
      otherOutput: output(o.output),
      candidateReasons: reasons(c.scores),
      otherReasons: reasons(o.scores),
    });
  }
  const order = { broken: 0, fixed: 1, same: 2 };
  cases.sort((a, b) => order[a.change] - order[b.change] || a.index - b.index);
  return { candidate, other, otherLabel, metrics, counts, cases: cases.slice(0, MAX_CASES) };
}
