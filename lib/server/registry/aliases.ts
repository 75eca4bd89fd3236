/** Version aliases within a Model ("champion", "shadow"), moved in one transaction. */
import {
  type ModelVersionDetail,
  type SetAliasesBody,
  setAliasesBodySchema,
} from "@/lib/schemas/models";
import { actorOf, recordAudit } from "@/lib/server/core/audit";
import { authorize } from "@/lib/server/core/authorize";
import { db } from "@/lib/server/core/db";
import type { Principal } from "@/lib/server/core/principal";
import { loadVersion, getVersionDetail } from "./version-detail";

/**
 * Sets a version's aliases (MLflow-style: "champion", "shadow"). An alias names one version per
 * Model, so taking it moves it from whichever version held it, in one transaction.
 */
export async function setAliases(
  p: Principal,
  id: string,
  input: SetAliasesBody,
): Promise<ModelVersionDetail> {
  authorize(p, "resource.write");
  const { aliases } = setAliasesBodySchema.parse(input);
  const wanted = [...new Set(aliases)];
  const v = await loadVersion(p, id);
  await db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Model" WHERE id = ${v.modelId} FOR UPDATE`;
    const holders = await tx.modelVersion.findMany({
      where: { modelId: v.modelId, id: { not: v.id }, aliases: { hasSome: wanted } },
    });
    for (const h of holders)
      await tx.modelVersion.update({
        where: { id: h.id },
        data: { aliases: h.aliases.filter((a) => !wanted.includes(a)) },
      });
    await tx.modelVersion.update({ where: { id: v.id }, data: { aliases: wanted } });
    await recordAudit(
      {
        ...actorOf(p),
        action: "model-version.aliases",
        targetType: "model-version",
        targetId: v.id,
        metadata: { aliases: wanted.join(", "), before: v.aliases.join(", ") },
      },
      tx,
    );
  });
  return getVersionDetail(p, id);
}
