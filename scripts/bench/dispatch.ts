/**
 * npm run bench:dispatch [-- <launches>]
 * Prints, from one run on a fresh database and BullMQ prefix:
 *  - launch API latency p50/p99: POST /api/v1/training-jobs over real HTTP (the route handler
 *    behind a node:http server; Next's own routing is not in the figure), 50 concurrent clients;
 *  - launch → executor start p50/p99: from the launch response to the executor's start() call in
 *    a real worker runtime in its own process (BullMQ → training processor → claim → job folder),
 *    with an instrumented LOCAL executor that records the call instead of starting a trainer;
 *  - the baseline: raw BullMQ add (here) → processor start (in that worker process), same Redis,
 *    same worker concurrency.
 * Each paced phase runs twice: on an otherwise idle host, and beside a real trainer — trainers/
 * sft.py training retune/tiny-chat, launched through the same API and worker and started by the
 * real LOCAL executor (niced, thread-capped: lib/server/training/trainer-process.ts), CPU-bound
 * for the whole phase. Then a saturation phase with no pauses (no trainer; no target).
 * Targets (issues #4, #14): API p99 ≤ 100 ms; dispatch p99 within 50 ms of raw BullMQ — in both
 * paced phases. Needs the trainers venv (scripts/ensure-trainers.sh); the tiny base is built into
 * BASE_MODEL_DIR (default data/base-models, shared with the tests) if it is not there.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { Agent, createServer, request, type IncomingMessage } from "node:http";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import pg from "pg";

const LAUNCHES = Number(process.argv[2] ?? 400);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
/** Each client's pause between launches, like a k6 virtual user's sleep. */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 8);

const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune";
const dbUrl = new URL(baseUrl);
dbUrl.pathname = `/retune_bench_${run}`;
const artifactDir = mkdtempSync(path.join(tmpdir(), "retune-bench-dispatch-"));
Object.assign(process.env, {
  DATABASE_URL: dbUrl.toString(),
  BULLMQ_PREFIX: `retune-bench-${run}`,
  ARTIFACT_DIR: artifactDir,
  TRAINING_MAX_CONCURRENT_LOCAL: "100000",
  // The phase beside a trainer runs the real one; the tiny base is built once and shared.
  RETUNE_PYTHON: path.resolve(process.env.RETUNE_PYTHON ?? "trainers/.venv/bin/python"),
  BASE_MODEL_DIR: path.resolve(process.env.BASE_MODEL_DIR ?? "data/base-models"),
  APP_URL: "http://127.0.0.1",
  NODE_ENV: "production",
  RETUNE_ALLOW_DEV_SECRET: "1",
});
if (!existsSync(process.env.RETUNE_PYTHON!))
  throw new Error(
    `no trainer Python at ${process.env.RETUNE_PYTHON}: run scripts/ensure-trainers.sh`,
  );
execFileSync("npm", ["run", "--silent", "db:migrate"], { stdio: "ignore", env: process.env });

const { db, disconnectDb } = await import("@/lib/server/core/db");
const { createApiKey } = await import("@/lib/server/teams/api-keys");
const { createDataset, uploadVersion } = await import("@/lib/server/datasets/datasets");
const { validateDatasetVersion } = await import("@/lib/server/datasets/validation");
const { POST } = await import("@/app/api/v1/training-jobs/route");
const { mulberry32 } = await import("@/lib/domain/prng");
const { toolJsonlText } = await import("@/test/fixtures/tool-call-rows");
const { Queue } = await import("bullmq");
const { Redis } = await import("ioredis");
const { flushDispatchMarks } = await import("@/lib/server/core/outbox");
const { parseTrainerLine } = await import("@/lib/domain/trainer-log");
const { ensureTinyBase } = await import("@/test/training-helpers");
await ensureTinyBase();

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const fmt = (xs: number[]) =>
  `p50 ${pct(xs, 0.5).toFixed(1).padStart(6)} ms   p99 ${pct(xs, 0.99).toFixed(1).padStart(6)} ms   (n=${xs.length})`;

// ── fixtures: a team, an API key with write scope, a READY 60-row dataset ──
const user = await db().user.create({
  data: { id: `bench-${run}`, name: "bench", email: `bench-${run}@example.test` },
});
const team = await db().team.create({ data: { name: "bench", slug: `bench-${run}` } });
await db().member.create({ data: { teamId: team.id, userId: user.id, role: "OWNER" } });
const owner = {
  teamId: team.id,
  actor: { kind: "user" as const, role: "OWNER" as const },
  userId: user.id,
  apiKeyId: null,
  ip: null,
};
const { key } = await createApiKey(owner, { name: "bench", scopes: ["read", "write"] });
const ds = await createDataset(owner, { name: "bench" });
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

