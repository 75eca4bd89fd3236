/**
 * Routing calibration of a model version (issue #17, "Routing calibration from evals"): a
 * SUCCEEDED run of the version (the small model) and a SUCCEEDED run of a frontier model on the
 * same suite are paired case by case (lib/domain/economics/calibration-cases.ts), the escalation
 * rule's threshold is swept (lib/domain/economics/routing.ts), and the curve, the chosen rule and
 * the prices every cost used are stored with the version. The newest calibration is the
 * version's; the model card shows it and the rule exports as JSON, TypeScript and Python.
 *
 * Prices: each side's calls are priced from their own token counts. The frontier at its run's
 * endpoint prices (or a named entry of the team's price list); the candidate at the team's
 * self-hosted serving entry (or a named entry, or its endpoint's prices when it ran on one). The
 * eval host's own cost figure (execute-run.ts `localCostPer1k`, the serving time a CPU test
 * machine took) is not used: it prices the machine the eval ran on, not production serving.
 */
import {
  calibrationCases,
  describePricing,
  pickMetric,
  type StoredCase,
} from "@/lib/domain/economics/calibration-cases";
import { sweepThresholds } from "@/lib/domain/economics/routing";
import { describeRule, ruleToPython, ruleToTypeScript } from "@/lib/domain/economics/rule-snippets";
import { routingCurveSchema, routingRuleSchema } from "@/lib/schemas/economics";
import {
  caseExpectedSchema,
  caseOutputSchema,
  caseScoresSchema,
  type CaseMetric,
} from "@/lib/schemas/eval-metrics";
import type { ModelCardRouting } from "@/lib/schemas/model-cards";
import {
  routingCalibrationBodySchema,
  routingCalibrationSchema,
  routingCaseStatsSchema,
  routingPricesUsedSchema,
  type CallPricing,
  type LatestRoutingCalibration,
  type RoutingCalibration,
  type RoutingCalibrationBody,
  type RoutingRuleExport,
} from "@/lib/schemas/routing-calibration";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, Prisma } from "@/lib/server/core/db";
import { HttpError, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { teamPrices } from "@/lib/server/economics/prices";
import { storedTargetSchema } from "@/lib/server/evals/run-views";
import type {
  EvalRun as RunRow,
  RoutingCalibration as CalibrationRow,
} from "@/lib/server/generated/prisma/client";
import { loadVersion } from "./version-detail";

const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);

type LoadedRun = RunRow & { suite: { id: string; name: string } };

function labelOf(run: RunRow): string {
  const t = storedTargetSchema.safeParse(run.target);
  return t.success ? t.data.label : run.targetKind.toLowerCase();
}

async function loadRun(p: Principal, id: string, path: string): Promise<LoadedRun> {
  const run = await db().evalRun.findFirst({
    where: { id, teamId: p.teamId },
    include: { suite: { select: { id: true, name: true } } },
  });
  if (!run) throw notFound("eval run", id);
  if (run.status !== "SUCCEEDED")
    throw invalid(path, `eval run ${id} is ${run.status}; only a SUCCEEDED run can be calibrated`);
  return run;
}

/** Whether the run evaluated this version: its own run, or one whose target names it. */
function evaluates(run: RunRow, versionId: string): boolean {
  if (run.modelVersionId === versionId) return true;
  const t = storedTargetSchema.safeParse(run.target);
  return t.success && t.data.modelVersionId === versionId;
}

async function storedCases(runId: string): Promise<StoredCase[]> {
  const rows = await db().evalCaseResult.findMany({
    where: { evalRunId: runId },
    orderBy: { index: "asc" },
    select: { index: true, passed: true, input: true, expected: true, output: true, scores: true },
  });
  return rows.map((r) => {
    const input = (r.input ?? {}) as { tools?: unknown };
    return {
      index: r.index,
      passed: r.passed,
      tools: Array.isArray(input.tools) ? input.tools : [],
      expected: caseExpectedSchema.parse(r.expected),
      output: caseOutputSchema.parse(r.output),
      scores: caseScoresSchema.parse(r.scores),
    };
  });
}

/** The two runs must have judged the same prompts, index by index. */
async function sameCases(candidateId: string, frontierId: string): Promise<string | null> {
  const inputs = (id: string) =>
    db().evalCaseResult.findMany({
      where: { evalRunId: id },
      orderBy: { index: "asc" },
      select: { index: true, input: true },
    });
  const [a, b] = await Promise.all([inputs(candidateId), inputs(frontierId)]);
  if (a.length !== b.length)
    return `the candidate run has ${a.length} cases and the frontier run ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.index !== b[i]!.index)
      return `case ${a[i]!.index} of the candidate run is case ${b[i]!.index} of the frontier run`;
    // jsonb keeps one key order, so the same prompt reads back as the same text.
    if (JSON.stringify(a[i]!.input) !== JSON.stringify(b[i]!.input))
      return `case ${a[i]!.index} has a different prompt in the two runs (the suite's data changed between them)`;
  }
  return null;
}

