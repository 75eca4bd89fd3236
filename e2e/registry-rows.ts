import { randomUUID } from "node:crypto";
import pg from "pg";
import { serverEnv } from "./server-env";

/**
 * A version of a Model registered without a training job or a stored adapter — a state the
 * console shows ("registered without a training job") — written straight into this run's
 * database. Only a finished training run registers a version through the product, and a spec
 * that just needs a version page to visit should not spend CI minutes training one.
 */
export async function insertBareVersion(
  modelId: string,
  version: number,
  baseModel: string,
): Promise<string> {
  const client = new pg.Client({ connectionString: serverEnv.DATABASE_URL });
  await client.connect();
  try {
    const id = randomUUID();
    const inserted = await client.query(
      `INSERT INTO "ModelVersion" (id, "teamId", "modelId", version, "baseModel", aliases)
       SELECT $1, "teamId", id, $3, $4, '{}' FROM "Model" WHERE id = $2`,
      [id, modelId, version, baseModel],
    );
    if (inserted.rowCount !== 1) throw new Error(`no Model ${modelId} to add v${version} to`);
    return id;
  } finally {
    await client.end();
  }
}
