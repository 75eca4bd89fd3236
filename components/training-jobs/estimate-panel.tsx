import type { TrainingEstimate } from "@/lib/schemas/training-jobs";
import {
  formatCompact,
  formatCount,
  formatDecimal,
  formatGb,
  formatHours,
  formatUsd,
} from "@/lib/client/format-units";
import { Badge } from "@/components/ui/badge";
import { TrainingWarnings } from "./training-warnings";
import { VramBar } from "./vram-bar";

function Stat({
  label,
  value,
  sub,
  hint,
}: {
  label: string;
  value: string;
  sub?: string;
  /** What the number is, by definition (a tooltip). */
  hint?: string;
}) {
  return (
    <div className="estimate-stat" role="group" aria-label={label} title={hint}>
      <dt className="stat-name">{label}</dt>
      <dd className="estimate-value">
        {value}
        {sub && <span className="stat-sub"> {sub}</span>}
      </dd>
    </div>
  );
}

/**
 * What the run needs: GPU memory and whether it fits the chosen GPU, tokens, steps, time and
 * cost. The numbers come from lib/domain/training-estimate (documented there).
 */
export function EstimateView({
  estimate,
  gpuLabel,
  cpu,
}: {
  estimate: TrainingEstimate;
  gpuLabel: string;
  cpu: boolean;
}) {
  return (
    <div className="stack">
      <div className="estimate-head">
        <span className="estimate-vram">
          <span className="stat-number">{formatGb(estimate.vramGb)}</span>
          <span className="muted"> {cpu ? "of memory" : "of GPU memory"}</span>
        </span>
        {cpu ? (
          <Badge tone="neutral">Runs on CPU</Badge>
        ) : estimate.fits ? (
          <Badge tone="success">✓ Fits {gpuLabel}</Badge>
        ) : (
          <Badge tone="danger">✗ Does not fit {gpuLabel}</Badge>
        )}
      </div>
      <VramBar estimate={estimate} gpuLabel={gpuLabel} />
      <dl className="estimate-grid">
        <Stat
          label="Tokens per epoch"
          value={formatCompact(estimate.tokensPerEpoch)}
          sub="content tokens"
          hint="The dataset report's content tokens (message text and tool definitions, no chat template) of the training split. The pre-flight's rendered tokens, through the base model's template, differ."
        />
        <Stat label="Steps" value={formatCount(estimate.steps)} />
        {estimate.epochs !== null && (
          <Stat
            label="Epochs"
            value={formatDecimal(estimate.epochs)}
            sub="passes over the training rows"
            hint="Steps ÷ steps per epoch; a step is micro batch × accumulation × GPUs rows of the training split."
          />
        )}
        {/* No throughput table for CPUs: the estimate has no time for them. */}
        <Stat
          label="Time"
          value={cpu && estimate.hours === 0 ? "—" : formatHours(estimate.hours)}
          sub={cpu && estimate.hours === 0 ? "not estimated on CPU" : undefined}
        />
        <Stat label="Cost" value={formatUsd(estimate.costUsd)} />
        <Stat label="LoRA parameters" value={formatCompact(estimate.loraParams)} />
      </dl>
      <TrainingWarnings warnings={estimate.warnings} />
    </div>
  );
}
