import { METRIC_NAMES, type MetricName } from "@/lib/schemas/eval-metrics";
import type { GateConditionResult, GateStatus } from "@/lib/schemas/gates";
import type { ModelCard, ModelCardEval } from "@/lib/schemas/model-cards";
import { findBaseModel } from "./base-models";
import { formatMetricValue } from "./gate";

/**
 * Renders a model card as Markdown in the Hugging Face model-card style: `frontMatter` is the
 * YAML header as an object (lib/server YAML.stringifies it; lib/domain imports no YAML package)
 * and `body` the Markdown after it. Every section renders even without data, saying what is
 * missing, so a reader can tell "not measured" from "left out".
 */
export function renderModelCardMarkdown(card: ModelCard): {
  frontMatter: Record<string, unknown>;
  body: string;
} {
  return { frontMatter: frontMatter(card), body: body(card) };
}

const TARGET_ORDER: Record<ModelCardEval["targetKind"], number> = {
  VERSION: 0,
  PRODUCTION: 1,
  BASE_MODEL: 2,
  ENDPOINT: 3,
};

function licenseOf(card: ModelCard): string | null {
  return card.version.license ?? findBaseModel(card.version.baseModel)?.license ?? null;
}

function frontMatter(card: ModelCard): Record<string, unknown> {
  const fm: Record<string, unknown> = { base_model: card.version.baseModel, library_name: "peft" };
  const license = licenseOf(card);
  if (license) fm.license = license;
  fm.tags = [
    "lora",
    ...(card.version.method === "QLORA" ? ["qlora"] : []),
    "retune",
    "tool-calling",
  ];
  if (card.lineage) fm.datasets = [card.lineage.datasetName];
  // model-index holds this version's own results only; comparisons live in the body.
  const results = card.evals
    .filter((e) => e.targetKind === "VERSION")
    .map((e) => ({
      task: { type: "tool-calling" },
      dataset: { name: e.suiteName, type: e.suiteName },
      metrics: orderedMetrics([e]).map((m) => ({ type: m, value: e.metrics[m] })),
    }))
    .filter((r) => r.metrics.length > 0);
  if (results.length > 0) fm["model-index"] = [{ name: versionTitle(card), results }];
  return fm;
}

function versionTitle(card: ModelCard): string {
  return `${card.model.name} v${card.version.version}`;
}

function body(card: ModelCard): string {
  const sections = [
    `# ${versionTitle(card)}`,
    card.model.description ?? "",
    modelDetails(card),
    `## Intended use\n\n${card.narrative.intendedUse.trim() || "_Not documented yet._"}`,
    `## Limitations\n\n${card.narrative.limitations.trim() || "_Not documented yet._"}`,
    trainingData(card),
    trainingProcedure(card),
    evaluation(card),
    gateDecision(card),
    routing(card),
    cost(card),
    versionHistory(card),
  ];
  return sections.filter((s) => s !== "").join("\n\n") + "\n";
}

function modelDetails(card: ModelCard): string {
  const v = card.version;
  const files = v.adapterFiles.map((f) => `${f.name} (${formatBytes(f.bytes)})`).join(", ");
  return [
    "## Model details",
    "",
    table(
      ["Field", "Value"],
      [
        ["Model", card.model.name],
        ["Version", `v${v.version}`],
        ["Stage", v.stage],
        ["Aliases", v.aliases.join(", ") || "—"],
        ["Base model", v.baseModel],
        ["Method", v.method ?? "—"],
        ["License", licenseOf(card) ?? "unknown"],
        ["Adapter files", files || "—"],
        ["Owner", card.narrative.owner || "—"],
        ["Created", day(v.createdAt)],
      ],
    ),
  ].join("\n");
}

