/**
 * npm run bench:telemetry [-- <batches>]
 * Prints, from one run on a throwaway database (retune_bench_<run>):
 *  - sustained events/s through POST /api/v1/telemetry over real HTTP (the route handler behind
 *    a node:http server in its own process; Next's routing is not in the figure), 4 concurrent
 *    keep-alive clients posting JSON batches of 1,000 events, and that process's peak RSS;
 *  - OTLP ingest events/s through POST /api/v1/otlp/v1/traces in the same run and server, the
 *    same number of events: each batch is 1,000 GenAI model-call spans (80% followed by an
 *    execute_tool span, as an agent exports them) made with the OpenTelemetry SDK and encoded
 *    by the OTLP exporter's own protobuf serializer before the clock starts;
 *  - the baseline: the same events as raw multi-row INSERT … VALUES straight into
 *    "TelemetryEvent" through pg, 4 concurrent connections, batches of 1,000, into empty tables;
 *  Both go into the partitioned store as deployed: the worker's maintenance (retention.ts) has
 *    made the day partitions first, so rows are routed to today's partition, not the DEFAULT.
 *  - a monitor-style check over 10 million stored events (BENCH_CHECK_EVENTS to change it): the
 *    events spread over 7 days and their rollups built by the ingest's own GROUP BY, then
 *    readTotals + readDim('latency') + rateMetric over the 7 days, and a tool PSI read
 *    (readDim('tool') over the 7 days against the prior 7);
 *  - a Model's live economics panel (GET /api/v1/models/{id}/economics: getModelEconomics, its
 *    rollups by UTC day over everything held, training jobs, eval runs, retrain policy) over the
 *    same stored events, its median printed next to the monitor check's;
 *  - the same check at the largest volume, 100 million events over 7 days (BENCH_ROLLUP_EVENTS):
 *    monitors read only the rollups, so that phase seeds the rollups 100M events would leave
 *    (every minute holding every tool, intent and latency bucket) instead of inserting 100M
 *    events, which would take this 2-core machine most of an hour;
 *  - retention: one team's rows deleted out of a shared day partition (what a team that keeps
 *    less than the others costs) against dropping that partition whole.
 * Targets (issue #14, raised from #6): API ≥ 75% of the raw insert rate and ≥ 100,000 events/s
 * on 2 cores; the monitor check's median < 250 ms at the largest volume; the economics panel's
 * median < 300 ms over the 10M events (issue #17).
 * The API and raw phases alternate for BENCH_ROUNDS rounds (default 3); the verdict uses the
 * median of each round's API/raw ratio, so load from other work on a shared machine falls on
 * both sides of each ratio. CPU per batch (the API process, the PostgreSQL backends, the bench
 * client) is printed too: on a shared machine it is steadier than events/s.
 * BENCH_PROF=<dir> writes a CPU profile of the API process.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage } from "node:http";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import pg from "pg";

const BATCH = 1_000;
const CLIENTS = 4;
const DAY_MS = 86_400_000;

if (process.env.BENCH_TELEMETRY_ROLE === "server") await serve();
else await main();

/** The API process: the telemetry route behind node:http; reports its peak RSS on SIGUSR2. */
async function serve() {
  const { POST } = await import("@/app/api/v1/telemetry/route");
  const { POST: OTLP } = await import("@/app/api/v1/otlp/v1/traces/route");
  // As Next.js hands a route its request (NextRequestAdapter.fromNodeNextRequest): the node
  // request itself is the body, streamed (duplex: "half"), not read up front.
  function toRequest(req: IncomingMessage, port: number): Request {
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : req;
    return new Request(`http://127.0.0.1:${port}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: body as unknown as BodyInit,
      duplex: "half",
    } as RequestInit);
  }
  const server = createServer(async (req, res) => {
    const route = req.url?.startsWith("/api/v1/otlp/") ? OTLP : POST;
    const response = await route(toRequest(req, port), { params: Promise.resolve({}) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const say = (o: object) => process.stdout.write(JSON.stringify(o) + "\n");
  process.on("SIGUSR2", () => {
    const u = process.resourceUsage();
    say({
      kind: "usage",
      maxRssKb: u.maxRSS,
      cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000,
      sysMs: u.systemCPUTime / 1000,
    });
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
  say({ kind: "ready", port });
}

async function main() {
  const BATCHES = Number(process.argv[2] ?? 200);
  const CHECK_EVENTS = Number(process.env.BENCH_CHECK_EVENTS ?? 10_000_000);
  const ROLLUP_EVENTS = Number(process.env.BENCH_ROLLUP_EVENTS ?? 100_000_000);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

  const run = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
  const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/retune";
  const dbUrl = new URL(baseUrl);
  dbUrl.pathname = `/retune_bench_${run}`;
  Object.assign(process.env, {
    DATABASE_URL: dbUrl.toString(),
    APP_URL: "http://127.0.0.1",
    NODE_ENV: "production",
    RETUNE_ALLOW_DEV_SECRET: "1",
  });
  execFileSync("npm", ["run", "--silent", "db:migrate"], { stdio: "ignore", env: process.env });

  const { db, sql, disconnectDb } = await import("@/lib/server/core/db");
  const { createApiKey } = await import("@/lib/server/teams/api-keys");
  const { upsertRollupSql, upsertDimRollupSql } = await import("@/lib/server/telemetry/ingest");
  const { readTotals, readDim, latencyBuckets } = await import("@/lib/server/telemetry/rollups");
  const { rateMetric } = await import("@/lib/domain/telemetry-metrics");
  const { getModelEconomics } = await import("@/lib/server/retraining/model-economics");
  const { latencyBucket } = await import("@/lib/domain/latency-histogram");
  const { maintainTelemetry, deleteTeamRows } = await import("@/lib/server/telemetry/retention");
  const { createDayPartition, dropDayPartition, listDayPartitions, partitionName } =
    await import("@/lib/server/telemetry/partitions");
  const { psi } = await import("@/lib/domain/drift");
  const { mulberry32 } = await import("@/lib/domain/prng");

  const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  /**
   * CPU time (ms) of each PostgreSQL backend serving the bench database, from /proc: on a
   * machine shared with other work, CPU per batch is steadier than events/s. Empty off Linux.
   */
  async function postgresCpu(): Promise<Map<number, number>> {
    const { rows } = await sql().query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
    );
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
        out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // USER_HZ = 100
      } catch {
        // not Linux, or the backend just exited
      }
    }
    return out;
  }
  const postgresCpuSince = (before: Map<number, number>, after: Map<number, number>) =>
    [...after].reduce((sum, [pid, t]) => sum + t - (before.get(pid) ?? 0), 0);

  let server: ReturnType<typeof spawn> | null = null;
  type Usage = { maxRssKb: number; cpuMs: number; sysMs: number };
  let onUsage: ((u: Usage) => void) | null = null;
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const raw: pg.Client[] = [];
  try {
    // ── fixtures: a team, a Model with version 1, a key with the telemetry scope ──
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
    const model = await db().model.create({ data: { teamId: team.id, name: "bench model" } });
    await db().modelVersion.create({
      data: { teamId: team.id, modelId: model.id, version: 1, baseModel: "retune/tiny-chat" },
    });
    const { key } = await createApiKey(owner, { name: "bench", scopes: ["telemetry"] });
    // The day partitions, as the worker's first maintenance tick makes them.
    await maintainTelemetry();

    // ── one batch of realistic events; each request swaps a unique tag into the ids ──
    const rand = mulberry32(20261127);
    const TOOLS = ["search_orders", "get_order", "refund", "update_address", "track_shipment"];
    const TOOL_WEIGHTS = [0.35, 0.25, 0.15, 0.15, 0.1];
    const INTENTS = ["order_status", "refund_request", "address_change", "complaint", "other"];
    const pick = (xs: string[], w?: number[]) => {
      let r = rand();
      for (let i = 0; i < xs.length; i++) if ((r -= w ? w[i]! : 1 / xs.length) < 0) return xs[i]!;
      return xs.at(-1)!;
    };
    const started = Date.now();
    const events = Array.from({ length: BATCH }, (_, i) => {
      const latencyMs =
        Math.round(Math.exp(5.5 + 0.6 * (rand() + rand() + rand() - 1.5)) * 10) / 10;
      const toolCall = rand() < 0.8;
      return {
        id: `@@-${i}`,
        // A producer's batch: the last two minutes of its traffic.
        timestamp: new Date(started - Math.floor(rand() * 120_000)).toISOString(),
        model: "bench model",
        version: 1,
        outcome: rand() < 0.03 ? "failure" : "success",
        ...(toolCall ? { toolCallValid: rand() > 0.05, tool: pick(TOOLS, TOOL_WEIGHTS) } : {}),
        escalated: rand() < 0.08,
        latencyMs,
        costUsd: Math.round(latencyMs * 2e-6 * 1e8) / 1e8,
        intent: pick(INTENTS),
        ...(rand() < 0.02 ? { feedback: "user said the answer was wrong" } : {}),
      };
    });
    const template = JSON.stringify({ events });
    let tagSeq = 0;
    const nextTag = () => `${run}-${(tagSeq++).toString(36)}`;

    const port = await startServer();
    const bodyBytes = Buffer.byteLength(template.replaceAll("@@", nextTag()));

    function post(
      payload: Buffer,
      path = "/api/v1/telemetry",
      type = "application/json",
    ): Promise<{ status: number; body: string }> {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path,
            method: "POST",
            agent,
            headers: {
              authorization: `Bearer ${key}`,
              "content-type": type,
              "content-length": payload.length,
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

    // Both phases build their batches before the clock starts: the load generator shares the
    // machine with what it measures, and building a batch is the producer's work, not retune's.
    async function apiPhase(n: number): Promise<number> {
      const bodies = Array.from({ length: n }, () =>
        Buffer.from(template.replaceAll("@@", nextTag())),
      );
      let next = 0;
      const t0 = performance.now();
      const client = async () => {
        while (next < n) {
          const res = await post(bodies[next++]!);
          if (res.status !== 202) throw new Error(`telemetry: ${res.status} ${res.body}`);
          const body = JSON.parse(res.body) as { accepted: number };
          if (body.accepted !== BATCH) throw new Error(`telemetry: accepted ${res.body}`);
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      return (n * BATCH) / ((performance.now() - t0) / 1000);
    }

    // OTLP batches: what an instrumented agent's exporter sends for the same traffic. Each event
    // is a chat span (its own trace) and, for a tool call, the execute_tool span after it; the
    // outcome, latency, tool, escalation, cost and intent follow the JSON events' mix.
    const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } =
      await import("@opentelemetry/sdk-trace");
    const { resourceFromAttributes } = await import("@opentelemetry/resources");
    const { ProtobufTraceSerializer } = await import("@opentelemetry/otlp-transformer");
    const { context, trace, SpanKind, SpanStatusCode } = await import("@opentelemetry/api");
    const spanMemory = new InMemorySpanExporter();
    const tracer = new TracerProvider({
      resource: resourceFromAttributes({
        "service.name": "bench-agent",
        "retune.model": "bench model",
      }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: spanMemory })],
    }).getTracer("bench-agent");
    function otlpBatch(): Buffer {
      spanMemory.reset();
      const now = Date.now();
      for (let i = 0; i < BATCH; i++) {
        const start = now - Math.floor(rand() * 120_000);
        const latencyMs =
          Math.round(Math.exp(5.5 + 0.6 * (rand() + rand() + rand() - 1.5)) * 10) / 10;
        const chat = tracer.startSpan("chat gpt-4o-mini", {
          kind: SpanKind.CLIENT,
          startTime: start,
          attributes: {
            "gen_ai.operation.name": "chat",
            "gen_ai.provider.name": "openai",
            "gen_ai.request.model": "gpt-4o-mini",
            "gen_ai.usage.input_tokens": 180,
            "gen_ai.usage.output_tokens": 20,
            "retune.model.version": 1,
            "retune.escalated": rand() < 0.08,
            "retune.cost_usd": Math.round(latencyMs * 2e-6 * 1e8) / 1e8,
            "retune.intent": pick(INTENTS),
          },
        });
        if (rand() < 0.03) {
          chat.setAttribute("error.type", "timeout");
          chat.setStatus({ code: SpanStatusCode.ERROR });
        }
        chat.end(start + latencyMs);
        if (rand() < 0.8) {
          const tool = tracer.startSpan(
            "execute_tool",
            {
              startTime: start + latencyMs + 1,
              attributes: {
                "gen_ai.operation.name": "execute_tool",
                "gen_ai.tool.name": pick(TOOLS, TOOL_WEIGHTS),
              },
            },
            trace.setSpan(context.active(), chat),
          );
          if (rand() < 0.05) tool.setStatus({ code: SpanStatusCode.ERROR });
          tool.end(start + latencyMs + 11);
        }
      }
      return Buffer.from(ProtobufTraceSerializer.serializeRequest(spanMemory.getFinishedSpans())!);
    }
    const otlpBytes = otlpBatch().length;

    async function otlpPhase(n: number): Promise<number> {
      const bodies = Array.from({ length: n }, otlpBatch);
      let next = 0;
      const t0 = performance.now();
      const client = async () => {
        while (next < n) {
          const res = await post(
            bodies[next++]!,
            "/api/v1/otlp/v1/traces",
            "application/x-protobuf",
          );
          // Full success is an empty ExportTraceServiceResponse; anything else names rejections.
          if (res.status !== 200 || res.body.length !== 0)
            throw new Error(`otlp: ${res.status} ${res.body}`);
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      return (n * BATCH) / ((performance.now() - t0) / 1000);
    }

    // The raw baseline gets the events already resolved (model id, UTC timestamps, booleans):
    // the least work PostgreSQL can be asked to do to hold them.
    const COLS = 13;
    const placeholders = Array.from(
      { length: BATCH },
      (_, r) => `(${Array.from({ length: COLS }, (_, c) => `$${r * COLS + c + 1}`).join(", ")})`,
    ).join(", ");
    const INSERT_RAW = `INSERT INTO "TelemetryEvent" ("teamId", "eventId", "modelId", version,
      timestamp, success, "toolCallValid", escalated, "latencyMs", "costUsd", tool, intent, feedback)
      VALUES ${placeholders}`;
    const rawValues = (tag: string) => {
      const v: unknown[] = new Array(BATCH * COLS);
      let k = 0;
      for (const e of events) {
        v[k++] = team.id;
        v[k++] = e.id.replace("@@", tag);
        v[k++] = model.id;
        v[k++] = e.version;
        v[k++] = e.timestamp;
        v[k++] = e.outcome === "success";
        v[k++] = e.toolCallValid ?? null;
        v[k++] = e.escalated;
        v[k++] = e.latencyMs;
        v[k++] = e.costUsd;
        v[k++] = e.tool ?? null;
        v[k++] = e.intent;
        v[k++] = e.feedback ?? null;
      }
      return v;
    };
    for (let i = 0; i < CLIENTS; i++) {
      const c = new pg.Client({ connectionString: dbUrl.toString() });
      await c.connect();
      raw.push(c);
    }
    async function rawPhase(n: number): Promise<number> {
      const batches = Array.from({ length: n }, () => rawValues(nextTag()));
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        raw.map(async (c) => {
          while (next < n) {
            await c.query({ name: "raw-insert", text: INSERT_RAW, values: batches[next++]! });
          }
        }),
      );
      return (n * BATCH) / ((performance.now() - t0) / 1000);
    }

    const fresh = () =>
      sql().query(`TRUNCATE "TelemetryEvent", "TelemetryRollup", "TelemetryDimRollup"`);

    // Warm-up (JIT, pools, plans), then each phase into empty tables.
    await apiPhase(Math.min(20, BATCHES));
    await otlpPhase(Math.min(20, BATCHES));
    await rawPhase(Math.min(20, BATCHES));
    const apiRates: number[] = [];
    const otlpRates: number[] = [];
    const stored = async () =>
      (await sql().query<{ n: number }>(`SELECT count(*)::int AS n FROM "TelemetryEvent"`)).rows[0]!
        .n;
    const rawRates: number[] = [];
    const cpu = { api: 0, apiSys: 0, apiClient: 0, apiPg: 0, otlp: 0, raw: 0, rawPg: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      await fresh();
      const server0 = await serverUsage();
      let client0 = ms(process.cpuUsage());
      let pg0 = await postgresCpu();
      apiRates.push(await apiPhase(BATCHES));
      const server1 = await serverUsage();
      cpu.api += server1.cpuMs - server0.cpuMs;
      cpu.apiSys += server1.sysMs - server0.sysMs;
      cpu.apiClient += ms(process.cpuUsage()) - client0;
      cpu.apiPg += postgresCpuSince(pg0, await postgresCpu());
      await fresh();
      const otlp0 = await serverUsage();
      otlpRates.push(await otlpPhase(BATCHES));
      cpu.otlp += (await serverUsage()).cpuMs - otlp0.cpuMs;
      // Every span became its event: the OTLP figure counts stored events, as the API's does.
      const kept = await stored();
      if (kept !== BATCHES * BATCH)
        throw new Error(`otlp: ${kept} events stored of ${BATCHES * BATCH}`);
      await fresh();
      client0 = ms(process.cpuUsage());
      pg0 = await postgresCpu();
      rawRates.push(await rawPhase(BATCHES));
      cpu.raw += ms(process.cpuUsage()) - client0;
      cpu.rawPg += postgresCpuSince(pg0, await postgresCpu());
    }
    const { maxRssKb } = await serverUsage();
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    };
    const ratios = apiRates.map((r, i) => r / rawRates[i]!);
    const share = median(ratios);
    const api = median(apiRates);
    const f0 = (x: number) => x.toFixed(0).padStart(7);

    console.log(
      `bench:telemetry — ${BATCHES} batches of ${BATCH} events per phase (${(bodyBytes / 1024).toFixed(0)} KiB of JSON each); ${CLIENTS} concurrent clients; ${ROUNDS} rounds; ${os.cpus().length} CPU cores`,
    );
    console.log(
      `\n  API: POST /api/v1/telemetry (parse, validate, resolve, insert + rollups)  median ${f0(api)} events/s   rounds: ${apiRates.map((r) => r.toFixed(0)).join(", ")}`,
    );
    const otlp = median(otlpRates);
    console.log(
      `  OTLP: POST /api/v1/otlp/v1/traces (protobuf, decode, map GenAI spans, same ingest)  median ${f0(otlp)} events/s   rounds: ${otlpRates.map((r) => r.toFixed(0)).join(", ")}   (${(otlpBytes / 1024).toFixed(0)} KiB of protobuf per 1,000 events; ${((otlp / api) * 100).toFixed(0)}% of the JSON API; API process ${(cpu.otlp / (ROUNDS * BATCHES)).toFixed(1)} ms CPU per batch)`,
    );
    console.log(
      `  baseline: raw multi-row INSERT … VALUES into "TelemetryEvent"           median ${f0(median(rawRates))} events/s   rounds: ${rawRates.map((r) => r.toFixed(0)).join(", ")}`,
    );
    console.log(
      `  API / raw per round: ${ratios.map((r) => `${(r * 100).toFixed(0)}%`).join(", ")}; median ${(share * 100).toFixed(0)}% (target ≥ 75%): ${share >= 0.75 ? "met" : "NOT met"}; API ${f0(api).trim()} events/s (target ≥ 100,000 on 2 cores): ${api >= 100_000 ? "met" : "NOT met"}`,
    );
    const perBatch = (x: number) => (x / (ROUNDS * BATCHES)).toFixed(1);
    console.log(`  API process: peak RSS ${(maxRssKb / 1024).toFixed(0)} MiB`);
    console.log(
      `  CPU per batch of ${BATCH}: API process ${perBatch(cpu.api)} ms (kernel ${perBatch(cpu.apiSys)}) + PostgreSQL ${perBatch(cpu.apiPg)} ms (+ bench client ${perBatch(cpu.apiClient)} ms); raw: bench client ${perBatch(cpu.raw)} ms + PostgreSQL ${perBatch(cpu.rawPg)} ms`,
    );

    await stopServer();
    for (const c of raw.splice(0)) await c.end();

    // ── a monitor check over CHECK_EVENTS stored events ──
    await fresh();
    const to = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const from = new Date(to.getTime() - 7 * DAY_MS);
    const prior = new Date(from.getTime() - 7 * DAY_MS);
    // Every day of the window has its partition, as a deployment older than a week has.
    const have = new Set((await listDayPartitions()).map((p) => p.day));
    for (let d = Math.floor(from.getTime() / DAY_MS) * DAY_MS; d <= to.getTime(); d += DAY_MS)
      if (!have.has(d)) await createDayPartition(d);
    const t0 = performance.now();
    await populate(CHECK_EVENTS, team.id, model.id, from, to);
    const populateS = (performance.now() - t0) / 1000;

    const check = async (modelId: string) => {
      const c0 = performance.now();
      const [totals, latency] = await Promise.all([
        readTotals(modelId, from, to),
        readDim(modelId, "latency", from, to),
      ]);
      const buckets = latencyBuckets(latency);
      const rates = (
        [
          "tool_call_error_rate",
          "escalation_rate",
          "failure_rate",
          "latency_p95_ms",
          "cost_per_call_usd",
        ] as const
      ).map((m) => rateMetric(m, totals, buckets));
      const c1 = performance.now();
      const [now, before] = await Promise.all([
        readDim(modelId, "tool", from, to),
        readDim(modelId, "tool", prior, from),
      ]);
      const shift = psi(before, now);
      const c2 = performance.now();
      return { rateMs: c1 - c0, psiMs: c2 - c1, samples: totals.samples, rates, shift };
    };
    const report = async (modelId: string, how: string, target: boolean) => {
      const checks = [];
      for (let i = 0; i < 7; i++) checks.push(await check(modelId));
      const first = checks[0]!;
      const total = median(checks.map((c) => c.rateMs + c.psiMs));
      lastCheckMedian = total;
      console.log(
        `\n  monitor check over ${first.samples.toLocaleString("en")} stored events in a 7-day window (${how}):`,
      );
      console.log(
        `  readTotals + readDim('latency') + rateMetric ×5   first ${first.rateMs.toFixed(0).padStart(5)} ms   median ${median(
          checks.map((c) => c.rateMs),
        )
          .toFixed(0)
          .padStart(5)} ms`,
      );
      console.log(
        `  tool PSI: readDim('tool') 7d vs prior 7d + psi   first ${first.psiMs.toFixed(0).padStart(5)} ms   median ${median(
          checks.map((c) => c.psiMs),
        )
          .toFixed(0)
          .padStart(5)} ms   (PSI ${first.shift?.toFixed(3)})`,
      );
      console.log(
        `  p95 ${first.rates[3]!.value?.toFixed(0)} ms, tool-call error rate ${first.rates[0]!.value?.toFixed(4)}; whole check median ${total.toFixed(0)} ms${
          target
            ? ` (target < 250 ms at the largest volume): ${total < 250 ? "met" : "NOT met"}`
            : ""
        }`,
      );
    };
    let lastCheckMedian = 0;
    await report(
      model.id,
      `events populated in ${populateS.toFixed(0)} s, rollups by the ingest's SQL`,
      false,
    );

    // ── the Model page's economics panel over the same stored events ──
    // What a training history adds to the panel's reads: a few finished jobs with their cost,
    // eval runs of a version with cost_per_1k_usd, and a quarterly retrain policy.
    {
      const v1 = await db().modelVersion.findFirstOrThrow({ where: { modelId: model.id } });
      const ds = await db().dataset.create({ data: { teamId: team.id, name: "bench data" } });
      const dv = await db().datasetVersion.create({
        data: {
          teamId: team.id,
          datasetId: ds.id,
          version: 1,
          contentHash: "b".repeat(64),
          storageUri: "artifact:none",
          status: "READY",
        },
      });
      const suite = await db().evalSuite.create({
        data: {
          teamId: team.id,
          name: "bench suite",
          datasetVersionId: dv.id,
          scorers: ["tool_call"],
        },
      });
      for (let i = 0; i < 4; i++) {
        await db().trainingJob.create({
          data: {
            teamId: team.id,
            modelId: model.id,
            name: `bench #${i + 1}`,
            status: i === 2 ? "FAILED" : "SUCCEEDED",
            method: "LORA",
            baseModel: "retune/tiny-chat",
            datasetVersionId: dv.id,
            spec: {},
            costUsd: 3.5 + i,
          },
        });
        await db().evalRun.create({
          data: {
            teamId: team.id,
            suiteId: suite.id,
            targetKind: "MODEL_VERSION",
            target: { modelVersionId: v1.id },
            targetKey: `version:${v1.id}`,
            modelVersionId: v1.id,
            inputHash: `bench-${i}`,
            status: "SUCCEEDED",
            metrics: { tool_call_accuracy: 0.8, cost_per_1k_usd: 1.2 },
            caseCount: 500,
          },
        });
      }
      await db().retrainPolicy.create({
        data: {
          teamId: team.id,
          modelId: model.id,
          schedule: "0 6 1 1,4,7,10 *",
          datasetRecipe: {},
        },
      });
      const runs: { ms: number; calls: number; savings: number | null }[] = [];
      for (let i = 0; i < 7; i++) {
        const e0 = performance.now();
        const e = await getModelEconomics(owner, model.id, { days: 30 });
        runs.push({
          ms: performance.now() - e0,
          calls: e.totals.calls,
          savings: e.summary.savingsUsd,
        });
      }
      const econ = median(runs.map((r) => r.ms));
      console.log(
        `\n  economics panel (getModelEconomics, 30-day window) over ${runs[0]!.calls.toLocaleString("en")} stored events:`,
      );
      console.log(
        `  rollups by UTC day + training jobs + eval runs + retrain policy   first ${runs[0]!.ms.toFixed(0).padStart(5)} ms   median ${econ.toFixed(0).padStart(5)} ms   (monitor check, same run: median ${lastCheckMedian.toFixed(0)} ms)`,
      );
      console.log(
        `  savings over the window $${runs[0]!.savings?.toFixed(2)}; target < 300 ms: ${econ < 300 ? "met" : "NOT met"}`,
      );
    }

    // ── the same check at the largest volume: the rollups of ROLLUP_EVENTS events ──
    const big = await db().model.create({ data: { teamId: team.id, name: "bench model 100M" } });
    const s0 = performance.now();
    await seedRollups(ROLLUP_EVENTS, team.id, big.id, from, to);
    await report(
      big.id,
      `the rollups ${ROLLUP_EVENTS.toLocaleString("en")} events leave, seeded directly in ${((performance.now() - s0) / 1000).toFixed(0)} s; monitors read only rollups`,
      true,
    );

    // ── retention: a team's rows out of a shared day partition vs dropping the partition ──
    const shortTeam = await db().team.create({ data: { name: "short", slug: `short-${run}` } });
    const day = Math.floor(from.getTime() / DAY_MS) * DAY_MS + DAY_MS;
    const part = partitionName(day);
    const RET_EVENTS = Math.max(1, Math.round(CHECK_EVENTS / 7));
    await sql().query(
      `INSERT INTO "${part}" ("teamId", "eventId", "modelId", timestamp, success, "latencyMs", tool)
       SELECT $1, 'r' || g, $2, $3::timestamp + (g % 86400000) * interval '1 millisecond', true,
              100, 'get_order'
         FROM generate_series(1, $4::int) g`,
      [shortTeam.id, model.id, new Date(day).toISOString(), RET_EVENTS],
    );
    await sql().query(`VACUUM ANALYZE "${part}"`);
    const { rows: sized } = await sql().query<{ n: number; bytes: number }>(
      `SELECT count(*)::int AS n, pg_total_relation_size('"${part}"')::float8 AS bytes FROM "${part}"`,
    );
    const d0 = performance.now();
    const deleted = await deleteTeamRows(part, shortTeam.id, day + DAY_MS, Number.MAX_SAFE_INTEGER);
    const deleteMs = performance.now() - d0;
    const p0 = performance.now();
    await dropDayPartition(part);
    const dropMs = performance.now() - p0;
    console.log(
      `\n  retention on a day partition of ${sized[0]!.n.toLocaleString("en")} rows (${(sized[0]!.bytes / 2 ** 20).toFixed(0)} MiB), two teams:`,
    );
    console.log(
      `  one team's ${deleted.toLocaleString("en")} rows deleted through the primary key: ${deleteMs.toFixed(0)} ms (${f0(deleted / (deleteMs / 1000)).trim()} rows/s); the partition dropped whole: ${dropMs.toFixed(0)} ms`,
    );
  } finally {
    agent.destroy();
    for (const c of raw) await c.end().catch(() => {});
    await stopServer();
    await disconnectDb();
    const admin = new URL(baseUrl);
    admin.pathname = "/postgres";
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "retune_bench_${run}" WITH (FORCE)`);
    await c.end();
  }
  process.exit(0);

  async function startServer(): Promise<number> {
    server = spawn(
      process.execPath,
      [
        ...(process.env.BENCH_PROF
          ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`]
          : []),
        "--import",
        "tsx",
        "scripts/bench/telemetry.ts",
      ],
      {
        env: { ...process.env, BENCH_TELEMETRY_ROLE: "server" },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    return new Promise((resolve, reject) => {
      server!.once("exit", (code) => reject(new Error(`API server exited (${code})`)));
      createInterface({ input: server!.stdout! }).on("line", (line) => {
        const ev = JSON.parse(line) as { kind: string; port?: number } & Usage;
        if (ev.kind === "ready") resolve(ev.port!);
        if (ev.kind === "usage") onUsage?.(ev);
      });
    });
  }

  async function serverUsage(): Promise<Usage> {
    const answer = new Promise<Usage>((resolve) => (onUsage = resolve));
    server!.kill("SIGUSR2");
    return answer;
  }

  async function stopServer() {
    if (!server || server.exitCode !== null) return;
    const s = server;
    server = null;
    s.removeAllListeners("exit");
    const exited = new Promise((r) => s.once("exit", r));
    s.kill("SIGTERM");
    await exited;
  }

  /**
   * The rollups `n` events over [from, to) would leave, written directly: per minute the same
   * counts the bench's events produce (3% failures, 80% tool calls with 5% errors, 8%
   * escalations), every tool and intent, and the latency buckets of the populate phase's
   * distribution; plus the prior week's drifted tool mix for the PSI read.
   */
  async function seedRollups(n: number, teamId: string, modelId: string, from: Date, to: Date) {
    const minutes = Math.round((to.getTime() - from.getTime()) / 60_000);
    const per = Math.round(n / minutes);
    const r = mulberry32(7);
    const latency = new Map<number, number>();
    for (let i = 0; i < 100_000; i++) {
      const ms = Math.exp(5.5 + 0.6 * (r() + r() + r() - 1.5));
      const b = latencyBucket(ms);
      latency.set(b, (latency.get(b) ?? 0) + 1);
    }
    const dims: { dim: string; key: string; share: number }[] = [
      ...[...latency].map(([b, c]) => ({ dim: "latency", key: String(b), share: c / 100_000 })),
      ...[
        "search_orders",
        "get_order",
        "refund",
        "update_address",
        "track_shipment",
        "cancel_order",
      ].map((key, i) => ({
        dim: "tool",
        key,
        share: [0.25, 0.25, 0.125, 0.125, 0.125, 0.125][i]! * 0.8,
      })),
      ...["order_status", "refund_request", "address_change", "complaint", "other"].map((key) => ({
        dim: "intent",
        key,
        share: 0.2,
      })),
    ];
    const minuteSeries = `generate_series($1::timestamp, $2::timestamp - interval '1 minute', interval '1 minute')`;
    const span = [from.toISOString(), to.toISOString()];
    await sql().query(
      `INSERT INTO "TelemetryRollup" ("modelId", minute, "teamId", samples, failures, "toolCalls",
         "toolCallErrors", "escalationKnown", escalations, "latencyCount", "latencySumMs",
         "costCount", "costSumUsd", "keptCostCount", "keptCostSumUsd", "escalatedCostCount",
         "escalatedCostSumUsd")
       SELECT $3, m, $4, $5::int, round($5::int * 0.03), round($5::int * 0.8),
              round($5::int * 0.04), $5::int, round($5::int * 0.08), $5::int, $5::int * 260.0,
              $5::int, $5::int * 0.001, $5::int - round($5::int * 0.08),
              ($5::int - round($5::int * 0.08)) * 0.0006, round($5::int * 0.08),
              round($5::int * 0.08) * 0.0056
         FROM ${minuteSeries} m`,
      [...span, modelId, teamId, per],
    );
    await sql().query(
      `INSERT INTO "TelemetryDimRollup" ("modelId", dim, minute, key, count)
       SELECT $3, d.dim, m, d.key, round($4::int * d.share)::int
         FROM ${minuteSeries} m,
              unnest($5::text[], $6::text[], $7::float8[]) AS d(dim, key, share)
        WHERE round($4::int * d.share) >= 1`,
      [
        ...span,
        modelId,
        per,
        dims.map((d) => d.dim),
        dims.map((d) => d.key),
        dims.map((d) => d.share),
      ],
    );
    await sql().query(
      `INSERT INTO "TelemetryDimRollup" ("modelId", dim, minute, key, count)
       SELECT "modelId", dim, minute - interval '7 days', key,
              CASE WHEN key = 'refund' THEN count * 2 ELSE count END
         FROM "TelemetryDimRollup" WHERE "modelId" = $1 AND dim = 'tool'`,
      [modelId],
    );
    await sql().query(`VACUUM ANALYZE "TelemetryRollup", "TelemetryDimRollup"`);
  }

  /**
   * `n` events over [from, to) written server-side in 1M-row chunks on two connections (the
   * bench is about reading them), then their rollups by the ingest's own SQL, then the tool
   * rollups of the prior 7 days (the PSI reference), shifted copies with a drifted mix.
   */
  async function populate(n: number, teamId: string, modelId: string, from: Date, to: Date) {
    const span = to.getTime() - from.getTime();
    const chunk = 1_000_000;
    const starts: number[] = [];
    for (let s = 1; s <= n; s += chunk) starts.push(s);
    const conn = async () => {
      const c = new pg.Client({ connectionString: dbUrl.toString() });
      await c.connect();
      await c.query(`SET work_mem = '256MB'; SET synchronous_commit = off`);
      return c;
    };
    const workers = await Promise.all([conn(), conn()]);
    try {
      let done = 0;
      await Promise.all(
        workers.map(async (c) => {
          for (let s = starts.shift(); s !== undefined; s = starts.shift()) {
            await c.query(
              `INSERT INTO "TelemetryEvent" ("teamId", "eventId", "modelId", version, timestamp,
                 success, "toolCallValid", escalated, "latencyMs", "costUsd", tool, intent)
               SELECT $1, lpad(g::text, 10, '0'), $2, 1,
                      $3::timestamp + (g - 1) * ($4::float8 / $5) * interval '1 millisecond',
                      random() > 0.03,
                      CASE WHEN random() < 0.8 THEN random() > 0.05 END,
                      random() < 0.08,
                      exp(5.5 + 0.6 * (random() + random() + random() - 1.5)),
                      random() * 0.002,
                      (ARRAY['search_orders','search_orders','get_order','get_order','refund',
                             'update_address','track_shipment','cancel_order'])[1 + (g % 8)],
                      (ARRAY['order_status','refund_request','address_change','complaint',
                             'other'])[1 + (g % 5)]
                 FROM generate_series($6::bigint, $7::bigint) g`,
              [teamId, modelId, from.toISOString(), span, n, s, Math.min(n, s + chunk - 1)],
            );
            done += Math.min(chunk, n - s + 1);
            process.stderr.write(`\r  populating: ${done.toLocaleString("en")} events`);
          }
        }),
      );
      process.stderr.write("\n");
      const [a, b] = workers as [pg.Client, pg.Client];
      await Promise.all([
        a.query(upsertRollupSql('"TelemetryEvent"')),
        b.query(upsertDimRollupSql('"TelemetryEvent"')),
      ]);
      // The prior week's tool mix, drifted: refund traffic doubled.
      await a.query(
        `INSERT INTO "TelemetryDimRollup" ("modelId", dim, minute, key, count)
         SELECT "modelId", dim, minute - interval '7 days', key,
                CASE WHEN key = 'refund' THEN count * 2 ELSE count END
           FROM "TelemetryDimRollup" WHERE "modelId" = $1 AND dim = 'tool'`,
        [modelId],
      );
      // Steady state: autovacuum would have set hint bits and statistics by the time a monitor runs.
      await a.query(`VACUUM ANALYZE "TelemetryRollup", "TelemetryDimRollup"`);
    } finally {
      for (const c of workers) await c.end();
    }
  }
}
