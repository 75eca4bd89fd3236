/**
 * Demo data: a demo user who owns "Demo team" (README lists the credentials) and, when
 * RETUNE_SEED_API_KEY is set, a team API key with exactly that value and every scope.
 * Idempotent: running it again changes nothing.
 */
import { auth } from "@/lib/server/core/auth";
import { db, disconnectDb } from "@/lib/server/core/db";
import { env } from "@/lib/server/core/env";
import {
  hashSecret,
  API_KEY_PREFIX,
  type Principal,
  systemPrincipal,
} from "@/lib/server/core/principal";
import { createModel } from "@/lib/server/registry/models";
import { createMonitor } from "@/lib/server/retraining/monitors";
import { ingestTelemetry } from "@/lib/server/telemetry/ingest";
import { ingestTraces } from "@/lib/server/telemetry/traces";
import { createDataset, uploadVersion } from "@/lib/server/datasets/datasets";
import { bus } from "@/lib/server/core/queues";
import { makeRow } from "@/test/fixtures/tool-call-rows";

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
  await seedDataset({
    teamId: team.id,
    actor: { kind: "user", role: "OWNER" },
    userId: user.id,
    apiKeyId: null,
    ip: null,
  });
  await seedProduction(systemPrincipal(team.id));
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

/**
 * A Model in production use: two weeks of telemetry posted through the same ingest as any
 * producer, whose tool-call errors rise over the last two days, a sample of traces, and a
 * monitor that alerts on it — so the monitor, trace and telemetry pages have something real.
 * (The Model has no trained version: the demo's first fine-tune is the visitor's to launch.)
 */
async function seedProduction(p: Principal) {
  if (await db().model.count({ where: { teamId: p.teamId } })) return;
  const model = await createModel(p, {
    name: "support-agent tool caller",
    description: "Routes support requests to the right tool call (demo).",
  });
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const tools = ["lookup_order", "refund_order", "update_address", "create_ticket"];
  const intents = ["order_status", "refund", "address_change", "complaint"];
  const now = Date.now();
  const events = Array.from({ length: 14 * 24 * 12 }, (_, i) => {
    const at = now - i * 5 * 60_000;
    // Errors climb from 3% to ~25% over the last two days, as a new tool appears.
    const recent = at > now - 2 * 86_400_000;
    const k = Math.floor(rand() * tools.length);
    const tool = recent && rand() < 0.2 ? "escalate_to_human" : tools[k]!;
    const bad = rand() < (recent ? 0.25 : 0.03);
    return {
      id: `demo-${i}`,
      timestamp: new Date(at).toISOString(),
      model: model.name,
      outcome: bad && rand() < 0.5 ? "failure" : "success",
      toolCallValid: !bad,
      escalated: bad && rand() < 0.4,
      latencyMs: Math.round(180 + rand() * 220 + (recent ? 80 : 0)),
      costUsd: 0.0006,
      tool,
      intent: intents[k],
    };
  });
  const post = (path: string, body: unknown) =>
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  await ingestTelemetry(p, post("/api/v1/telemetry", { events }));
  const rows = Array.from({ length: 60 }, (_, i) => JSON.parse(makeRow(rand, i)) as object);
  await ingestTraces(
    p,
    post("/api/v1/traces", {
      traces: rows.map((r, i) => ({
        id: `demo-trace-${i}`,
        timestamp: new Date(now - i * 17 * 60_000).toISOString(),
        model: model.name,
        ...r,
        outcome: i % 7 === 0 ? "failure" : "success",
        ...(i % 7 === 0 ? { correctedBy: "human" } : {}),
      })),
    }),
  );
  await createMonitor(p, {
    model: model.name,
    name: "Tool-call errors",
    metric: "tool_call_error_rate",
    window: "6h",
    threshold: 0.1,
    minSamples: 50,
    cooldown: "1d",
    action: "alert",
  });
}

await main();
await bus().close();
await disconnectDb();