function trainingData(card: ModelCard): string {
  const l = card.lineage;
  if (!l) return "## Training data\n\nNo training dataset recorded for this version.";
  const shares = Object.entries(l.provenance).sort(([, a], [, b]) => b - a);
  return [
    "## Training data",
    "",
    `Dataset **${l.datasetName}** v${l.version} (\`${l.datasetVersionId}\`), ${l.rows} rows.` +
      (l.evalDatasetVersionId ? ` Held-out eval set: \`${l.evalDatasetVersionId}\`.` : ""),
    "",
    shares.length > 0
      ? table(
          ["Provenance", "Share"],
          shares.map(([k, s]) => [k, `${Math.round(s * 1000) / 10}%`]),
        )
      : "No provenance recorded.",
  ].join("\n");
}

function trainingProcedure(card: ModelCard): string {
  const hp = Object.entries(card.version.hyperparameters);
  const t = card.training;
  const lines = ["## Training procedure", "", `Method: ${card.version.method ?? "unknown"}.`];
  if (t) {
    lines.push(
      "",
      `Training job \`${t.jobId}\` (trigger ${t.trigger})` +
        (t.finishedAt ? `, finished ${day(t.finishedAt)}` : "") +
        ".",
    );
    const losses = [
      t.finalLoss != null ? `final training loss ${formatMetricValue(t.finalLoss)}` : null,
      t.finalEvalLoss != null ? `final eval loss ${formatMetricValue(t.finalEvalLoss)}` : null,
    ].filter((x) => x !== null);
    if (losses.length > 0) lines.push("", `Loss: ${losses.join(", ")}.`);
  } else {
    lines.push("", "No training job recorded (the adapter was registered, not trained here).");
  }
  lines.push(
    "",
    hp.length > 0
      ? table(
          ["Hyperparameter", "Value"],
          hp.map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
        )
      : "No hyperparameters recorded.",
  );
  return lines.join("\n");
}

function evaluation(card: ModelCard): string {
  const lines = ["## Evaluation"];
  if (card.evals.length === 0) return `${lines[0]}\n\nNo evaluation yet.`;
  const suites = [...new Set(card.evals.map((e) => e.suiteName))];
  for (const suite of suites) {
    const evals = card.evals
      .filter((e) => e.suiteName === suite)
      .sort((a, b) => TARGET_ORDER[a.targetKind] - TARGET_ORDER[b.targetKind]);
    const metrics = orderedMetrics(evals);
    lines.push("", `### Suite: ${suite}`, "");
    lines.push(
      metrics.length > 0
        ? table(
            ["Metric", ...evals.map(columnHeader)],
            metrics.map((m) => [m, ...evals.map((e) => maybe(e.metrics[m]))]),
          )
        : "No metrics recorded.",
    );
    if (!evals.some((e) => e.targetKind === "PRODUCTION")) lines.push("", productionGap(card));
  }
  return lines.join("\n");
}

function columnHeader(e: ModelCardEval): string {
  const who = {
    VERSION: "this version",
    PRODUCTION: "production",
    BASE_MODEL: "base",
    ENDPOINT: "endpoint",
  }[e.targetKind];
  const n = e.caseCount !== undefined ? `, n=${e.caseCount}` : "";
  return `${e.label} (${who}${n})`;
}

/** Says why no production column is shown: none exists yet, or it was not run on this suite. */
function productionGap(card: ModelCard): string {
  const prod = card.history.find(
    (h) => h.stage === "PRODUCTION" && h.version !== card.version.version,
  );
  if (card.version.stage === "PRODUCTION") return "This version is in production.";
  return prod
    ? `Production (v${prod.version}) has not been evaluated on this suite.`
    : "No production version yet: nothing to compare with.";
}

/** How a decision reads in prose: "passed", "not evaluated"… */
const STATUS_WORDS: Record<GateStatus, string> = {
  NOT_EVALUATED: "not evaluated",
  PENDING: "pending",
  PASSED: "passed",
  FAILED: "failed",
};

