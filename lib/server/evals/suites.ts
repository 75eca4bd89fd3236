/** Eval suites: a READY dataset version (its eval split, or all of it) plus the scorers to run. */
import { z } from "zod";
import {
  type CreateEvalSuiteBody,
  type EvalSuite,
  type SuiteTurns,
  createEvalSuiteBodySchema,
} from "@/lib/schemas/evals";
import {
  DEFAULT_SCORING_PROFILE,
  scorerSchema,
  scoringProfileSchema,
  type Scorer,
  type ScoringProfile,
} from "@/lib/schemas/eval-metrics";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, Prisma } from "@/lib/server/core/db";
import { conflict, HttpError, notFound } from "@/lib/server/core/errors";
import type { EvalSuite as SuiteRow } from "@/lib/server/generated/prisma/client";
import type { Principal } from "@/lib/server/core/principal";
import { containsText } from "@/lib/server/core/search";
import { listSearchQuerySchema, type ListSearchQuery } from "@/lib/schemas/search";

const scorersSchema = z.array(scorerSchema);

/** A suite's scorers as stored (JSON column), in the order the suite names them. */
export function suiteScorers(row: Pick<SuiteRow, "scorers">): Scorer[] {
  const parsed = scorersSchema.safeParse(row.scorers);
  return parsed.success ? parsed.data : [];
}

/** A suite's scoring profile as stored; anything unreadable is the default, never an error. */
export function suiteScoringProfile(row: Pick<SuiteRow, "scoringProfile">): ScoringProfile {
  const parsed = scoringProfileSchema.safeParse(row.scoringProfile);
  return parsed.success ? parsed.data : DEFAULT_SCORING_PROFILE;
}

/** Which assistant turns of a row are cases: "first" (the default) or "all". */
export function suiteTurns(row: Pick<SuiteRow, "turns">): SuiteTurns {
  return row.turns === "all" ? "all" : "first";
}

const invalid = (path: string, message: string) =>
  new HttpError(422, "invalid", `${path}: ${message}`, [{ path, message }]);

type VersionLabel = { id: string; version: number; dataset: { name: string } };

async function versionLabels(ids: string[]): Promise<Map<string, VersionLabel>> {
  const rows = await db().datasetVersion.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, version: true, dataset: { select: { name: true } } },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

function toSuite(row: SuiteRow, label: VersionLabel | undefined): EvalSuite {
  return {
    id: row.id,
    name: row.name,
    datasetVersionId: row.datasetVersionId,
    datasetName: label?.dataset.name ?? "(deleted dataset)",
    datasetVersion: label?.version ?? 0,
    split: row.split === "all" ? "all" : "eval",
    scorers: suiteScorers(row),
    scoringProfile: suiteScoringProfile(row),
    turns: suiteTurns(row),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createEvalSuite(
  p: Principal,
  input: CreateEvalSuiteBody,
): Promise<EvalSuite> {
  authorize(p, "resource.write");
  const body = createEvalSuiteBodySchema.parse(input);
  const version = await db().datasetVersion.findFirst({
    where: { id: body.datasetVersionId, teamId: p.teamId },
  });
  if (!version)
    throw invalid(
      "datasetVersionId",
      `dataset version ${body.datasetVersionId} does not exist in this team`,
    );
  if (version.status !== "READY")
    throw invalid(
      "datasetVersionId",
      `dataset version ${version.id} is ${version.status}; only READY versions can be evaluated on`,
    );
  if (version.format === "COMPLETION" || version.declaredFormat === "completion")
    throw invalid(
      "datasetVersionId",
      `dataset version ${version.id} holds completion rows; eval suites need chat or tool-calling rows with a reference assistant turn`,
    );
  const scorers = [...new Set(body.scorers)];
  try {
    const row = await db().$transaction(async (tx) => {
      const row = await tx.evalSuite.create({
        data: {
          teamId: p.teamId,
          name: body.name,
          datasetVersionId: version.id,
          split: body.split,
          scorers,
          scoringProfile: body.scoringProfile,
          turns: body.turns,
        },
      });
      await recordAudit(
        {
          ...actorOf(p),
          action: "eval-suite.create",
          targetType: "eval-suite",
          targetId: row.id,
          metadata: {
            name: row.name,
            datasetVersionId: version.id,
            split: body.split,
            scorers: scorers.join(","),
            scoringProfile: body.scoringProfile,
            turns: body.turns,
          },
        },
        tx,
      );
      return row;
    });
    return toSuite(row, (await versionLabels([row.datasetVersionId])).get(row.datasetVersionId));
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      throw conflict(`an eval suite named "${body.name}" already exists in this team`);
    throw e;
  }
}

/** The team's suites, newest first; `q` matches a substring of the name. */
export async function listEvalSuites(
  p: Principal,
  query: ListSearchQuery = {},
): Promise<EvalSuite[]> {
  authorize(p, "team.read");
  const { q } = listSearchQuerySchema.parse(query);
  const rows = await db().evalSuite.findMany({
    where: { teamId: p.teamId, ...(q ? { name: containsText(q) } : {}) },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  const labels = await versionLabels(rows.map((r) => r.datasetVersionId));
  return rows.map((r) => toSuite(r, labels.get(r.datasetVersionId)));
}

/** The suite row, team-scoped: another team's id is a 404 naming it. */
export async function loadEvalSuite(p: Principal, id: string): Promise<SuiteRow> {
  const row = await db().evalSuite.findFirst({ where: { id, teamId: p.teamId } });
  if (!row) throw notFound("eval suite", id);
  return row;
}

export async function getEvalSuite(p: Principal, id: string): Promise<EvalSuite> {
  authorize(p, "team.read");
  const row = await loadEvalSuite(p, id);
  return toSuite(row, (await versionLabels([row.datasetVersionId])).get(row.datasetVersionId));
}
