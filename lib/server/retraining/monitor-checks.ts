/**
 * One check of a drift monitor: the metric over [now − window, now) from the rollups (or the
 * latest canary eval for eval_score), compared with the threshold once there are enough
 * samples; a breach outside the cooldown acts — alert through the team's webhooks, or open a
 * retrain (at most one per Model and window). Every check is stored with its evidence.
 */
import { v7 as uuidv7 } from "uuid";
import {
  breaches,
  COMPARATOR_SYMBOL,
  psi,
  sum,
  unseenShare,
  windowBucketStart,
} from "@/lib/domain/drift";
import { formatDuration } from "@/lib/domain/durations";
import { formatMetricValue } from "@/lib/domain/gate";
import { rateMetric, type RateMetric } from "@/lib/domain/telemetry-metrics";
import type { CheckResult, Comparator, MonitorMetric } from "@/lib/schemas/monitors";
import { authorize } from "@/lib/server/core/authorize";
import { db, type Prisma } from "@/lib/server/core/db";
import { startCanaryEval } from "@/lib/server/evals/create-runs";
import { env } from "@/lib/server/core/env";
import { loadMonitor, toCheck } from "./monitors";
import type { Principal } from "@/lib/server/core/principal";
import { openRetrain } from "./retrains";
import { baselineFor } from "@/lib/server/telemetry/baseline";
import { latencyBuckets, readDim, readTotals } from "@/lib/server/telemetry/rollups";
import { notify } from "@/lib/server/webhooks/webhooks";

type MonitorRow = Prisma.DriftMonitorGetPayload<{ include: { model: true } }>;

type Measured = {
  value: number | null;
  samples: number;
  /** NO_BASELINE / NO_DATA with why, when the metric cannot be read yet. */
  unavailable?: { status: "NO_BASELINE" | "NO_DATA"; reason: string };
  detail: Record<string, unknown>;
};

const RATE_METRICS: readonly string[] = [
  "tool_call_error_rate",
  "escalation_rate",
  "failure_rate",
  "latency_p95_ms",
  "cost_per_call_usd",
];

async function measure(m: MonitorRow, from: Date, to: Date, now: Date): Promise<Measured> {
  const metric = m.metric as MonitorMetric;
  if (RATE_METRICS.includes(metric)) {
    const totals = await readTotals(m.modelId, from, to);
    const latency =
      metric === "latency_p95_ms"
        ? latencyBuckets(await readDim(m.modelId, "latency", from, to))
        : new Map<number, number>();
    const r = rateMetric(metric as RateMetric, totals, latency);
    return { ...r, detail: { events: totals.samples } };
  }
  if (metric === "eval_score") return measureEvalScore(m, from, to);
  const found = await baselineFor(m.modelId, {
    windowSeconds: m.windowSeconds,
    minSamples: m.minSamples,
    now,
  });
  const dim = metric === "intent_psi" ? "intent" : "tool";
  const actual = await readDim(m.modelId, dim, from, to);
  if (!found.baseline)
    return {
      value: null,
      samples: sum(actual),
      unavailable: { status: "NO_BASELINE", reason: found.reason },
      detail: {},
    };
  const b = found.baseline;
  const expected = dim === "intent" ? b.intents : b.tools;
  const value =
    metric === "unseen_tool_share"
      ? unseenShare(new Set(b.tools.keys()), actual)
      : psi(expected, actual);
  const top = (c: Map<string, number>) =>
    Object.fromEntries([...c].sort((x, y) => y[1] - x[1]).slice(0, 20));
  return {
    value,
    samples: sum(actual),
    detail: {
      baselineVersion: b.version,
      baselineWindow: [b.windowStart.toISOString(), b.windowEnd.toISOString()],
      baseline: top(expected),
      current: top(actual),
    },
  };
}

/**
 * eval_score: the score of the latest finished canary run of the PRODUCTION version inside the
 * window (tool_call_accuracy when the suite measures it, else its first metric). With none, a
 * canary run is started and this check reports NO_DATA; a later check reads the result.
 */
async function measureEvalScore(m: MonitorRow, from: Date, to: Date): Promise<Measured> {
  const prod = await db().modelVersion.findFirst({
    where: { modelId: m.modelId, stage: "PRODUCTION" },
    orderBy: { stageChangedAt: "desc" },
  });
  if (!prod)
    return {
      value: null,
      samples: 0,
      unavailable: { status: "NO_DATA", reason: "the Model has no PRODUCTION version" },
      detail: {},
    };
  const runs = await db().evalRun.findMany({
    where: { modelVersionId: prod.id, createdAt: { gte: from, lt: to } },
    orderBy: { createdAt: "desc" },
    take: 5,
  });
  const done = runs.find((r) => r.status === "SUCCEEDED");
  if (done) {
    const metrics = (done.metrics ?? {}) as Record<string, number>;
    const name = "tool_call_accuracy" in metrics ? "tool_call_accuracy" : Object.keys(metrics)[0];
    if (name)
      return {
        value: metrics[name]!,
        samples: done.caseCount,
        detail: { evalRunId: done.id, metric: name, version: prod.version },
      };
  }
  const running = runs.find((r) => r.status === "QUEUED" || r.status === "RUNNING");
  const started = running?.id ?? (await startCanaryEval(prod.id));
  return {
    value: null,
    samples: 0,
    unavailable: {
      status: "NO_DATA",
      reason: started
        ? `canary eval ${started} of v${prod.version} is running; a later check reads its score`
        : "the Model has no eval suite, or its PRODUCTION version cannot be evaluated",
    },
    detail: started ? { evalRunId: started, version: prod.version } : {},
  };
}