function gateDecision(card: ModelCard): string {
  const status = card.gateStatus;
  // Conditions of an undecided gate were never measured: their tables would read as failures.
  const g = status === "PASSED" || status === "FAILED" ? card.gate : null;
  const lines = ["## Gate decision", ""];
  if (!g)
    lines.push(
      `**Status: ${status}** — ${status === "NOT_EVALUATED" ? "no gate evaluation yet" : "not decided yet"}.`,
    );
  else {
    lines.push(`**Status: ${status}** — ${g.caseCount} cases evaluated (minimum ${g.minCases}).`);
    if (g.conditions.length > 0)
      lines.push(
        "",
        table(
          ["Condition", "Value", "Threshold", "Result", "Note"],
          g.conditions.map((c) => [
            conditionText(c),
            maybe(c.value),
            maybe(c.effectiveThreshold),
            c.passed ? "pass" : "FAIL",
            c.note ?? "",
          ]),
        ),
      );
    if (g.slices.length > 0)
      lines.push(
        "",
        table(
          ["Slice", "Metric", "Candidate", "Production", "Drop", "Max drop", "Cases", "Result"],
          g.slices.map((s) => [
            `${s.by}=${s.key}`,
            s.metric,
            maybe(s.candidate),
            maybe(s.production),
            maybe(s.regression),
            formatMetricValue(s.maxRegression),
            String(s.cases),
            s.skipped ? `skipped${s.note ? ` (${s.note})` : ""}` : s.passed ? "pass" : "FAIL",
          ]),
        ),
      );
    if (g.intervals.length > 0)
      lines.push(
        "",
        table(
          [
            "Bootstrap CI of difference from production",
            "Mean",
            "Interval",
            "Needs lower >",
            "Result",
          ],
          g.intervals.map((i) => [
            `${i.metric} (${Math.round(i.confidence * 1000) / 10}%, n=${i.cases})`,
            maybe(i.mean),
            i.lower === null || i.upper === null
              ? (i.note ?? "—")
              : `[${formatMetricValue(i.lower)}, ${formatMetricValue(i.upper)}]`,
            formatMetricValue(i.minLowerBound),
            i.passed ? "pass" : "FAIL",
          ]),
        ),
      );
  }
  const leakage = g?.leakage;
  if (leakage)
    lines.push(
      "",
      leakage.overlapping === null
        ? `Suite vs training data: ${leakage.note ?? "not checked"}.`
        : `Suite vs training data: ${leakage.overlapping} of ${leakage.suiteCases ?? "?"} suite cases are in the candidate's training data${leakage.overlapping > 0 ? " (leakage)" : ""}.`,
    );
  const failures = card.gateFailures.length > 0 ? card.gateFailures : (g?.failures ?? []);
  if (failures.length > 0)
    lines.push(
      "",
      status === "FAILED" ? "Failures:" : "Why it has not passed:",
      "",
      ...failures.map((f) => `- ${f}`),
    );
  if (card.decisions.length > 0)
    lines.push(
      "",
      "Decisions:",
      "",
      ...card.decisions.map(
        (d) =>
          `- ${day(d.createdAt)}: ${STATUS_WORDS[d.status ?? (d.passed ? "PASSED" : "FAILED")]}` +
          (d.failures.length > 0 ? ` (${d.failures.join("; ")})` : ""),
      ),
    );
  if (card.approvals.length > 0)
    lines.push(
      "",
      "Approvals:",
      "",
      ...card.approvals.map(
        (a) => `- ${day(a.at)}: ${a.decision} by ${a.by}${a.comment ? ` — ${a.comment}` : ""}`,
      ),
    );
  return lines.join("\n");
}

function conditionText(c: GateConditionResult): string {
  if (!c.relativeTo) return `${c.metric} ${c.op} ${formatMetricValue(c.threshold)}`;
  const sign = c.threshold < 0 ? "−" : "+";
  return c.threshold === 0
    ? `${c.metric} ${c.op} production`
    : `${c.metric} ${c.op} production ${sign} ${formatMetricValue(Math.abs(c.threshold))}`;
}

