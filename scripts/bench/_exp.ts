import { randomBytes } from "node:crypto";
const run = randomBytes(3).toString("hex");
process.env.ARTIFACT_DIR = `/tmp/exp/art-${run}`;
process.env.BASE_MODEL_DIR = "/tmp/exp/base-models";
process.env.BULLMQ_PREFIX = `exp-${run}`;
const STEPS = Number(process.argv[2] ?? 60);
const MB = Number(process.argv[3] ?? 4);
const LR = Number(process.argv[4] ?? 3e-3);
const { db } = await import("@/lib/server/db");
const { readyVersion, tinyJob, startWorker, ensureTinyBase, workerOutput } = await import("@/test/training-helpers");
const { createEvalSuite } = await import("@/lib/server/eval-suites");
const { createModel } = await import("@/lib/server/models");
const { launchTrainingJob } = await import("@/lib/server/training-launch");
await ensureTinyBase();
const user = await db().user.create({ data: { id: `exp-${run}`, name: "exp", email: `exp-${run}@e.test` } });
const team = await db().team.create({ data: { name: "exp", slug: `exp-${run}` } });
await db().member.create({ data: { teamId: team.id, userId: user.id, role: "OWNER" } });
const p = { teamId: team.id, actor: { kind: "user" as const, role: "OWNER" as const }, userId: user.id, apiKeyId: null, ip: null };
const { learnableToolJsonlText } = await import("./generate-tool-jsonl");
const { createDataset, uploadVersion } = await import("@/lib/server/datasets");
const { validateDatasetVersion } = await import("@/lib/server/dataset-validation");
const d = await createDataset(p, { name: "learnable" });
const text = learnableToolJsonlText(200);
const up = await uploadVersion(p, d.id, { body: new ReadableStream<Uint8Array>({ start(c) { c.enqueue(Buffer.from(text)); c.close(); } }), contentType: "application/x-ndjson", query: { format: "auto", evalFraction: 0.15 } as never });
const st = await validateDatasetVersion(up.id);
if (st.status !== "READY") { console.log("not ready", JSON.stringify((await db().datasetVersion.findUniqueOrThrow({ where: { id: up.id } })).report).slice(0, 2000)); process.exit(1); }
const versionId = up.id;
const suite = await createEvalSuite(p, { name: "s", datasetVersionId: versionId, split: "eval", scorers: ["tool_call", "json_validity", "latency", "cost"] });
await createModel(p, { name: "m", evalSuiteId: suite.id, gatePolicy: { conditions: [{ metric: "tool_call_accuracy", op: ">=", threshold: 0.1 }], minCases: 5, requireApproval: true } });
const worker = startWorker({ WORKER_QUEUES: "outbox,training,evaluation", TRAINING_POLL_MS: "1000" });
const t0 = Date.now();
const job = await launchTrainingJob(p, tinyJob(versionId, { maxSteps: STEPS, microBatchSize: MB, learningRate: LR }, "m"));
for (;;) {
  await new Promise((r) => setTimeout(r, 3000));
  const j = await db().trainingJob.findUniqueOrThrow({ where: { id: job.id } });
  const runs = await db().evalRun.findMany({ where: { teamId: team.id } });
  if (j.status === "FAILED") { console.log("FAILED", j.error, workerOutput(worker).slice(-3000)); break; }
  if (runs.length && runs.every((r) => ["SUCCEEDED", "FAILED"].includes(r.status))) {
    console.log(`done in ${(Date.now() - t0) / 1000}s (training ${(j.finishedAt!.getTime() - j.createdAt.getTime()) / 1000}s)`);
    for (const r of runs) console.log(r.targetKind, r.status, r.caseCount, JSON.stringify(r.metrics), r.error?.slice(0, 300));
    const d = await db().gateDecision.findMany({ orderBy: { createdAt: "desc" }, where: { modelVersion: { teamId: team.id } } });
    console.log("gate", d.map((x) => x.status));
    break;
  }
  if (Date.now() - t0 > 600_000) { console.log("timeout", workerOutput(worker).slice(-3000)); break; }
}
worker.kill("SIGTERM");
process.exit(0);
