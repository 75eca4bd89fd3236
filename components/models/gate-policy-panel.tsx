"use client";

import { useState } from "react";
import type { GatePolicy } from "@/lib/schemas/gates";
import { fieldErrors } from "@/lib/client/api";
import { formatCondition, METRIC_LABEL } from "@/lib/client/eval-metrics";
import { useUpdateModel } from "@/lib/client/hooks/models";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { GatePolicyEditor } from "./gate-policy-editor";
import { formToPolicy, policyToForm, type GatePolicyFormState } from "./gate-policy-form";

/** The policy in sentences: what a candidate must reach before it can be promoted. */
export function GatePolicySummary({ policy }: { policy: GatePolicy }) {
  return (
    <div className="stack">
      {policy.conditions.length > 0 ? (
        <ul className="gate-policy-list">
          {policy.conditions.map((c, i) => (
            <li key={i}>
              <strong>{METRIC_LABEL[c.metric]}</strong>{" "}
              <span className="mono">{formatCondition(c)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No metric conditions.</p>
      )}
      {policy.sliceConditions.length > 0 && (
        <ul className="gate-policy-list">
          {policy.sliceConditions.map((s, i) => (
            <li key={i}>
              No {s.by} slice of <strong>{METRIC_LABEL[s.metric]}</strong> more than{" "}
              <span className="mono">{s.maxRegression}</span> below production (slices of ≥{" "}
              {s.minCasesPerSlice} cases)
            </li>
          ))}
        </ul>
      )}
      {policy.ciConditions.length > 0 && (
        <ul className="gate-policy-list">
          {policy.ciConditions.map((c, i) => (
            <li key={i}>
              {Math.round(c.confidence * 100)}% interval of{" "}
              <strong>{METRIC_LABEL[c.metric]}</strong> − production above{" "}
              <span className="mono">{c.minLowerBound}</span>
            </li>
          ))}
        </ul>
      )}
      <dl className="fact-row">
        <div>
          <dt>Minimum cases</dt>
          <dd>{policy.minCases}</dd>
        </div>
        <div>
          <dt>Approval</dt>
          <dd>
            {policy.requireApproval
              ? `required, by ${policy.approverRoles.join(" or ")}${policy.approverMustDifferFromLauncher ? ", not the launcher" : ""}`
              : "not required"}
          </dd>
        </div>
        <div>
          <dt>Auto-promote</dt>
          <dd>{policy.autoPromoteTo ? `to ${policy.autoPromoteTo.toLowerCase()}` : "off"}</dd>
        </div>
      </dl>
    </div>
  );
}

function EditGatePolicyDialog({ modelId, policy }: { modelId: string; policy: GatePolicy | null }) {
  const update = useUpdateModel(modelId);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<GatePolicyFormState>(() => policyToForm(policy));
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) setForm(policyToForm(policy));
    else {
      update.reset();
      setErrors({});
    }
  }

  function save() {
    const result = formToPolicy(form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    update.mutate({ gatePolicy: result.policy }, { onSuccess: () => setOpen(false) });
  }

  const server = Object.fromEntries(
    Object.entries(fieldErrors(update.error))
      .filter(([k]) => k.startsWith("gatePolicy."))
      .map(([k, m]) => [k.slice("gatePolicy.".length), m]),
  );
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button size="sm" aria-label="Edit gate policy">
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Edit gate policy"
        description="Applies to versions evaluated from now on; past decisions keep their evidence."
        className="dialog-wide"
      >
        <div className="form">
          <GatePolicyEditor value={form} onChange={setForm} errors={{ ...server, ...errors }} />
          {update.error && Object.keys(server).length === 0 && (
            <ErrorState title="Could not save the gate policy" error={update.error} />
          )}
          <DialogFooter>
            <Button onClick={() => onOpenChange(false)} disabled={update.isPending}>
              Cancel
            </Button>
            <Button variant="primary" loading={update.isPending} onClick={save}>
              Save gate policy
            </Button>
          </DialogFooter>
        </div>
      </DialogContent>
    </Dialog>
  );
}

/** The Model's gate policy, with Edit for engineers and above. */
export function GatePolicyPanel({
  modelId,
  policy,
  editable,
}: {
  modelId: string;
  policy: GatePolicy | null;
  editable: boolean;
}) {
  return (
    <Card aria-labelledby="gate-policy-title">
      <CardHeader
        title={<span id="gate-policy-title">Gate policy</span>}
        description="What a candidate must reach on the suite before it can be promoted."
        actions={editable ? <EditGatePolicyDialog modelId={modelId} policy={policy} /> : undefined}
      />
      {policy ? (
        <CardBody>
          <GatePolicySummary policy={policy} />
        </CardBody>
      ) : (
        <EmptyState
          title="No gate policy"
          description="Without one, nothing decides a version's gate, so none passes: production needs an owner's override with a reason. Add conditions with Edit."
        />
      )}
    </Card>
  );
}
