"use client";

import { useState } from "react";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import { STAGE_LABEL } from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TimeStamp } from "@/components/ui/time-stamp";

/** Every stage change of the version, newest first: who, when, why, and overrides flagged. */
export function PromotionsTimeline({
  promotions,
}: {
  promotions: ModelVersionDetail["promotions"];
}) {
  const sorted = [...promotions].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <Card aria-labelledby="promotions-title">
      <CardHeader title={<span id="promotions-title">Promotions</span>} />
      {sorted.length === 0 ? (
        <EmptyState
          title="No stage changes yet"
          description="It is still where it was registered."
        />
      ) : (
        <CardBody>
          <ol className="timeline" aria-label="Promotions">
            {sorted.map((p, i) => (
              <li
                key={i}
                className={`timeline-item ${p.toStage === "PRODUCTION" ? "timeline-succeeded" : p.toStage === "ARCHIVED" ? "timeline-cancelled" : "timeline-running"}`}
              >
                <div className="timeline-head">
                  <strong>
                    {STAGE_LABEL[p.fromStage]} → {STAGE_LABEL[p.toStage]}
                  </strong>
                  <Badge>{p.kind.toLowerCase().replace(/_/g, " ")}</Badge>
                  {p.override && <Badge tone="danger">override</Badge>}
                  <span className="muted">
                    <TimeStamp iso={p.createdAt} />
                    {p.actor ? ` · ${p.actor}` : ""}
                  </span>
                </div>
                {p.reason && <p className="timeline-reason">{p.reason}</p>}
              </li>
            ))}
          </ol>
        </CardBody>
      )}
    </Card>
  );
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <Button
      size="sm"
      aria-label={label}
      onClick={() =>
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        )
      }
      onBlur={() => setState("idle")}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : "Copy"}
    </Button>
  );
}

/**
 * Whether vLLM can serve this adapter (it refuses modules_to_save, DoRA and ranks above
 * --max-lora-rank), and the command to serve it when it can.
 */
export function ServabilityPanel({
  servability,
}: {
  servability: ModelVersionDetail["servability"];
}) {
  return (
    <Card aria-labelledby="serving-title">
      <CardHeader
        title={<span id="serving-title">vLLM serving</span>}
        description={
          servability ? (
            <span className="inline-gap">
              {servability.servable ? (
                <Badge tone="success">Servable</Badge>
              ) : (
                <Badge tone="danger">Not servable</Badge>
              )}
              <span className="muted">
                rank {servability.rank ?? "unknown"} · max LoRA rank {servability.maxLoraRank}
              </span>
            </span>
          ) : undefined
        }
      />
      {!servability ? (
        <EmptyState
          title="No adapter config"
          description="Servability is checked from adapter_config.json, which this version does not have."
        />
      ) : (
        <CardBody>
          <div className="stack">
            {servability.problems.length > 0 && (
              <div className="gate-failures" role="group" aria-label="Serving problems">
                <p className="strong">vLLM would refuse this adapter</p>
                <ul>
                  {servability.problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              </div>
            )}
            {servability.snippet && (
              <div className="stack">
                <div className="inline-gap">
                  <span className="field-label">Serve it with</span>
                  <CopyButton text={servability.snippet} label="Copy vLLM command" />
                </div>
                <pre className="code-block" aria-label="vLLM command" tabIndex={0}>
                  {servability.snippet}
                </pre>
              </div>
            )}
          </div>
        </CardBody>
      )}
    </Card>
  );
}