/** A named entry of the team's price list (or the seed's, while the team has none). */
async function priceEntry(p: Principal, id: string, path: string): Promise<CallPricing> {
  const entry = (await teamPrices(p)).find((e) => e.id === id);
  if (!entry) throw invalid(path, `${id} is not in the team's price list`);
  return { source: "price_list", entry };
}

function endpointPricing(run: LoadedRun): CallPricing | null {
  const t = storedTargetSchema.safeParse(run.target);
  const prices = t.success ? t.data.endpoint?.prices : undefined;
  if (!prices) return null;
  return {
    source: "endpoint",
    runId: run.id,
    label: labelOf(run),
    inputUsdPerMTok: prices.inputPerMTok,
    outputUsdPerMTok: prices.outputPerMTok,
  };
}

async function pricesFor(
  p: Principal,
  body: { candidatePriceId?: string; frontierPriceId?: string },
  candidate: LoadedRun,
  frontier: LoadedRun,
): Promise<{ candidate: CallPricing; frontier: CallPricing }> {
  let candidatePricing: CallPricing | null = body.candidatePriceId
    ? await priceEntry(p, body.candidatePriceId, "candidatePriceId")
    : endpointPricing(candidate);
  if (!candidatePricing) {
    const serving = (await teamPrices(p)).find((e) => e.kind === "self_hosted");
    if (!serving)
      throw invalid(
        "candidatePriceId",
        "the team's price list has no self-hosted serving entry to price the candidate's calls; add one or name an entry",
      );
    candidatePricing = { source: "price_list", entry: serving };
  }
  const frontierPricing = body.frontierPriceId
    ? await priceEntry(p, body.frontierPriceId, "frontierPriceId")
    : endpointPricing(frontier);
  if (!frontierPricing)
    throw invalid(
      "frontierPriceId",
      `the frontier run ${frontier.id} (${labelOf(frontier)}) has no token prices; name a price-list entry`,
    );
  return { candidate: candidatePricing, frontier: frontierPricing };
}

function toView(row: CalibrationRow): RoutingCalibration {
  const runs = row.runs as {
    suite: { id: string; name: string };
    candidate: { id: string; label: string };
    frontier: { id: string; label: string };
  };
  const curve = routingCurveSchema.parse(row.curve);
  const rule = row.rule === null ? null : routingRuleSchema.parse(row.rule);
  return routingCalibrationSchema.parse({
    id: row.id,
    modelVersionId: row.modelVersionId,
    suite: runs.suite,
    candidateRun: runs.candidate,
    frontierRun: runs.frontier,
    metric: row.metric,
    signal: row.signal,
    margin: row.margin,
    escalateWhenInvalid: row.escalateWhenInvalid,
    stats: routingCaseStatsSchema.parse(row.stats),
    pricesUsed: routingPricesUsedSchema.parse(row.pricesUsed),
    curve,
    chosen: curve.chosenIndex === null ? null : (curve.points[curve.chosenIndex] ?? null),
    rule,
    ruleDescription: rule ? describeRule(rule) : null,
    createdAt: row.createdAt.toISOString(),
  });
}

/**
 * POST /model-versions/{id}/routing-calibration. 404 for a version or run outside the team;
 * 422 when a run is not SUCCEEDED, the candidate run did not evaluate this version, the runs
 * are on different suites or judged different cases, or a price is missing.
 */
