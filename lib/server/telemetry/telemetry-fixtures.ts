/**
 * Shared setup of the telemetry integration tests (ingest and summary .int.test.ts): a team with
 * a Model and a telemetry key, and POST /api/v1/telemetry through its route handler. Not a test
 * file.
 */
import { createTeamWith, keyFor, signUp } from "@/test/principals";
import { db } from "@/lib/server/core/db";
import { teamRoute } from "@/lib/server/core/http";
import { telemetryBatchResponse } from "./ingest";

// The route as app/api/v1/telemetry declares it (lib/server may not import app/).
const POST = teamRoute("telemetry.write", telemetryBatchResponse);

export const ctx = { params: Promise.resolve({}) };
export const NOW = Date.now();
export const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

/** A team with a Model ("tool caller", versions 1 and 2) and a key with the telemetry scope. */
export async function fixture(label = "tel") {
  const owner = await signUp(label);
  const team = await createTeamWith({ OWNER: owner });
  const model = await db().model.create({ data: { teamId: team.id, name: "tool caller" } });
  for (const version of [1, 2]) {
    await db().modelVersion.create({
      data: { teamId: team.id, modelId: model.id, version, baseModel: "retune/tiny-chat" },
    });
  }
  const { key } = await keyFor(team.id, owner.id, ["telemetry", "read"]);
  return { owner, team, model, key };
}

export function post(key: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  return POST(
    new Request("http://localhost:3999/api/v1/telemetry", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      body: body as BodyInit,
    }),
    ctx,
  );
}
export const postEvents = (key: string, events: unknown[]) => post(key, JSON.stringify({ events }));
