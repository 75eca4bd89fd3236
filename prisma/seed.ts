/**
 * Demo data: a demo user who owns "Demo team" (README lists the credentials) and, when
 * RETUNE_SEED_API_KEY is set, a team API key with exactly that value and every scope.
 * Idempotent: running it again changes nothing.
 */
import { auth } from "@/lib/server/auth";
import { db, disconnectDb } from "@/lib/server/db";
import { env } from "@/lib/server/env";
import { hashSecret, API_KEY_PREFIX } from "@/lib/server/principal";

export const DEMO = {
  email: "demo@retune.dev",
  password: "retune-demo",
  name: "Demo Engineer",
  team: "Demo team",
};

async function main() {
  let user = await db().user.findUnique({ where: { email: DEMO.email } });
  if (!user) {
    await auth().api.signUpEmail({
      body: { email: DEMO.email, password: DEMO.password, name: DEMO.name },
    });
    user = await db().user.findUniqueOrThrow({ where: { email: DEMO.email } });
  }
  let team = await db().team.findUnique({ where: { slug: "demo" } });
  team ??= await db().team.create({ data: { name: DEMO.team, slug: "demo" } });
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
  console.log(`seed: ${DEMO.email} owns "${team.name}"${key ? " (+ seed API key)" : ""}`);
}

await main();
await disconnectDb();