export async function calibrateRouting(
  p: Principal,
  versionId: string,
  input: RoutingCalibrationBody,
): Promise<RoutingCalibration> {
  authorize(p, "resource.write");
  const version = await loadVersion(p, versionId);
  const body = routingCalibrationBodySchema.parse(input);
  if (body.candidateRunId === body.frontierRunId)
    throw invalid("frontierRunId", "the frontier run must be another run than the candidate's");
  const candidate = await loadRun(p, body.candidateRunId, "candidateRunId");
  const frontier = await loadRun(p, body.frontierRunId, "frontierRunId");
  if (!evaluates(candidate, version.id))
    throw invalid(
      "candidateRunId",
      `eval run ${candidate.id} evaluated ${labelOf(candidate)}, not ${version.model.name} v${version.version}`,
    );
  if (candidate.suiteId !== frontier.suiteId)
    throw invalid(
      "frontierRunId",
      `the runs are on different suites ("${candidate.suite.name}" and "${frontier.suite.name}"); calibration pairs the same cases of one suite`,
    );
  const mismatch = await sameCases(candidate.id, frontier.id);
  if (mismatch)
    throw invalid("frontierRunId", `the runs did not judge the same cases: ${mismatch}`);

  const [candidateCases, frontierCases] = await Promise.all([
    storedCases(candidate.id),
    storedCases(frontier.id),
  ]);
  if (candidateCases.length === 0)
    throw invalid("candidateRunId", `eval run ${candidate.id} has no cases`);
  const metric: CaseMetric | null = body.metric ?? pickMetric(candidateCases, frontierCases);
  if (metric === null)
    throw invalid("metric", "the runs share no case metric that says whether an answer was right");
  const prices = await pricesFor(p, body, candidate, frontier);
  const { cases, stats } = calibrationCases({
    candidate: candidateCases,
    frontier: frontierCases,
    metric,
    prices,
  });
  const curve = sweepThresholds(cases, {
    signal: body.signal,
    margin: body.margin,
    quantiles: body.quantiles,
    escalateWhenInvalid: body.escalateWhenInvalid,
  });

  const row = await db().$transaction(async (tx) => {
    const created = await tx.routingCalibration.create({
      data: {
        teamId: p.teamId,
        modelVersionId: version.id,
        suiteId: candidate.suiteId,
        candidateRunId: candidate.id,
        frontierRunId: frontier.id,
        metric,
        signal: body.signal,
        margin: body.margin,
        escalateWhenInvalid: body.escalateWhenInvalid,
        runs: {
          suite: { id: candidate.suite.id, name: candidate.suite.name },
          candidate: { id: candidate.id, label: labelOf(candidate) },
          frontier: { id: frontier.id, label: labelOf(frontier) },
        },
        stats: stats as Prisma.InputJsonValue,
        pricesUsed: prices as unknown as Prisma.InputJsonValue,
        curve: curve as unknown as Prisma.InputJsonValue,
        rule: curve.chosenRule
          ? (curve.chosenRule as unknown as Prisma.InputJsonValue)
          : Prisma.DbNull,
        createdById: p.userId,
      },
    });
    await recordAudit(
      {
        ...actorOf(p),
        action: "model-version.routing-calibration",
        targetType: "model-version",
        targetId: version.id,
        metadata: {
          calibration: created.id,
          candidateRun: candidate.id,
          frontierRun: frontier.id,
          cases: stats.cases,
          threshold: curve.chosenRule ? String(curve.chosenRule.minConfidence) : null,
        },
      },
      tx,
    );
    return created;
  });
  return toView(row);
}

async function latestRow(p: Principal, versionId: string): Promise<CalibrationRow | null> {
  const version = await loadVersion(p, versionId);
  return db().routingCalibration.findFirst({
    where: { modelVersionId: version.id, teamId: p.teamId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}

/** GET /model-versions/{id}/routing-calibration: the newest calibration, or null. */
export async function getRoutingCalibration(
  p: Principal,
  versionId: string,
): Promise<LatestRoutingCalibration> {
  authorize(p, "team.read");
  const row = await latestRow(p, versionId);
  return { calibration: row ? toView(row) : null };
}

/** What the model card says of the version's newest calibration; null when it has none. */
export async function cardRouting(
  p: Principal,
  versionId: string,
): Promise<ModelCardRouting | null> {
  const { calibration: c } = await getRoutingCalibration(p, versionId);
  if (!c) return null;
  return {
    calibrationId: c.id,
    suiteName: c.suite.name,
    frontierLabel: c.frontierRun.label,
    cases: c.stats.cases,
    metric: c.metric,
    signal: c.signal,
    margin: c.margin,
    rule: c.rule,
    ruleDescription: c.ruleDescription,
    keptShare: c.chosen?.keptShare ?? null,
    hybridAccuracy: c.chosen?.hybridAccuracy ?? null,
    costPer1kUsd: c.chosen?.costPer1kUsd ?? null,
    frontierAccuracy: c.curve.frontierOnly.accuracy,
    frontierCostPer1kUsd: c.curve.frontierOnly.costPer1kUsd,
    prices: `small model — ${describePricing(c.pricesUsed.candidate)}; frontier — ${describePricing(c.pricesUsed.frontier)}`,
    createdAt: c.createdAt,
  };
}

/** The newest calibration's rule for an agent: JSON, and TypeScript and Python to drop in. */
export async function getRoutingRule(p: Principal, versionId: string): Promise<RoutingRuleExport> {
  authorize(p, "team.read");
  const row = await latestRow(p, versionId);
  if (!row) throw notFound("routing calibration of model version", versionId);
  const view = toView(row);
  if (!view.rule || !view.chosen)
    throw new HttpError(
      404,
      "not_found",
      `the newest routing calibration of model version ${versionId} chose no rule (it had no cases)`,
    );
  return {
    calibrationId: view.id,
    rule: view.rule,
    description: describeRule(view.rule),
    expected: view.chosen,
    frontierOnly: view.curve.frontierOnly,
    snippets: { typescript: ruleToTypeScript(view.rule), python: ruleToPython(view.rule) },
  };
}
