/**
 * Demo data: a demo user who owns "Demo team" (README lists the credentials) and, when
 * RETUNE_SEED_API_KEY is set, a team API key with exactly that value and every scope, and a
 * dataset with two real defects for the validation report. The rest of the demo — a Model
 * trained, evaluated, gated and in production, its telemetry, a drift retrain and a candidate
 * awaiting approval — is produced by the pipeline itself: prisma/demo-story.ts drives it.
 * Idempotent: running it again changes nothing.
 */
import { auth } from "@/lib/server/core/auth";
import { db, disconnectDb } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import { hashSecret, API_KEY_PREFIX, type Principal } from "@/lib/server/core/principal";
import { createDataset, uploadVersion } from "@/lib/server/datasets/datasets";
import { bus } from "@/lib/server/core/queues";
import { makeRow } from "@/test/fixtures/tool-call-rows";
import { DEMO } from "./demo";

async function main() {
  let user = await db().user.findUnique({ where: { email: DEMO.email } });
  if (!user) {
    await auth().api.signUpEmail({
      body: { email: DEMO.email, password: DEMO.password, name: DEMO.name },
    });
    user = await db().user.findUniqueOrThrow({ where: { email: DEMO.email } });
  }
  let team = await db().team.findUnique({ where: { slug: DEMO.slug } });
  team ??= await db().team.create({ data: { name: DEMO.team, slug: DEMO.slug } });
  await db().member.upsert({
    where: { teamId_userId: { teamId: team.id, userId: user.id } },
    create: { teamId: team.id, userId: user.id, role: "OWNER" },
    update: {},
  });

  const key = env().RETUNE_SEED_API_KEY;
  if (key) {
    if (!key.startsWith(API_KEY_PREFIX) || key.length < 24) {
      throw new Error(
        `RETUNE_SEED_API_KEY must start with "${API_KEY_PREFIX}" and be at least 24 characters`,
      );
    }
    await db().apiKey.upsert({
      where: { hash: hashSecret(key) },
      create: {
        teamId: team.id,
        name: "seed key",
        prefix: key.slice(0, 10),
        hash: hashSecret(key),
        scopes: ["READ", "WRITE", "TELEMETRY"],
        createdById: user.id,
      },
      update: { revokedAt: null, teamId: team.id, scopes: ["READ", "WRITE", "TELEMETRY"] },
    });
  }
  await seedDataset({
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: user.id,
    apiKeyId: null,
    ip: null,
  });
  console.log(`seed: ${DEMO.email} owns "${team.name}"${key ? " (+ seed API key)" : ""}`);
}

/**
 * A demo dataset of production-like tool-calling traces with two real defects (a truncated line
 * and double-encoded arguments), uploaded through the same path as any upload; the worker
 * validates it when the demo starts.
 */
async function seedDataset(p: Principal) {
  if (await db().dataset.count({ where: { teamId: p.teamId } })) return;
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows = Array.from({ length: 400 }, (_, i) => makeRow(rand, i));
  rows[41] = rows[41]!.slice(0, 120); // an interrupted write: invalid JSON on line 42
  rows[137] = rows[137]!.replace(
    /"arguments":"((?:[^"\\]|\\.)*)"/,
    (_m, a: string) => `"arguments":${JSON.stringify(JSON.stringify(a))}`,
  );
  const d = await createDataset(p, {
    name: "support-agent tool calls",
    description: "Production traces of the support agent's tool calls (demo data).",
  });
  const body = new Blob([rows.join("\n") + "\n"]).stream();
  await uploadVersion(p, d.id, {
    body,
    contentType: "application/x-ndjson",
    query: {
      format: "auto",
      evalFraction: 0.1,
      provenance: "production_traces",
      baseModel: "meta-llama/Llama-3.1-8B-Instruct",
    },
  });
}

await main();
await bus().close();
await disconnectDb();
