/**
 * The model-version picker's options (GET /api/v1/model-versions): the team's versions, newest
 * first, narrowed by part of the Model's name and optionally a version number or stage, so a
 * person picks "support agent · v3 · Production" instead of pasting an id.
 */
import {
  modelVersionOptionsQuerySchema,
  type ModelVersionOption,
  type ModelVersionOptionsQuery,
} from "@/lib/schemas/version-options";
import { parseVersionSearch } from "@/lib/domain/version-search";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Prisma } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { containsText } from "@/lib/server/core/search";

// Wildcards in what people type are literal: "50%" must not match "500" (core/search.ts).
const contains = containsText;

/** The search as a where clause: the text within the name, or "name vN" as that name's vN. */
function searchWhere(q: string | undefined): Prisma.ModelVersionWhereInput {
  const search = parseVersionSearch(q);
  if (!search) return {};
  const or: Prisma.ModelVersionWhereInput[] = [
    { model: { name: contains(search.text) } },
    { aliases: { has: search.text } },
  ];
  if (search.versioned)
    or.push({
      version: search.versioned.version,
      ...(search.versioned.name ? { model: { name: contains(search.versioned.name) } } : {}),
    });
  return { OR: or };
}

export async function listModelVersionOptions(
  p: Principal,
  input: ModelVersionOptionsQuery,
): Promise<{ versions: ModelVersionOption[] }> {
  authorize(p, "team.read");
  const query = modelVersionOptionsQuerySchema.parse(input);
  const rows = await db().modelVersion.findMany({
    where: {
      teamId: p.teamId,
      ...(query.id ? { id: query.id } : {}),
      ...(query.stage ? { stage: query.stage } : {}),
      ...searchWhere(query.q),
    },
    include: { model: { select: { name: true } } },
    // Newest first; the id (uuid v7, time-ordered) breaks ties between versions made together.
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit,
  });
  return {
    versions: rows.map((v) => ({
      id: v.id,
      modelId: v.modelId,
      modelName: v.model.name,
      version: v.version,
      stage: v.stage,
      aliases: v.aliases,
      baseModel: v.baseModel,
      createdAt: v.createdAt.toISOString(),
    })),
  };
}
