"use client";

import { useState } from "react";
import type { ModelVersionDetail } from "@/lib/schemas/models";
import { ApiClientError } from "@/lib/client/api";
import { usePromoteVersion } from "@/lib/client/hooks/models";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { canOverride } from "@/lib/client/permissions";
import { STAGE_LABEL } from "@/lib/client/registry-labels";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Textarea } from "@/components/ui/textarea";

type Stage = ModelVersionDetail["stage"];

type PromoteDialogProps = {
  versionId: string;
  /** "support-agent v3", for the dialog's title. */
  versionName: string;
  stage: Stage;
  /** The trigger's and the confirm button's label: "Promote to production", "Make production". */
  label: string;
  description: string;
  variant?: ButtonProps["variant"];
  size?: ButtonProps["size"];
  /** An accessible name for the trigger when the label repeats (a table row per version). */
  triggerAriaLabel?: string;
};

/** A 409 is the gate or the approval saying no; its message names what failed. */
function isBlocked(e: unknown): boolean {
  return e instanceof ApiClientError && e.status === 409;
}

/**
 * Moves a version to a stage after asking, with an optional reason. When the server refuses
 * (409: failing gate conditions or a missing approval) its message is shown verbatim, and an
 * OWNER may override with a reason, which is audited.
 */
export function PromoteDialog({
  versionId,
  versionName,
  stage,
  label,
  description,
  variant = "secondary",
  size = "md",
  triggerAriaLabel,
}: PromoteDialogProps) {
  const promote = usePromoteVersion();
  const active = useActiveTeam();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const blocked = isBlocked(promote.error);
  const owner = canOverride(active?.team.role);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      promote.reset();
      setReason("");
      setReasonError(null);
    }
  }

  function run(override: boolean) {
    const text = reason.trim();
    if (override && !text) {
      setReasonError("an override needs a reason");
      return;
    }
    setReasonError(null);
    promote.mutate(
      { id: versionId, stage, reason: text || undefined, override },
      { onSuccess: () => onOpenChange(false) },
    );
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant={variant} size={size} aria-label={triggerAriaLabel}>
          {label}
        </Button>
      </DialogTrigger>
      <DialogContent title={`${label}: ${versionName}`} description={description}>
        <div className="form">
          <Field
            label={blocked && owner ? "Reason (required to override)" : "Reason"}
            hint={`Kept in the promotion history and the audit log. Target stage: ${STAGE_LABEL[stage]}.`}
            error={reasonError}
          >
            <Textarea
              rows={2}
              maxLength={2000}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
          </Field>
          {promote.error != null && (
            <ErrorState
              title={blocked ? "Promotion blocked" : `${label} failed`}
              error={promote.error}
            />
          )}
          {blocked && owner && (
            <Notice tone="warning">
              <strong>Override with a reason.</strong> As an owner you may promote although the gate
              or the approval says no. The override and your reason are recorded.
            </Notice>
          )}
          {blocked && !owner && (
            <p className="muted small">Only an owner can override this, with a reason.</p>
          )}
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)} disabled={promote.isPending}>
              Cancel
            </Button>
            {blocked && owner ? (
              <Button variant="danger" loading={promote.isPending} onClick={() => run(true)}>
                Override and promote
              </Button>
            ) : (
              <Button
                variant={stage === "ARCHIVED" ? "danger" : "primary"}
                loading={promote.isPending}
                disabled={blocked}
                onClick={() => run(false)}
              >
                {label}
              </Button>
            )}
          </DialogFooter>
        </div>
      </DialogContent>
    </Dialog>
  );
}