export type CheckOptions = { source: "schedule" | "manual"; now?: Date };

/** Runs and stores one check. Server-side (the scheduler); the API goes through `checkMonitor`. */
export async function runCheck(monitorId: string, opts: CheckOptions): Promise<CheckResult | null> {
  const m = await db().driftMonitor.findUnique({
    where: { id: monitorId },
    include: { model: true },
  });
  if (!m) return null; // deleted while its scheduler fired
  if (!m.enabled && opts.source === "schedule") return null;
  const started = performance.now();
  const now = opts.now ?? new Date();
  const windowEnd = now;
  const windowStart = new Date(now.getTime() - m.windowSeconds * 1000);
  const measured = await measure(m, windowStart, windowEnd, now);
  const comparator = m.comparator as Comparator;
  const status = measured.unavailable
    ? measured.unavailable.status
    : measured.value === null || measured.samples === 0
      ? "NO_DATA"
      : measured.samples < m.minSamples
        ? "INSUFFICIENT_SAMPLES"
        : breaches(measured.value, comparator, m.threshold)
          ? "BREACHED"
          : "OK";
  const breached = status === "BREACHED";
  const detail: Record<string, unknown> = {
    ...measured.detail,
    ...(measured.unavailable ? { reason: measured.unavailable.reason } : {}),
    ...(status === "INSUFFICIENT_SAMPLES"
      ? { reason: `${measured.samples} samples; the monitor needs ${m.minSamples}` }
      : {}),
  };

  // The id is chosen now so a retrain this check opens can point at it; the row is written
  // once, at the end, with its outcome and duration.
  const checkId = uuidv7();

  let outcome: CheckResult["check"]["outcome"] = null;
  let retrainRequestId: string | undefined;
  let retrainJobId: string | undefined;
  const sentence = `${m.metric} = ${measured.value === null ? "n/a" : formatMetricValue(measured.value)} ${COMPARATOR_SYMBOL[comparator]} ${m.threshold} over ${formatDuration(m.windowSeconds)} (${measured.samples} samples)`;
  if (breached) {
    const cooling =
      m.lastActionAt && now.getTime() - m.lastActionAt.getTime() < m.cooldownSeconds * 1000;
    if (cooling) {
      outcome = "cooldown";
      // A retrain opened by this monitor's last action is still the answer to this breach.
    } else if (m.action === "alert") {
      outcome = "alerted";
    } else {
      const opened = await openRetrain({
        teamId: m.teamId,
        modelId: m.modelId,
        trigger: "DRIFT",
        key: `drift:${windowBucketStart(now, m.windowSeconds).toISOString()}`,
        reason: `Drift breach: ${sentence} (monitor "${m.name}")`,
        monitorId: m.id,
        driftCheckId: checkId,
        windowStart,
        windowEnd,
        now,
      });
      retrainRequestId = opened.request.id;
      retrainJobId = opened.request.trainingJobId ?? undefined;
      outcome =
        opened.request.status === "SKIPPED"
          ? "retrain_skipped"
          : opened.created
            ? "retrain_opened"
            : "retrain_in_progress";
    }
    if (!cooling) await alert(m, sentence);
  }

  const durationMs = performance.now() - started;
  const stored = await db().driftCheck.create({
    data: {
      id: checkId,
      teamId: m.teamId,
      monitorId: m.id,
      windowStart,
      windowEnd,
      value: measured.value,
      samples: measured.samples,
      breached,
      status,
      source: opts.source,
      detail: detail as Prisma.InputJsonValue,
      outcome,
      retrainRequestId: retrainRequestId ?? null,
      durationMs,
    },
  });
  await db().driftMonitor.update({
    where: { id: m.id },
    data: {
      state:
        status === "BREACHED"
          ? "WARNING"
          : status === "OK"
            ? "OK"
            : status === "INSUFFICIENT_SAMPLES"
              ? "INSUFFICIENT"
              : m.state === "WARNING"
                ? "WARNING"
                : "PENDING",
      lastValue: measured.value,
      lastCheckedAt: now,
      ...(breached ? { lastBreachAt: now } : {}),
      ...(breached && outcome !== "cooldown" ? { lastActionAt: now } : {}),
    },
  });
  return {
    value: measured.value,
    samples: measured.samples,
    breached,
    ...(retrainJobId ? { retrainJobId } : {}),
    ...(retrainRequestId ? { retrainRequestId } : {}),
    check: toCheck(stored),
  };
}

async function alert(m: MonitorRow, sentence: string) {
  const prod = await db().modelVersion.findFirst({
    where: { modelId: m.modelId, stage: "PRODUCTION" },
  });
  await notify(m.teamId, {
    kind: "drift_breach",
    model: m.model.name,
    version: prod?.version ?? 0,
    failures: [sentence],
    actor: "retune",
    url: new URL(`/monitors/${m.id}`, env().APP_URL).toString(),
  }).catch(() => {});
}

/** POST /monitors/{id}/check: on demand, for the caller's team. */
export async function checkMonitor(p: Principal, id: string): Promise<CheckResult> {
  authorize(p, "resource.write");
  const m = await loadMonitor(p, id);
  const result = await runCheck(m.id, { source: "manual" });
  if (!result) throw new Error(`monitor ${id} vanished during its check`);
  return result;
}
