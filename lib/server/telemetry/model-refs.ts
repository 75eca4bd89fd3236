/**
 * Batch endpoints name Models by name or id (`model` in telemetry and traces). One query
 * resolves every distinct reference of a batch, in the caller's team only: another team's
 * Model is indistinguishable from one that does not exist.
 */
import { sql } from "@/lib/server/core/db";

export type ModelRef = { id: string; name: string };

/**
 * Short-lived cache: the same producer posts for the same few Models thousands of times a
 * minute. A renamed Model keeps resolving by its old name for up to TTL_MS.
 */
const TTL_MS = 5_000;
const cache = new Map<string, { at: number; model: ModelRef }>();

export async function resolveModelRefs(
  teamId: string,
  refs: Iterable<string>,
): Promise<Map<string, ModelRef>> {
  const out = new Map<string, ModelRef>();
  const missing: string[] = [];
  const now = Date.now();
  for (const ref of new Set(refs)) {
    const hit = cache.get(`${teamId}\u0000${ref}`);
    if (hit && now - hit.at < TTL_MS) out.set(ref, hit.model);
    else missing.push(ref);
  }
  if (missing.length) {
    const { rows } = await sql().query<ModelRef>(
      `SELECT id, name FROM "Model" WHERE "teamId" = $1 AND (id = ANY($2) OR name = ANY($2))`,
      [teamId, missing],
    );
    for (const ref of missing) {
      const model = rows.find((r) => r.id === ref) ?? rows.find((r) => r.name === ref);
      if (!model) continue;
      out.set(ref, model);
      if (cache.size > 10_000) cache.clear();
      cache.set(`${teamId}\u0000${ref}`, { at: now, model });
    }
  }
  return out;
}
