/**
 * The dataset-version picker's options (GET /api/v1/dataset-versions): the team's versions,
 * newest first, narrowed by part of the dataset's name, a version number and a status, so a
 * person picks "support-calls · v4 · Ready" instead of pasting an id.
 */
import {
  datasetVersionOptionsQuerySchema,
  type DatasetVersionOption,
  type DatasetVersionOptionsQuery,
} from "@/lib/schemas/version-options";
import { statsSchema } from "@/lib/schemas/datasets";
import { parseVersionSearch } from "@/lib/domain/version-search";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Prisma } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { containsText } from "@/lib/server/core/search";

// Wildcards in what people type are literal: "50%" must not match "500" (core/search.ts).
const contains = containsText;

function searchWhere(q: string | undefined): Prisma.DatasetVersionWhereInput {
  const search = parseVersionSearch(q);
  if (!search) return {};
  const or: Prisma.DatasetVersionWhereInput[] = [{ dataset: { name: contains(search.text) } }];
  if (search.versioned)
    or.push({
      version: search.versioned.version,
      ...(search.versioned.name ? { dataset: { name: contains(search.versioned.name) } } : {}),
    });
  return { OR: or };
}

const validRowsOf = (stats: unknown): number | null => {
  const parsed = stats ? statsSchema.pick({ validRows: true }).safeParse(stats) : null;
  return parsed?.success ? parsed.data.validRows : null;
};

export async function listDatasetVersionOptions(
  p: Principal,
  input: DatasetVersionOptionsQuery,
): Promise<{ versions: DatasetVersionOption[] }> {
  authorize(p, "team.read");
  const query = datasetVersionOptionsQuerySchema.parse(input);
  const rows = await db().datasetVersion.findMany({
    where: {
      teamId: p.teamId,
      ...(query.id ? { id: query.id } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...searchWhere(query.q),
    },
    select: {
      id: true,
      datasetId: true,
      version: true,
      status: true,
      format: true,
      provenance: true,
      stats: true,
      createdAt: true,
      dataset: { select: { name: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return {
    versions: rows.map((v) => ({
      id: v.id,
      datasetId: v.datasetId,
      datasetName: v.dataset.name,
      version: v.version,
      status: v.status,
      format: (v.format?.toLowerCase() as DatasetVersionOption["format"]) ?? null,
      provenance: (v.provenance?.toLowerCase() as DatasetVersionOption["provenance"]) ?? null,
      validRows: validRowsOf(v.stats),
      createdAt: v.createdAt.toISOString(),
    })),
  };
}
