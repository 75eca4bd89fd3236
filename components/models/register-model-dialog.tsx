"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createModelBodySchema } from "@/lib/schemas/models";
import { fieldErrors } from "@/lib/client/api";
import { useEvalSuites } from "@/lib/client/hooks/evals";
import { useCreateModel } from "@/lib/client/hooks/models";
import { modelHref } from "@/lib/client/hrefs";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { GatePolicyEditor } from "./gate-policy-editor";
import { formToPolicy, policyToForm, type GatePolicyFormState } from "./gate-policy-form";

/** Registers a Model: name, description, its eval suite and its gate policy. */
export function RegisterModelDialog() {
  const router = useRouter();
  const create = useCreateModel();
  const suites = useEvalSuites();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [suiteId, setSuiteId] = useState("");
  const [policy, setPolicy] = useState<GatePolicyFormState>(() => policyToForm(null));
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      create.reset();
      setErrors({});
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const gate = formToPolicy(policy);
    const next: Record<string, string> = {};
    if (!gate.ok) for (const [k, m] of Object.entries(gate.errors)) next[`gatePolicy.${k}`] = m;
    const parsed = createModelBodySchema.safeParse({
      name,
      description: description.trim() || undefined,
      evalSuiteId: suiteId || undefined,
      gatePolicy: gate.ok ? gate.policy : undefined,
    });
    if (!parsed.success)
      for (const issue of parsed.error.issues) next[issue.path.join(".")] ??= issue.message;
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsed.success) return;
    create.mutate(parsed.data, {
      onSuccess: (model) => {
        setOpen(false);
        router.push(modelHref(model.id));
      },
    });
  }

  const server = fieldErrors(create.error);
  const all = { ...server, ...errors };
  const policyErrors = Object.fromEntries(
    Object.entries(all)
      .filter(([k]) => k.startsWith("gatePolicy."))
      .map(([k, m]) => [k.slice("gatePolicy.".length), m]),
  );
  const suiteOptions = [
    { value: "", label: suites.isPending ? "Loading suites…" : "No suite yet" },
    ...(suites.data ?? []).map((s) => ({
      value: s.id,
      label: `${s.name} (${s.datasetName} v${s.datasetVersion}, ${s.split})`,
    })),
  ];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary">Register model</Button>
      </DialogTrigger>
      <DialogContent
        title="Register model"
        description="A fine-tunable agent component. Its versions are evaluated on the suite and gated by the policy."
        className="dialog-wide"
      >
        <form className="form" onSubmit={submit} noValidate>
          <Field label="Name" error={all.name} required hint="e.g. “support-agent tool caller”.">
            <Input
              name="name"
              autoComplete="off"
              autoFocus
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
          </Field>
          <Field label="Description" error={all.description}>
            <Textarea
              rows={2}
              maxLength={2000}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
          </Field>
          <Field
            label="Eval suite"
            error={all.evalSuiteId ?? (suites.isError ? "could not load suites" : undefined)}
            hint="Every new version is evaluated on it, and so are production and the base model."
          >
            <Select
              options={suiteOptions}
              value={suiteId}
              onChange={(e) => setSuiteId(e.currentTarget.value)}
            />
          </Field>
          <h3 className="form-section-title">Gate policy</h3>
          <GatePolicyEditor value={policy} onChange={setPolicy} errors={policyErrors} />
          {create.error && Object.keys(server).length === 0 && (
            <ErrorState title="Could not register the model" error={create.error} />
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={create.isPending}>
              Register model
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
