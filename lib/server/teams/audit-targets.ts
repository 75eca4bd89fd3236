/**
 * What an audit event's target is called, so the log can show "support tool caller v3" as a
 * link instead of a raw id. One query per target type present in the page of events, each scoped
 * to the team; a target deleted since (or of another team) has no name, and the log shows its id.
 * The tables belong to later features, but reading rows by id needs none of their code.
 */
import { personLabel } from "@/lib/domain/actor-label";
import { db } from "@/lib/server/core/db";

export type AuditTarget = {
  /** The object's name today; null when it is gone. */
  label: string;
  /** The object a page of it lives under: a dataset version's dataset, a retrain's Model. */
  parentId: string | null;
};

type Row = { targetType: string | null; targetId: string | null };
type Resolver = (teamId: string, ids: string[]) => Promise<[string, AuditTarget][]>;

const plain = (label: string): AuditTarget => ({ label, parentId: null });

const RESOLVERS: Record<string, Resolver> = {
  model: async (teamId, ids) =>
    (
      await db().model.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, name: true },
      })
    ).map((m) => [m.id, plain(m.name)]),
  "model-version": async (teamId, ids) =>
    (
      await db().modelVersion.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, version: true, modelId: true, model: { select: { name: true } } },
      })
    ).map((v) => [v.id, { label: `${v.model.name} v${v.version}`, parentId: v.modelId }]),
  dataset: async (teamId, ids) =>
    (
      await db().dataset.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, name: true },
      })
    ).map((d) => [d.id, plain(d.name)]),
  "dataset-version": async (teamId, ids) =>
    (
      await db().datasetVersion.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, version: true, datasetId: true, dataset: { select: { name: true } } },
      })
    ).map((v) => [v.id, { label: `${v.dataset.name} v${v.version}`, parentId: v.datasetId }]),
  "training-job": async (teamId, ids) =>
    (
      await db().trainingJob.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, name: true },
      })
    ).map((j) => [j.id, plain(j.name)]),
  "eval-run": async (teamId, ids) =>
    (
      await db().evalRun.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, suite: { select: { name: true } } },
      })
    ).map((r) => [r.id, plain(`eval run on ${r.suite.name}`)]),
  "eval-suite": async (teamId, ids) =>
    (
      await db().evalSuite.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, name: true },
      })
    ).map((s) => [s.id, plain(s.name)]),
  monitor: async (teamId, ids) =>
    (
      await db().driftMonitor.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, name: true },
      })
    ).map((m) => [m.id, plain(m.name)]),
  retrain: async (teamId, ids) =>
    (
      await db().retrainRequest.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, trigger: true, modelId: true, model: { select: { name: true } } },
      })
    ).map((r) => [
      r.id,
      { label: `${r.trigger.toLowerCase()} retrain of ${r.model.name}`, parentId: r.modelId },
    ]),
  member: async (teamId, ids) =>
    (
      await db().member.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, user: { select: { name: true, email: true } } },
      })
    ).map((m) => [m.id, plain(personLabel(m.user.name, m.user.email) ?? "member")]),
  user: async (teamId, ids) =>
    // Sign-ins of the team's members: only people who are still members are named.
    (
      await db().member.findMany({
        where: { teamId, userId: { in: ids } },
        select: { userId: true, user: { select: { name: true, email: true } } },
      })
    ).map((m) => [m.userId, plain(personLabel(m.user.name, m.user.email) ?? "member")]),
  "api-key": async (teamId, ids) =>
    (
      await db().apiKey.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, name: true },
      })
    ).map((k) => [k.id, plain(k.name)]),
  invitation: async (teamId, ids) =>
    (
      await db().invitation.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, email: true },
      })
    ).map((i) => [i.id, plain(i.email)]),
  webhook: async (teamId, ids) =>
    (
      await db().webhook.findMany({
        where: { teamId, id: { in: ids } },
        select: { id: true, url: true },
      })
    ).map((w) => [w.id, plain(w.url)]),
  // Secrets are audited by name, the team by id, the price list by the team's id.
  secret: async (teamId, names) =>
    (
      await db().teamSecret.findMany({
        where: { teamId, name: { in: names } },
        select: { name: true },
      })
    ).map((s) => [s.name, plain(s.name)]),
  team: async (teamId, ids) =>
    ids.includes(teamId)
      ? (await db().team.findMany({ where: { id: teamId }, select: { id: true, name: true } })).map(
          (t) => [t.id, plain(t.name)],
        )
      : [],
  "price-list": async (teamId, ids) =>
    ids.includes(teamId) ? [[teamId, plain("price list")]] : [],
};

/** Names of the targets of `rows`, keyed `${targetType}:${targetId}`. */
export async function auditTargets(
  teamId: string,
  rows: readonly Row[],
): Promise<Map<string, AuditTarget>> {
  const byType = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.targetType || !r.targetId || !RESOLVERS[r.targetType]) continue;
    const ids = byType.get(r.targetType) ?? new Set<string>();
    ids.add(r.targetId);
    byType.set(r.targetType, ids);
  }
  const found = await Promise.all(
    [...byType].map(async ([type, ids]) =>
      (await RESOLVERS[type]!(teamId, [...ids])).map(([id, t]) => [`${type}:${id}`, t] as const),
    ),
  );
  return new Map(found.flat());
}
