import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const dbUrl = new URL("postgresql://postgres@127.0.0.1:5432/retune");
dbUrl.pathname = `/retune_prof_${run}`;
Object.assign(process.env, {
  DATABASE_URL: dbUrl.toString(),
  BULLMQ_PREFIX: `retune-prof-${run}`,
  ARTIFACT_DIR: mkdtempSync(path.join(tmpdir(), "prof-")),
  TRAINING_MAX_CONCURRENT_LOCAL: "100000",
  RETUNE_PYTHON: process.execPath,
  NODE_ENV: "production",
  RETUNE_ALLOW_DEV_SECRET: "1",
  APP_URL: "http://127.0.0.1",
});
execFileSync("npm", ["run", "--silent", "db:migrate"], { stdio: "ignore", env: process.env });
const { db } = await import("@/lib/server/db");
const { createApiKey } = await import("@/lib/server/api-keys");
const { createDataset, uploadVersion } = await import("@/lib/server/datasets");
const { validateDatasetVersion } = await import("@/lib/server/dataset-validation");
const { POST } = await import("@/app/api/v1/training-jobs/route");
const { toolJsonlText } = await import("./generate-tool-jsonl");
const { submitRun } = await import("@/workers/training/submit");
const { setExecutorForTests } = await import("@/workers/executors");
setExecutorForTests("LOCAL", {
  kind: "LOCAL",
  start: async (spec) => ({ externalId: `b-${spec.jobId}` }),
  status: async () => ({ phase: "PENDING" }),
  readLogs: async (_r, from) => ({ text: "", nextOffset: from }),
  cancel: async () => {},
});
const user = await db().user.create({
  data: { id: `p-${run}`, name: "p", email: `p-${run}@e.test` },
});
const team = await db().team.create({ data: { name: "p", slug: `p-${run}` } });
await db().member.create({ data: { teamId: team.id, userId: user.id, role: "OWNER" } });
const owner = {
  teamId: team.id,
  actor: { kind: "user" as const, role: "OWNER" as const },
  userId: user.id,
  apiKeyId: null,
  ip: null,
};
const { key } = await createApiKey(owner, { name: "p", scopes: ["read", "write"] });
const ds = await createDataset(owner, { name: "p" });
const text = toolJsonlText(60, 7);
const version = await uploadVersion(owner, ds.id, {
  body: new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(Buffer.from(text));
      c.close();
    },
  }),
  contentType: "application/x-ndjson",
  query: { format: "auto", evalFraction: 0.1 } as never,
});
await validateDatasetVersion(version.id);
const body = JSON.stringify({
  model: "m",
  datasetVersionId: version.id,
  baseModel: "retune/tiny-chat",
  method: "LORA",
  backend: "PEFT",
  executor: "LOCAL",
  hyperparameters: {
    loraR: 8,
    loraAlpha: 16,
    learningRate: 0.001,
    maxSteps: 10,
    microBatchSize: 4,
    gradientAccumulationSteps: 1,
    sequenceLen: 256,
  },
});
const launch = async () => {
  const res = await POST(
    new Request("http://127.0.0.1/api/v1/training-jobs", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    }),
    { params: Promise.resolve({}) },
  );
  return (await res.json()).id as string;
};
const ids: string[] = [];
{
  const { bus } = await import("@/lib/server/queues");
  const { authenticate } = await import("@/lib/server/principal");
  const { createTrainingJobBodySchema } = await import("@/lib/schemas/training-jobs");
  const t = async (k: string, n: number, f: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 50; i++) await f(-i - 1);
    const c0 = process.cpuUsage();
    for (let i = 0; i < n; i++) await f(i);
    const c = process.cpuUsage(c0);
    console.log(k, ((c.user + c.system) / 1000 / n).toFixed(3), "ms cpu");
  };
  await t("bus.add", 300, (i) =>
    bus().add("training", { trainingJobId: `x${i}-${run}`, attempt: 1 }, `tr-x${i}-${run}`),
  );
  const h = new Headers({ authorization: `Bearer ${key}` });
  await t("authenticate", 300, () => authenticate(h));
  await t("body parse", 300, async () => createTrainingJobBodySchema.parse(JSON.parse(body)));
  await t("new Request+json", 300, async () =>
    new Request("http://127.0.0.1/x", {
      method: "POST",
      headers: { authorization: "x", "content-type": "application/json" },
      body,
    }).json(),
  );
}
for (let i = 0; i < 50; i++) ids.push(await launch());
const N = Number(process.argv[2] ?? 300);
let c0 = process.cpuUsage();
let t0 = performance.now();
for (let i = 0; i < N; i++) ids.push(await launch());
let c = process.cpuUsage(c0);
console.log(
  `launch: ${((performance.now() - t0) / N).toFixed(2)} ms wall, ${((c.user + c.system) / 1000 / N).toFixed(2)} ms cpu`,
);
const log = () => {};
const { loadRun, claimSlot } = await import("@/lib/server/training-runs");
const { prepareRun } = await import("@/workers/training/prepare");
const { startClaimed } = await import("@/workers/training/submit");
const acc: Record<string, number> = {};
const lap = async <T>(k: string, f: () => Promise<T>) => {
  const c0 = process.cpuUsage();
  const r = await f();
  const c = process.cpuUsage(c0);
  acc[k] = (acc[k] ?? 0) + (c.user + c.system) / 1000;
  return r;
};
for (const id of ids.slice(50, 150)) {
  const run = await lap("loadRun", () => loadRun(id, 1));
  await lap("claim", () => claimSlot(id, 1, "LOCAL", 100000));
  const r2 = await lap("loadRun2", () => loadRun(id, 1));
  await lap("prepare", () => prepareRun(r2!));
}
for (const id of ids.slice(150, 250))
  await lap("startClaimed(after claim)", async () => {
    await claimSlot(id, 1, "LOCAL", 100000);
    return startClaimed(id, 1, log);
  });
