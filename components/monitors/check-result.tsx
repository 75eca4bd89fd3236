import Link from "next/link";
import type { CheckResult, Monitor } from "@/lib/schemas/monitors";
import { formatCount } from "@/lib/client/format-units";
import { retrainingHref, jobHref } from "@/lib/client/hrefs";
import { Badge } from "@/components/ui/badge";
import { formatCondition, formatMonitorValue } from "./format";
import { CHECK_OUTCOME_LABEL, CHECK_STATUS_LABEL, CHECK_STATUS_TONE } from "./labels";

/** What "Check now" found: the value against the condition, the samples, and what it set off. */
export function CheckResultView({ result, monitor }: { result: CheckResult; monitor: Monitor }) {
  const { check } = result;
  return (
    <div className="notice notice-info" data-testid="check-result">
      <dl className="fact-row">
        <div>
          <dt>Value</dt>
          <dd className="mono" data-testid="check-result-value">
            {formatMonitorValue(monitor.metric, result.value)}{" "}
            <span className="muted">
              (breaches {formatCondition(monitor.metric, monitor.comparator, monitor.threshold)})
            </span>
          </dd>
        </div>
        <div>
          <dt>Samples</dt>
          <dd className="mono">
            {formatCount(result.samples)}{" "}
            <span className="muted">(minimum {formatCount(monitor.minSamples)})</span>
          </dd>
        </div>
        <div>
          <dt>Result</dt>
          <dd>
            <Badge tone={CHECK_STATUS_TONE[check.status]} data-testid="check-result-status">
              {result.breached ? "Breached" : CHECK_STATUS_LABEL[check.status]}
            </Badge>
          </dd>
        </div>
        {check.outcome && (
          <div>
            <dt>Outcome</dt>
            <dd>{CHECK_OUTCOME_LABEL[check.outcome]}</dd>
          </div>
        )}
        {result.retrainJobId ? (
          <div>
            <dt>Retrain</dt>
            <dd>
              <Link href={jobHref(result.retrainJobId)} data-testid="check-result-job">
                Training job
              </Link>{" "}
              · <Link href={retrainingHref(monitor.modelId)}>the loop</Link>
            </dd>
          </div>
        ) : (
          result.retrainRequestId && (
            <div>
              <dt>Retrain</dt>
              <dd>
                <Link href={retrainingHref(monitor.modelId)}>View the retrain request</Link>
              </dd>
            </div>
          )
        )}
      </dl>
    </div>
  );
}