const SIGNAL_WORDS = { mean_logprob: "mean", min_logprob: "minimum" } as const;

function money(x: number | null): string {
  if (x === null) return "—";
  return `$${x >= 1 ? x.toFixed(2) : Number(x.toPrecision(3)).toString()}`;
}

function percent(x: number | null): string {
  return x === null ? "—" : `${Math.round(x * 1000) / 10}%`;
}

/** The routing calibration: the escalation rule and what it gives against frontier-only. */
function routing(card: ModelCard): string {
  const r = card.routing;
  if (!r)
    return "## Routing\n\nNo routing calibration yet: run one on the version page with a frontier endpoint's run of the same suite.";
  const lines = [
    "## Routing",
    "",
    `Calibrated ${day(r.createdAt)} on suite ${r.suiteName} (${r.cases} cases, correctness by ${r.metric}) ` +
      `against ${r.frontierLabel}, thresholding the ${SIGNAL_WORDS[r.signal]} token log-probability ` +
      `within ${formatMetricValue(r.margin)} of frontier-only accuracy.`,
    "",
  ];
  if (!r.rule) {
    lines.push("No threshold was chosen (the runs had no cases).");
    return lines.join("\n");
  }
  lines.push(
    `Rule: ${r.ruleDescription ?? ""} (τ = ${String(r.rule.minConfidence)})`,
    "",
    table(
      ["", "Kept by this version", "Accuracy", "Cost per 1,000 calls"],
      [
        ["Hybrid (chosen τ)", percent(r.keptShare), maybe(r.hybridAccuracy), money(r.costPer1kUsd)],
        ["Frontier only", "0%", maybe(r.frontierAccuracy), money(r.frontierCostPer1kUsd)],
      ],
    ),
    "",
    `Prices: ${r.prices}.`,
  );
  return lines.join("\n");
}

function cost(card: ModelCard): string {
  const t = card.training;
  // Cards stored before `compute` existed know only GPU seconds.
  const compute =
    t?.compute ?? (t?.gpuSeconds != null ? { device: "GPU", seconds: t.gpuSeconds } : null);
  if (!t || (compute === null && t.costUsd === null))
    return "## Cost\n\nNo training cost recorded.";
  const parts = [
    compute !== null ? `${(compute.seconds / 3600).toFixed(2)} ${compute.device}-hours` : null,
    t.costUsd !== null ? `$${t.costUsd.toFixed(2)}` : null,
  ].filter((x) => x !== null);
  return `## Cost\n\nTraining: ${parts.join(", ")}.`;
}

function versionHistory(card: ModelCard): string {
  if (card.history.length === 0) return "## Version history\n\nNo other versions.";
  const rows = [...card.history]
    .sort((a, b) => b.version - a.version)
    .map((h) => [
      h.version === card.version.version ? `v${h.version} (this version)` : `v${h.version}`,
      h.stage,
      day(h.createdAt),
      h.promotions
        .map(
          (p) =>
            `${p.from ?? "new"} → ${p.to}, ${day(p.at)}` +
            (p.by ? ` by ${p.by}` : "") +
            (p.reason ? ` (${p.reason})` : ""),
        )
        .join("; ") || "—",
    ]);
  return `## Version history\n\n${table(["Version", "Stage", "Created", "Promotions"], rows)}`;
}

/** Metrics present in any of the evals, in the contract's order (case metrics first). */
function orderedMetrics(evals: readonly ModelCardEval[]): MetricName[] {
  return METRIC_NAMES.filter((m) => evals.some((e) => e.metrics[m] !== undefined));
}

/** A GFM table; cells are escaped so user text cannot break the layout. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(" | ")} |`;
  return [line(header), `|${header.map(() => " --- |").join("")}`, ...rows.map(line)].join("\n");
}

/** A pipe ends a cell and a newline ends the row, even inside code spans. */
export function escapeCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function maybe(x: number | null | undefined): string {
  return x === null || x === undefined ? "—" : formatMetricValue(x);
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
