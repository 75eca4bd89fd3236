/** Reading eval runs and their cases, and cancelling one, for a principal of the run's team. */
import type { z } from "zod";
import type { evalCasesQuerySchema } from "@/lib/schemas/evals";
import {
  type EvalCase,
  evalCaseSchema,
  type EvalRun,
  type EvalRunListQuery,
  evalRunListQuerySchema,
} from "@/lib/schemas/evals";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import { containsText } from "@/lib/server/core/search";
import { loadEvalSuite } from "./suites";
import { conflict, notFound } from "@/lib/server/core/errors";
import type { Principal } from "@/lib/server/core/principal";
import { toEvalRun, withSuite } from "./run-views";

export async function loadRun(p: Principal, id: string) {
  const row = await db().evalRun.findFirst({ where: { id, teamId: p.teamId }, include: withSuite });
  if (!row) throw notFound("eval run", id);
  return row;
}

export async function getEvalRun(p: Principal, id: string): Promise<EvalRun> {
  authorize(p, "team.read");
  return toEvalRun(await loadRun(p, id));
}

export async function listEvalRuns(
  p: Principal,
  query: Partial<EvalRunListQuery> = {},
): Promise<EvalRun[]> {
  authorize(p, "team.read");
  const q = evalRunListQuerySchema.parse(query);
  if (q.suiteId) await loadEvalSuite(p, q.suiteId);
  if (q.modelVersionId) {
    const v = await db().modelVersion.findFirst({
      where: { id: q.modelVersionId, teamId: p.teamId },
      select: { id: true },
    });
    if (!v) throw notFound("model version", q.modelVersionId);
  }
  const rows = await db().evalRun.findMany({
    where: {
      teamId: p.teamId,
      ...(q.suiteId ? { suiteId: q.suiteId } : {}),
      ...(q.modelVersionId ? { modelVersionId: q.modelVersionId } : {}),
      // The target as listed (a Model and version, a base model, an endpoint) or the suite's name.
      ...(q.q
        ? { OR: [{ targetLabel: containsText(q.q) }, { suite: { name: containsText(q.q) } }] }
        : {}),
    },
    orderBy: { createdAt: "desc" },
    take: q.limit,
    include: withSuite,
  });
  return rows.map((r) => toEvalRun(r));
}

/** A page of a run's cases in index order; `failed` lists only the cases that did not pass. */
export async function listEvalCases(
  p: Principal,
  id: string,
  query: Partial<z.output<typeof evalCasesQuerySchema>> = {},
): Promise<{ cases: EvalCase[]; nextAfter: number | null }> {
  authorize(p, "team.read");
  const q = {
    failed: query.failed ?? false,
    after: query.after ?? -1,
    limit: Math.min(500, Math.max(1, query.limit ?? 100)),
  };
  const run = await loadRun(p, id);
  const rows = await db().evalCaseResult.findMany({
    where: { evalRunId: run.id, index: { gt: q.after }, ...(q.failed ? { passed: false } : {}) },
    orderBy: { index: "asc" },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return {
    cases: page.map((r) =>
      evalCaseSchema.parse({
        index: r.index,
        passed: r.passed,
        input: r.input,
        expected: r.expected,
        output: r.output,
        scores: r.scores,
      }),
    ),
    nextAfter: rows.length > q.limit ? page.at(-1)!.index : null,
  };
}

/** Stops a QUEUED or RUNNING run; the worker notices within a couple of seconds. */
export async function cancelEvalRun(p: Principal, id: string): Promise<EvalRun> {
  authorize(p, "resource.write");
  const run = await loadRun(p, id);
  const moved = await db().$transaction(async (tx) => {
    const { count } = await tx.evalRun.updateMany({
      where: { id: run.id, status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "CANCELLED", finishedAt: new Date() },
    });
    if (count)
      await recordAudit(
        {
          ...actorOf(p),
          action: "eval-run.cancel",
          targetType: "eval-run",
          targetId: run.id,
          metadata: { suiteId: run.suiteId },
        },
        tx,
      );
    return count;
  });
  if (!moved)
    throw conflict(
      `eval run ${id} is ${run.status}; only a queued or running run can be cancelled`,
    );
  return toEvalRun(await loadRun(p, id));
}
