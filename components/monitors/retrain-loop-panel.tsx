"use client";

import { useState } from "react";
import type { RetrainRequest } from "@/lib/schemas/retrain";
import { formatCount } from "@/lib/client/format-units";
import { isLoopLive, useRetrains } from "@/lib/client/hooks/retrain";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { QueryView } from "@/components/ui/query-view";
import { TimeStamp } from "@/components/ui/time-stamp";
import {
  RETRAIN_STATUS_LABEL,
  RETRAIN_STATUS_TONE,
  RETRAIN_TRIGGER_LABEL,
  RETRAIN_TRIGGER_TONE,
} from "./labels";
import { LoopStepper } from "./loop-stepper";

/** Requests drawn before "Show all": the newest matter, older ones are history. */
const FIRST = 5;

function RetrainItem({ request }: { request: RetrainRequest }) {
  const live = isLoopLive(request);
  return (
    <article
      className="stack"
      aria-label={`Retrain (${RETRAIN_TRIGGER_LABEL[request.trigger]}), ${RETRAIN_STATUS_LABEL[request.status].toLowerCase()}`}
      data-testid="retrain-request"
      data-status={request.status}
      data-trigger={request.trigger}
      style={{ paddingBottom: 14, borderBottom: "1px solid var(--border)" }}
    >
      <div className="inline-gap" style={{ flexWrap: "wrap" }}>
        <Badge tone={RETRAIN_TRIGGER_TONE[request.trigger]}>
          {RETRAIN_TRIGGER_LABEL[request.trigger]}
        </Badge>
        <Badge tone={live ? "info" : RETRAIN_STATUS_TONE[request.status]}>
          {RETRAIN_STATUS_LABEL[request.status]}
        </Badge>
        <span className="muted small">
          <TimeStamp iso={request.createdAt} />
          {request.traceCount !== null && ` · ${formatCount(request.traceCount)} traces`}
        </span>
      </div>
      <p
        className={request.status === "SKIPPED" ? "strong" : undefined}
        data-testid="retrain-reason"
      >
        {request.reason}
      </p>
      {request.error && <p className="small text-danger">{request.error}</p>}
      {request.steps.length > 0 && <LoopStepper steps={request.steps} />}
    </article>
  );
}

/** The re-tunes, newest first: the latest few, or all of them on request. */
function RetrainList({ requests }: { requests: RetrainRequest[] }) {
  const [all, setAll] = useState(false);
  const shown = all ? requests : requests.slice(0, FIRST);
  return (
    <CardBody>
      {shown.map((r) => (
        <RetrainItem key={r.id} request={r} />
      ))}
      {requests.length > FIRST && (
        <div>
          <Button size="sm" onClick={() => setAll(!all)}>
            {all ? `Show the latest ${FIRST}` : `Show all ${requests.length} re-tunes`}
          </Button>
        </div>
      )}
    </CardBody>
  );
}

/**
 * The Model's retraining loop: each retrain request (drift breach, schedule or "Run now") drawn as
 * trigger → dataset → job → eval → gate → promotion. Re-read every 3 s while one is moving.
 */
export function RetrainLoopPanel({ modelId }: { modelId: string }) {
  const retrains = useRetrains(modelId);
  const moving = (retrains.data ?? []).some(isLoopLive);
  return (
    <Card aria-labelledby="retraining-title" id="retraining" data-testid="retraining-loop">
      <CardHeader
        title={<span id="retraining-title">Retraining loop</span>}
        description="Each re-tune from breach or schedule to dataset, job, evaluation, gate and promotion."
        actions={
          moving ? (
            <span className="muted small" role="status">
              Live: updates every few seconds
            </span>
          ) : undefined
        }
      />
      <QueryView
        query={retrains}
        loading="Loading retrains…"
        rows={2}
        errorTitle="Could not load retrains"
        isEmpty={(requests) => requests.length === 0}
        empty={
          <EmptyState
            title="No re-tunes yet"
            description="A monitor breach with the retrain action, the retrain policy's schedule, or “Run now” starts one; each shows here step by step."
          />
        }
      >
        {(requests) => <RetrainList requests={requests} />}
      </QueryView>
    </Card>
  );
}
