import type { Preflight, PreflightFinding } from "@/lib/schemas/training-preflight";
import type { BadgeTone } from "@/lib/client/badge-tone";
import { formatCount } from "@/lib/client/format-units";
import { Badge } from "@/components/ui/badge";
import { RenderedExampleView } from "./rendered-example";

const SEVERITY_ORDER: PreflightFinding["severity"][] = ["error", "warning", "info"];
const SEVERITY_TONE: Record<PreflightFinding["severity"], BadgeTone> = {
  error: "danger",
  warning: "warning",
  info: "info",
};
const MAX_EXAMPLES = 3;
const RENDERED_TOKENS_HINT =
  "Rendered tokens: the whole example through the base model's chat template (special tokens, tool format and all), as the trainer tokenizes it. The dataset report's content tokens count message text and tool definitions without a template, so the two differ.";
const SCANNED_HINT =
  "The rows dataset validation accepted, on each side of the dataset's own train/eval split: the dataset report's train / eval counts, and the rows the job trains and evaluates on.";

function Check({
  ok,
  label,
  detail,
  warnOnly = false,
}: {
  ok: boolean;
  label: string;
  detail: string;
  warnOnly?: boolean;
}) {
  return (
    <li className="preflight-check" aria-label={`${label}: ${ok ? "yes" : "no"}`}>
      <span className={ok ? "check-ok" : warnOnly ? "check-warn" : "check-bad"} aria-hidden="true">
        {ok ? "✓" : "✗"}
      </span>
      <span>
        <strong>{label}</strong> <span className="muted">{detail}</span>
      </span>
    </li>
  );
}

/**
 * The pre-flight on the real data: examples through the base model's chat template with the
 * trained spans marked, end-of-turn training, truncation, train/eval leakage, and findings.
 */
export function PreflightView({ preflight }: { preflight: Preflight }) {
  const { truncated, leakage } = preflight;
  const findings = [...preflight.findings].sort(
    (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  return (
    <div className="stack">
      <ul className="preflight-checks">
        <Check
          ok={preflight.eotTrained}
          label="End-of-turn token trained"
          detail={
            preflight.eotTrained
              ? `${preflight.template.endOfTurn} closes every assistant turn: the model learns to stop.`
              : `${preflight.template.endOfTurn} is outside some assistant spans: the model may not learn to stop.`
          }
        />
        <Check
          ok={truncated.count === 0}
          warnOnly
          label="Truncated"
          detail={`${formatCount(truncated.count)} of ${formatCount(truncated.of)} examples exceed ${formatCount(truncated.sequenceLen)} tokens (longest ${formatCount(truncated.maxTokens)})${truncated.lines.length ? `; lines ${truncated.lines.slice(0, 5).join(", ")}` : ""}.`}
        />
        <Check
          ok={leakage.count === 0}
          warnOnly
          label="Leakage"
          detail={`${formatCount(leakage.count)} eval example${leakage.count === 1 ? "" : "s"} also in the training set${leakage.lines.length ? ` (eval line ${leakage.lines[0]!.evalLine} = train line ${leakage.lines[0]!.trainLine}${leakage.lines.length > 1 ? ", …" : ""})` : ""}.`}
        />
      </ul>
      <p className="muted small">
        Template <span className="mono">{preflight.template.name}</span>
        {preflight.template.supportsTools ? " (with tools)" : " (no tool support)"} ·{" "}
        <span title={RENDERED_TOKENS_HINT}>rendered tokens</span> by{" "}
        <span className="mono">{preflight.tokenCount.tokenizer}</span>
        {preflight.tokenCount.exact ? "" : " (estimated)"} ·{" "}
        <span title={SCANNED_HINT}>
          scanned {formatCount(preflight.scanned.trainRows)} train /{" "}
          {formatCount(preflight.scanned.evalRows)} eval rows
        </span>
        {preflight.scanned.capped ? " (capped: the first rows only)" : ""}
      </p>
      {findings.length > 0 && (
        <ul className="preflight-findings" aria-label="Pre-flight findings">
          {findings.map((f, i) => (
            <li key={i} className={`preflight-finding preflight-finding-${f.severity}`}>
              <Badge tone={SEVERITY_TONE[f.severity]}>{f.severity}</Badge>{" "}
              <span className="mono small">{f.code}</span>
              <p>{f.message}</p>
            </li>
          ))}
        </ul>
      )}
      {preflight.renderedExamples.length > 0 && (
        <details className="rendered-examples" open>
          <summary>
            First {Math.min(MAX_EXAMPLES, preflight.renderedExamples.length)} examples as the
            trainer sees them{" "}
            <span className="muted">
              (highlighted: trained tokens; token counts are rendered tokens)
            </span>
          </summary>
          <div className="stack">
            {preflight.renderedExamples.slice(0, MAX_EXAMPLES).map((ex) => (
              <RenderedExampleView key={ex.line} example={ex} sequenceLen={truncated.sequenceLen} />
            ))}
          </div>
        </details>
      )}
    </div>
  );
}
