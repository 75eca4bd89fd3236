"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { createEvalRunBodySchema } from "@/lib/schemas/evals";
import { RESERVED_SECRET_PREFIX } from "@/lib/schemas/secrets";
import { fieldErrors } from "@/lib/client/api";
import { useCreateEvalRun, useEvalSuites } from "@/lib/client/hooks/evals";
import { useBaseModels } from "@/lib/client/hooks/training-jobs";
import { useSecrets } from "@/lib/client/hooks/webhooks";
import { evalRunHref } from "@/lib/client/hrefs";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
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
import { ModelVersionPicker } from "./model-version-picker";

type Kind = "modelVersion" | "baseModel" | "endpoint";

const KINDS: { value: Kind; label: string; hint: string }[] = [
  {
    value: "modelVersion",
    label: "Model version",
    hint: "A registered adapter, served with its base.",
  },
  { value: "baseModel", label: "Base model", hint: "The base model alone, without an adapter." },
  {
    value: "endpoint",
    label: "Endpoint",
    hint: "Any OpenAI-compatible API: vLLM with an adapter, or a frontier model as a baseline.",
  },
];

/**
 * Starts a run of a suite against a model version (picked by name, never a pasted id), a base
 * model or an endpoint. `defaultModelVersionId`: the version page's "Run eval" opens with it
 * chosen.
 */
export function RunEvalDialog({
  defaultSuiteId = "",
  defaultModelVersionId = "",
}: {
  defaultSuiteId?: string;
  defaultModelVersionId?: string;
}) {
  const router = useRouter();
  const create = useCreateEvalRun();
  const suites = useEvalSuites();
  const [open, setOpen] = useState(false);
  const [suiteId, setSuiteId] = useState(defaultSuiteId);
  const [kind, setKind] = useState<Kind>("modelVersion");
  const [versionId, setVersionId] = useState(defaultModelVersionId);
  const [baseModel, setBaseModel] = useState("");
  const [url, setUrl] = useState("");
  const [model, setModel] = useState("");
  const [secret, setSecret] = useState("");
  const [inPrice, setInPrice] = useState("");
  const [outPrice, setOutPrice] = useState("");
  const [force, setForce] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const baseModels = useBaseModels();
  const secrets = useSecrets({ enabled: open && kind === "endpoint" });

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setSuiteId((s) => s || defaultSuiteId);
      setVersionId((v) => v || defaultModelVersionId);
    } else {
      create.reset();
      setErrors({});
    }
  }

  function target() {
    if (kind === "modelVersion") return { modelVersionId: versionId.trim() };
    if (kind === "baseModel") return { baseModel };
    const prices =
      inPrice.trim() || outPrice.trim()
        ? { inputPerMTok: Number(inPrice || 0), outputPerMTok: Number(outPrice || 0) }
        : undefined;
    return {
      endpoint: {
        url: url.trim(),
        model: model.trim(),
        ...(secret ? { apiKeySecret: secret } : {}),
        ...(prices ? { prices } : {}),
      },
    };
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const parsed = createEvalRunBodySchema.safeParse({ suiteId, target: target(), force });
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const path = issue.path.join(".");
        next[path.startsWith("target") ? "target" : path] ??=
          `${path.replace(/^target\.(endpoint\.)?/, "")}: ${issue.message}`;
      }
      if (!suiteId) next.suiteId = "choose a suite";
      if (kind === "modelVersion" && !versionId) next.target = "choose a model version";
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(parsed.data, {
      onSuccess: (run) => {
        setOpen(false);
        router.push(evalRunHref(run.id));
      },
    });
  }

  const server = fieldErrors(create.error);
  const all = { ...server, ...errors };
  const targetError =
    all.target ??
    Object.entries(server)
      .filter(([k]) => k.startsWith("target"))
      .map(([k, m]) => `${k}: ${m}`)[0];
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant="primary" size="sm">
          Run eval
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Run eval"
        description="Scores every case of the suite; an identical finished run is reused unless you force a re-run."
      >
        <form className="form" onSubmit={submit} noValidate>
          <Field label="Suite" required error={all.suiteId}>
            <Select
              value={suiteId}
              onChange={(e) => setSuiteId(e.currentTarget.value)}
              options={[
                { value: "", label: suites.isPending ? "Loading suites…" : "Choose a suite" },
                ...(suites.data ?? []).map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
          </Field>
          <fieldset className="fieldset">
            <legend className="label field-label">Target</legend>
            {KINDS.map((k) => (
              <label key={k.value} className="radio-row">
                <input
                  type="radio"
                  name="target-kind"
                  value={k.value}
                  checked={kind === k.value}
                  onChange={() => setKind(k.value)}
                />
                <span>
                  <span className="checkbox-label">{k.label}</span>
                  <span className="checkbox-desc">{k.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {kind === "modelVersion" && (
            <Field
              label="Model version"
              required
              hint="Type part of the Model's name; “name v3” finds its version 3."
            >
              <ModelVersionPicker value={versionId} onChange={setVersionId} />
            </Field>
          )}
          {kind === "baseModel" && (
            <Field label="Base model" required>
              <Select
                value={baseModel}
                onChange={(e) => setBaseModel(e.currentTarget.value)}
                options={[
                  { value: "", label: baseModels.isPending ? "Loading…" : "Choose a base model" },
                  ...(baseModels.data ?? []).map((m) => ({
                    value: m.id,
                    label: `${m.name} (${m.id})`,
                  })),
                ]}
              />
            </Field>
          )}
          {kind === "endpoint" && (
            <>
              <Field label="Endpoint URL" required hint="Base URL, e.g. http://vllm:8000/v1.">
                <Input
                  type="url"
                  className="mono"
                  value={url}
                  onChange={(e) => setUrl(e.currentTarget.value)}
                />
              </Field>
              <Field label="Model name" required hint="The `model` field sent to the endpoint.">
                <Input
                  className="mono"
                  value={model}
                  onChange={(e) => setModel(e.currentTarget.value)}
                />
              </Field>
              <Field
                label="API key secret"
                hint="A team secret holding the key (Settings → Secrets); sent only to the origins an admin allowed for it."
              >
                <Select
                  value={secret}
                  onChange={(e) => setSecret(e.currentTarget.value)}
                  options={[
                    { value: "", label: "None" },
                    ...(secrets.data ?? [])
                      .filter((s) => !s.name.startsWith(RESERVED_SECRET_PREFIX))
                      .map((s) => ({
                        value: s.name,
                        label: `${s.name} — ${s.allowedOrigins.join(", ") || "sent nowhere yet"}`,
                      })),
                  ]}
                />
              </Field>
              <div className="form-grid">
                <Field label="Input price (USD / M tokens)">
                  <Input
                    inputMode="decimal"
                    value={inPrice}
                    onChange={(e) => setInPrice(e.currentTarget.value)}
                  />
                </Field>
                <Field label="Output price (USD / M tokens)">
                  <Input
                    inputMode="decimal"
                    value={outPrice}
                    onChange={(e) => setOutPrice(e.currentTarget.value)}
                  />
                </Field>
              </div>
            </>
          )}
          {targetError && <p className="field-error">{targetError}</p>}
          <Checkbox
            className="checkbox-plain"
            label="Re-run even if an identical run exists"
            checked={force}
            onChange={(e) => setForce(e.currentTarget.checked)}
          />
          {create.error && Object.keys(server).length === 0 && (
            <ErrorState title="Could not start the run" error={create.error} />
          )}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={create.isPending}>
              Start run
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
