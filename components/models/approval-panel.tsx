"use client";

import { useState } from "react";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import { useApproveVersion } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canApprove } from "@/lib/client/permissions";
import { APPROVAL_LABEL, APPROVAL_TONE } from "@/lib/client/registry-labels";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { TimeStamp } from "@/components/ui/time-stamp";

/** Whether approval is required, who decided what, and Approve/Reject for approver roles. */
export function ApprovalPanel({ version }: { version: ModelVersionDetail }) {
  const { approval } = version;
  const active = useActiveTeam();
  const approve = useApproveVersion(version.id);
  const [comment, setComment] = useState("");
  const [pending, setPending] = useState<"approve" | "reject" | null>(null);
  const allowed = canApprove(active?.team.role, approval.approverRoles);
  const open = approval.required && approval.status === "PENDING";

  function decide(decision: "approve" | "reject") {
    setPending(decision);
    approve.mutate(
      { decision, comment: comment.trim() || undefined },
      {
        onSuccess: () => setComment(""),
        onSettled: () => setPending(null),
      },
    );
  }

  return (
    <Card aria-labelledby="approval-title">
      <CardHeader
        title={<span id="approval-title">Approval</span>}
        description={
          <span className="inline-gap">
            <Badge tone={APPROVAL_TONE[approval.status]} data-testid="approval-status">
              {APPROVAL_LABEL[approval.status]}
            </Badge>
            {approval.required && (
              <span className="muted">
                by {approval.approverRoles.join(" or ")}
                {!approval.launcherMayApprove && ", not whoever launched the training job"}
              </span>
            )}
          </span>
        }
      />
      <CardBody>
        <div className="stack">
          {!approval.required && (
            <p className="muted">The gate policy does not require approval for production.</p>
          )}
          {approval.decisions.length > 0 ? (
            <ul className="decision-list" aria-label="Approval decisions">
              {approval.decisions.map((d, i) => (
                <li key={i} className={`decision decision-${d.decision.toLowerCase()}`}>
                  <span className="inline-gap">
                    <Badge tone={d.decision === "APPROVE" ? "success" : "danger"}>
                      {d.decision === "APPROVE" ? "Approved" : "Rejected"}
                    </Badge>
                    <strong>{d.userName}</strong>
                    <span className="muted">{d.role}</span>
                    <span className="muted">
                      <TimeStamp iso={d.createdAt} />
                    </span>
                  </span>
                  {d.comment && <p className="decision-comment">{d.comment}</p>}
                </li>
              ))}
            </ul>
          ) : (
            approval.required && <p className="muted">No decisions yet.</p>
          )}
          {open && allowed && (
            <div className="stack approval-form">
              <Field label="Comment" hint="Optional; shown in the model card and the audit log.">
                <Textarea
                  rows={2}
                  maxLength={2000}
                  value={comment}
                  onChange={(e) => setComment(e.currentTarget.value)}
                />
              </Field>
              {approve.error && (
                <ErrorState title="Could not record the decision" error={approve.error} />
              )}
              <div className="inline-gap">
                <Button
                  variant="primary"
                  loading={pending === "approve"}
                  disabled={pending !== null}
                  onClick={() => decide("approve")}
                >
                  Approve
                </Button>
                <Button
                  variant="danger"
                  loading={pending === "reject"}
                  disabled={pending !== null}
                  onClick={() => decide("reject")}
                >
                  Reject
                </Button>
              </div>
            </div>
          )}
          {open && !allowed && active && (
            <p className="muted">
              Waiting for {approval.approverRoles.join(" or ")}; your role is {active.team.role}.
            </p>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