// ── the worker runtime, in its own process ──
const started = new Map<string, number>();
const rawLatency: number[] = [];
const workerCpu: number[] = [];
let onEvent: (() => void) | null = null;
type TrainerRun = { jobId: string; pid: number; jobDir: string; attempt: number };
let trainerRun: TrainerRun | null = null;
let trainerStopped = false;
let armed = false;
const worker = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    "--import",
    "tsx",
    "scripts/bench/dispatch-worker.ts",
  ],
  {
    env: process.env,
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const ready = new Promise<void>((resolve) => {
  createInterface({ input: worker.stdout! }).on("line", (line) => {
    const ev = JSON.parse(line) as { kind: string; jobId?: string; t: number; sent?: number };
    if (ev.kind === "ready") resolve();
    if (ev.kind === "start") started.set(ev.jobId!, ev.t);
    if (ev.kind === "raw") rawLatency.push(ev.t - ev.sent!);
    if (ev.kind === "cpu") workerCpu.push((ev as unknown as { ms: number }).ms);
    if (ev.kind === "trainer") trainerRun = ev as unknown as TrainerRun;
    if (ev.kind === "armed") armed = true;
    if (ev.kind === "trainer-stopped") trainerStopped = true;
    onEvent?.();
  });
});
await ready;
const wall = () => performance.timeOrigin + performance.now();

// ── the launch route over real HTTP ──
async function toRequest(req: IncomingMessage, port: number): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new Request(`http://127.0.0.1:${port}${req.url}`, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
}
const server = createServer(async (req, res) => {
  const response = await POST(await toRequest(req, port), { params: Promise.resolve({}) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as { port: number }).port;

const body = JSON.stringify({
  model: "bench model",
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

// The load generator shares the machine with what it measures, so it is kept light: node:http
// on keep-alive sockets costs a fraction of fetch's CPU per request.
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
function post(pathname: string, payload: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path: pathname,
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const rand = mulberry32(20261127);
/** A client's pause between requests: thinkMs ± 50%, so 50 clients do not march in step. */
const pause = (thinkMs: number) =>
  thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * (0.5 + rand()))) : Promise.resolve();

/** BENCH_DEBUG=1: the slowest launches of each phase with when they happened, to find stalls. */
const slow: [number, number][] = [];
async function launchAll(n: number, thinkMs: number) {
  const api: number[] = [];
  const responded = new Map<string, number>();
  let next = 0;
  const began = wall();
  const client = async () => {
    await pause(thinkMs); // clients arrive spread over the first pause, not all at t=0
    while (next < n) {
      next++;
      const t0 = wall();
      const res = await post("/api/v1/training-jobs", body);
      const t1 = wall();
      const json = JSON.parse(res.body) as { id?: string; error?: unknown };
      if (res.status !== 201 || !json.id) throw new Error(`launch: ${res.status} ${res.body}`);
      api.push(t1 - t0);
      if (process.env.BENCH_DEBUG) slow.push([t0 - began, t1 - t0]);
      responded.set(json.id, t1);
      await pause(thinkMs);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  await new Promise<void>((resolve, reject) => {
    const check = () => [...responded.keys()].every((id) => started.has(id));
    if (check()) return resolve();
    const timer = setTimeout(
      () => reject(new Error("not every launch reached the executor")),
      60_000,
    );
    onEvent = () => {
      if (check()) {
        clearTimeout(timer);
        onEvent = null;
        resolve();
      }
    };
  });
  const dispatch = [...responded].map(([id, t1]) => started.get(id)! - t1);
  if (process.env.BENCH_DEBUG) {
    const top = [...slow].sort((a, b) => b[1] - a[1]).slice(0, 10);
    console.error(
      "slowest api (at ms, latency):",
      top.map(([a, l]) => `${a.toFixed(0)}:${l.toFixed(0)}`).join(" "),
    );
    const d = [...responded]
      .map(([id, t1]) => [t1 - began, started.get(id)! - t1] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10);
    console.error(
      "slowest dispatch (at ms, latency):",
      d.map(([a, l]) => `${a.toFixed(0)}:${l.toFixed(0)}`).join(" "),
    );
    slow.length = 0;
  }
  return { api, dispatch, seconds: (wall() - began) / 1000 };
}

// ── raw BullMQ: add here → processor start in the worker process, 50 producers ──
async function rawBullmq(n: number, thinkMs: number) {
  const connection = {
    url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    maxRetriesPerRequest: null,
  };
  const queue = new Queue("raw", { connection, prefix: `${process.env.BULLMQ_PREFIX}-raw` });
  rawLatency.length = 0;
  let next = 0;
  const producer = async () => {
    await pause(thinkMs);
    while (next < n) {
      next++;
      await queue.add("raw", { t: wall() }, { removeOnComplete: true });
      await pause(thinkMs);
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, producer));
  await new Promise<void>((resolve) => {
    if (rawLatency.length >= n) return resolve();
    onEvent = () => {
      if (rawLatency.length >= n) {
        onEvent = null;
        resolve();
      }
    };
  });
  await queue.close(); // removeOnComplete leaves nothing; the prefix is dropped at the end
  return [...rawLatency];
}

async function workerCpuMs(): Promise<number> {
  const n = workerCpu.length;
  worker.kill("SIGUSR2");
  while (workerCpu.length === n) await new Promise((r) => setTimeout(r, 5));
  return workerCpu.at(-1)!;
}

// ── a real trainer beside the API: launched like any job, started by the real LOCAL executor ──
const trainerBody = JSON.stringify({
  ...(JSON.parse(body) as Record<string, unknown>),
  model: "bench trainer",
  // Far more steps than a phase lasts (the bench says so if it ends early); logged every 30.
  hyperparameters: {
    ...(JSON.parse(body) as { hyperparameters: object }).hyperparameters,
    maxSteps: 3000,
  },
});
const CLK_TCK = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** /proc/<pid>/stat from the state on (so index 0 is field 3); null once the process is gone. */
async function procFields(pid: number): Promise<string[] | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (!stat) return null;
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return f[0] === "Z" ? null : f;
}
/** CPU seconds a process has used (utime + stime). */
const cpuSeconds = async (pid: number) => {
  const f = await procFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / CLK_TCK : null;
};

/** The run's Python: the member of the wrapper's session (the wrapper's pid) running sft.py. */
async function sftProcess(session: number): Promise<number | null> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const f = await procFields(Number(entry));
    if (!f || f[3] !== String(session)) continue;
    // `<python> …/sft.py --spec …`; the wrapper shell (the session leader) names it further on.
    const argv = (await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (argv[1]?.endsWith("sft.py")) return Number(entry);
  }
  return null;
}

async function waitUntil<T>(what: string, check: () => Promise<T | null> | T | null, ms: number) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== null && v !== false) return v as T;
    if (Date.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Trainer = { pid: number; nice: number; omp: string; torchThreads: number | null };

/** Launches the trainer job and returns once sft.py is in its training loop (a step logged). */
async function startTrainer(): Promise<Trainer> {
  worker.stdin!.write("arm-trainer\n");
  await waitUntil("the worker to arm its real executor", () => armed, 10_000);
  const res = await post("/api/v1/training-jobs", trainerBody);
  if (res.status !== 201) throw new Error(`trainer launch: ${res.status} ${res.body}`);
  const run = await waitUntil("the trainer to start", () => trainerRun, 60_000);
  const pid = await waitUntil("sft.py", () => sftProcess(run.pid), 60_000);
  const log = path.join(run.jobDir, `attempt-${run.attempt}`, "trainer.log");
  let torchThreads: number | null = null;
  await waitUntil(
    "the trainer's first logged step",
    async () => {
      const text = await readFile(log, "utf8").catch(() => "");
      let stepped = false;
      for (const line of text.split("\n")) {
        const parsed = parseTrainerLine(line);
        if (parsed?.kind === "event" && parsed.event.event === "train_begin")
          torchThreads = parsed.event.cpu_threads ?? null;
        if (parsed?.kind === "metrics") stepped = true;
      }
      if (!stepped && !(await procFields(pid)))
        throw new Error(`bench: the trainer ended before its first step:\n${text.slice(-2_000)}`);
      return stepped;
    },
    300_000,
  );
  const environ = await readFile(`/proc/${pid}/environ`, "utf8");
  const omp = /(?:^|\0)OMP_NUM_THREADS=([^\0]*)/.exec(environ)?.[1] ?? "unset";
  return { pid, nice: Number((await procFields(pid))![16]), omp, torchThreads };
}

async function stopTrainer() {
  worker.stdin!.write("stop-trainer\n");
  await waitUntil("the trainer to stop", () => trainerStopped, 30_000);
}

type Phase = {
  raw: number[];
  paced: Awaited<ReturnType<typeof launchAll>>;
  /** CPU ms per launch: this process (server and clients), and the worker. */
  cpu: { api: number; worker: number };
};

/** One paced phase: raw BullMQ, then launches, with the same clients and pacing. */
async function pacedPhase(): Promise<Phase> {
  const raw = await rawBullmq(LAUNCHES, THINK_MS);
  const cpu0 = process.cpuUsage();
  const worker0 = await workerCpuMs();
  const paced = await launchAll(LAUNCHES, THINK_MS);
  const { user, system } = process.cpuUsage(cpu0);
  const worker = (await workerCpuMs()) - worker0;
  return { raw, paced, cpu: { api: (user + system) / 1000 / LAUNCHES, worker: worker / LAUNCHES } };
}

function report(title: string, { raw, paced, cpu }: Phase) {
  console.log(`\n  ${title} (${(LAUNCHES / paced.seconds).toFixed(0)} launches/s):`);
  console.log(
    `  launch API (POST /api/v1/training-jobs)       ${fmt(paced.api)}   target p99 ≤ 100 ms`,
  );
  console.log(`  launch response → executor start()          ${fmt(paced.dispatch)}`);
  console.log(
    `  baseline: raw BullMQ add → processor start    ${fmt(raw)}   (same clients, pacing and host load)`,
  );
  const gap = pct(paced.dispatch, 0.99) - pct(raw, 0.99);
  console.log(
    `  dispatch p99 − raw p99 = ${gap.toFixed(1)} ms (target ≤ 50 ms): ${gap <= 50 ? "met" : "NOT met"}; API p99 ${pct(paced.api, 0.99) <= 100 ? "met" : "NOT met"}`,
  );
  console.log(
    `  CPU per launch: API process (server and clients) ${cpu.api.toFixed(2)} ms, worker ${cpu.worker.toFixed(2)} ms`,
  );
}

try {
  // The Model exists before the clients start, as in steady state: 50 first launches racing to
  // create it measure the retry path, not dispatch.
  await post("/api/v1/training-jobs", body);
  await launchAll(50, 0); // warm-up: JIT, connection pools, the dataset split cache
  await rawBullmq(200, 0);
  const idle = await pacedPhase();

  const trainer = await startTrainer();
  const trainerCpu0 = (await cpuSeconds(trainer.pid))!;
  const t0 = wall();
  const busy = await pacedPhase();
  const trainerCpu1 = await cpuSeconds(trainer.pid);
  const trainerCores =
    trainerCpu1 === null ? null : (trainerCpu1 - trainerCpu0) / ((wall() - t0) / 1000);
  await stopTrainer();

  const saturated = await launchAll(LAUNCHES, 0);
  console.log(
    `bench:dispatch — ${LAUNCHES} launches per phase; ${CLIENTS} concurrent clients; worker concurrency ${CONCURRENCY}; ${os.availableParallelism()} CPU cores`,
  );
  console.log(`\n  paced: ${CLIENTS} clients, each pausing ${THINK_MS} ms ± 50% between requests`);
  report("idle host", idle);
  report(
    `beside a real trainer — sft.py on retune/tiny-chat, pid ${trainer.pid}, nice ${trainer.nice}, OMP_NUM_THREADS=${trainer.omp}, torch threads ${trainer.torchThreads ?? "?"}`,
    busy,
  );
  console.log(
    trainerCores === null
      ? "  WARNING: the trainer ended during the phase; its figures are not beside a trainer"
      : `  the trainer used ${trainerCores.toFixed(2)} cores during the phase`,
  );
  console.log(
    `\n  saturation — ${CLIENTS} clients, no pause, no trainer (the machine's ceiling; no target): ${(LAUNCHES / saturated.seconds).toFixed(0)} launches/s`,
  );
  console.log(`  launch API                                    ${fmt(saturated.api)}`);
  console.log(`  launch response → executor start()          ${fmt(saturated.dispatch)}`);
} finally {
  agent.destroy();
  server.close();
  worker.kill("SIGTERM"); // it cancels the trainer if one is still running

  await new Promise((r) => worker.once("exit", r));
  await flushDispatchMarks();
  await disconnectDb();
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  for (const prefix of [`${process.env.BULLMQ_PREFIX}:*`, `${process.env.BULLMQ_PREFIX}-raw:*`]) {
    for await (const keys of redis.scanStream({ match: prefix, count: 1_000 }))
      if ((keys as string[]).length) await redis.del(...(keys as string[]));
  }
  await redis.quit();
  const admin = new URL(baseUrl);
  admin.pathname = "/postgres";
  const c = new pg.Client({ connectionString: admin.toString() });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "retune_bench_${run}" WITH (FORCE)`);
  await c.end();
  rmSync(artifactDir, { recursive: true, force: true });
}
process.exit(0);
