/**
 * A team's price list: frontier list prices and self-hosted serving prices, each with the day it
 * was read. A team that never saved a list prices with retune's dated seed (SEED_PRICES); nothing
 * is written for it until someone saves, so a reader never writes and the seed can improve in a
 * later release for every team that kept it. Saving replaces the whole list; an entry whose
 * figures, asOf and source are unchanged keeps its updatedAt, so "updated" means the price moved.
 */
import { SEED_PRICES } from "@/lib/domain/economics/prices";
import { priceEntrySchema, type PriceEntry, type PriceList } from "@/lib/schemas/economics";
import {
  putPriceListBodySchema,
  type PutPriceListBody,
  type TeamPriceList,
} from "@/lib/schemas/price-list";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Tx } from "@/lib/server/core/db";
import type { PriceEntry as PriceRow, PriceKind } from "@/lib/server/generated/prisma/client";
import type { Principal } from "@/lib/server/core/principal";

const KIND_TO_ROW: Record<PriceEntry["kind"], PriceKind> = {
  frontier: "FRONTIER",
  self_hosted: "SELF_HOSTED",
};
const KIND_FROM_ROW: Record<PriceKind, PriceEntry["kind"]> = {
  FRONTIER: "frontier",
  SELF_HOSTED: "self_hosted",
};

/** A DATE column comes back as UTC midnight; asOf is that day. */
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

function rowFields(e: PriceEntry) {
  const { kind, id, asOf, source, ...figures } = e;
  return {
    kind: KIND_TO_ROW[kind],
    priceId: id,
    asOf: new Date(`${asOf}T00:00:00.000Z`),
    source,
    figures,
  };
}

/**
 * The entry a row holds, through the same schema the API accepts (defaults included). A row this
 * release cannot read is left out with a log line rather than failing every page that prices.
 */
function entryOf(row: PriceRow): PriceEntry | null {
  const parsed = priceEntrySchema.safeParse({
    ...(row.figures as Record<string, unknown>),
    kind: KIND_FROM_ROW[row.kind],
    id: row.priceId,
    asOf: dayOf(row.asOf),
    source: row.source,
  });
  if (!parsed.success) {
    console.warn(`price entry ${row.id} (team ${row.teamId}) is unreadable; left out`);
    return null;
  }
  return parsed.data;
}

const keyOf = (e: Pick<PriceEntry, "kind" | "id">): string => `${e.kind}/${e.id}`;
/** Parsed entries list their keys in the schema's order, so equal entries stringify equally. */
const sameEntry = (a: PriceEntry, b: PriceEntry) => JSON.stringify(a) === JSON.stringify(b);

async function readRows(teamId: string, tx?: Tx): Promise<PriceRow[]> {
  return (tx ?? db()).priceEntry.findMany({
    where: { teamId },
    orderBy: [{ position: "asc" }, { id: "asc" }],
  });
}

function toList(rows: PriceRow[]): TeamPriceList {
  if (rows.length === 0) {
    return {
      origin: "seed",
      updatedAt: null,
      entries: SEED_PRICES.map((price) => ({ price, updatedAt: null })),
    };
  }
  const entries = rows.flatMap((row) => {
    const price = entryOf(row);
    return price ? [{ price, updatedAt: row.updatedAt.toISOString() }] : [];
  });
  const latest = rows.reduce((m, r) => (r.updatedAt > m ? r.updatedAt : m), rows[0]!.updatedAt);
  return { origin: "team", updatedAt: latest.toISOString(), entries };
}

/** GET /economics/prices: the team's list, or the seed while it has none. */
export async function getTeamPriceList(p: Principal): Promise<TeamPriceList> {
  authorize(p, "team.read");
  return toList(await readRows(p.teamId));
}

/** The entries alone, for code that prices something (the planner presets, live economics). */
export async function teamPrices(p: Principal): Promise<PriceList> {
  return (await getTeamPriceList(p)).entries.map((e) => e.price);
}

/**
 * PUT /economics/prices: replaces the list with `body.entries`, in their order. Entries are
 * matched by kind and id: new ones are added, changed ones updated, missing ones removed.
 */
export async function putTeamPriceList(
  p: Principal,
  body: PutPriceListBody,
): Promise<TeamPriceList> {
  authorize(p, "resource.write");
  const { entries } = putPriceListBodySchema.parse(body);
  return db().$transaction(async (tx) => {
    // One writer per team at a time: two saves racing would both insert the same new ids.
    await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${p.teamId} FOR UPDATE`;
    const before = await readRows(p.teamId, tx);
    const byKey = new Map<string, PriceRow>(
      before.map((row) => [keyOf({ kind: KIND_FROM_ROW[row.kind], id: row.priceId }), row]),
    );
    let added = 0;
    let changed = 0;
    for (const [position, entry] of entries.entries()) {
      const row = byKey.get(keyOf(entry));
      byKey.delete(keyOf(entry));
      if (!row) {
        await tx.priceEntry.create({ data: { teamId: p.teamId, position, ...rowFields(entry) } });
        added++;
        continue;
      }
      const old = entryOf(row);
      if (old && sameEntry(old, entry)) {
        // Only its place moved: keep updatedAt, which says when the price itself changed.
        if (row.position !== position) {
          await tx.priceEntry.update({
            where: { id: row.id },
            data: { position, updatedAt: row.updatedAt },
          });
        }
        continue;
      }
      await tx.priceEntry.update({
        where: { id: row.id },
        data: { position, ...rowFields(entry) },
      });
      changed++;
    }
    const removed = [...byKey.values()];
    if (removed.length > 0) {
      await tx.priceEntry.deleteMany({ where: { id: { in: removed.map((r) => r.id) } } });
    }
    if (before.length === 0 || added + changed + removed.length > 0) {
      await recordAudit(
        {
          ...actorOf(p),
          action: "prices.update",
          targetType: "price-list",
          targetId: p.teamId,
          metadata: {
            entries: entries.length,
            added,
            changed,
            removed: removed.length,
            fromSeed: before.length === 0,
          },
        },
        tx,
      );
    }
    return toList(await readRows(p.teamId, tx));
  });
}

/** DELETE /economics/prices: back to retune's seeded list prices. */
export async function resetTeamPriceList(p: Principal): Promise<TeamPriceList> {
  authorize(p, "resource.write");
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${p.teamId} FOR UPDATE`;
    const { count } = await tx.priceEntry.deleteMany({ where: { teamId: p.teamId } });
    if (count > 0) {
      await recordAudit(
        {
          ...actorOf(p),
          action: "prices.reset",
          targetType: "price-list",
          targetId: p.teamId,
          metadata: { removed: count },
        },
        tx,
      );
    }
    return toList([]);
  });
}