const { createTrainingJobBodySchema } = await import("@/lib/schemas/training-jobs");
const { planBackend } = await import("@/lib/server/training-backends");
const { linkTrainingData } = await import("@/lib/server/training-data");
const { loadVersionById } = await import("@/lib/server/datasets");
const { mkdir, writeFile, rename } = await import("node:fs/promises");
for (const id of ids.slice(250, 350)) {
  const r = (await loadRun(id, 1))!;
  const spec = await lap("p.parse", async () => createTrainingJobBodySchema.parse(r.job.spec));
  await lap("p.mkdir", async () => {
    await mkdir(`${process.env.ARTIFACT_DIR}/x/${id}/a/1`, { recursive: true });
    await mkdir(`${process.env.ARTIFACT_DIR}/x/${id}/out`, { recursive: true });
  });
  const v = await lap("p.version", () => loadVersionById(r.job.datasetVersionId));
  await lap("p.link", () => linkTrainingData(`${process.env.ARTIFACT_DIR}/x/${id}`, v, null));
  const plan = await lap("p.plan", async () =>
    planBackend(spec, { jobId: id, attempt: 1, resume: false, totalSteps: 10, hasEvalRows: true }),
  );
  await lap("p.write", async () => {
    for (const [n, t] of Object.entries(plan.files)) {
      await writeFile(`${process.env.ARTIFACT_DIR}/x/${id}/.${n}.tmp`, t);
      await rename(
        `${process.env.ARTIFACT_DIR}/x/${id}/.${n}.tmp`,
        `${process.env.ARTIFACT_DIR}/x/${id}/${n}`,
      );
    }
  });
}
console.log(Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, (v / 100).toFixed(2)])));
for (const id of ids.slice(0, 50)) await submitRun(id, 1, log);
ids.splice(50, 0, ...[]);
c0 = process.cpuUsage();
t0 = performance.now();
for (const id of ids.slice(50)) await submitRun(id, 1, log);
c = process.cpuUsage(c0);
console.log(
  `submit: ${((performance.now() - t0) / N).toFixed(2)} ms wall, ${((c.user + c.system) / 1000 / N).toFixed(2)} ms cpu`,
);
process.exit(0);
