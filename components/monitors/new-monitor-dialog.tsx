"use client";

import { useState, type FormEvent } from "react";
import { fieldErrors } from "@/lib/client/api";
import { useModels } from "@/lib/client/hooks/models";
import { useCreateMonitor } from "@/lib/client/hooks/monitors";
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
import { Select } from "@/components/ui/select";
import { MonitorFields } from "./monitor-fields";
import {
  formToCreateBody,
  MONITOR_FIELD_KEYS,
  needsErrorBanner,
  newMonitorForm,
  type MonitorFormState,
} from "./monitor-form";

type Props = {
  /** From a Model's page: the monitor is for this Model, and no picker is shown. */
  presetModel?: { id: string; name: string };
  variant?: "primary" | "secondary";
  size?: "sm" | "md";
};

function ModelPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (id: string) => void;
  error?: string;
}) {
  const models = useModels();
  const options = [
    {
      value: "",
      label: models.isPending
        ? "Loading models…"
        : models.data?.length
          ? "Choose a Model"
          : "No models registered",
    },
    ...(models.data ?? []).map((m) => ({ value: m.id, label: m.name })),
  ];
  return (
    <Field
      label="Model"
      required
      hint="Its production telemetry is what the monitor reads."
      error={error ?? (models.isError ? "could not load models" : undefined)}
    >
      <Select
        name="model"
        options={options}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
    </Field>
  );
}

/** Creates a drift monitor: a metric over a window of a Model's telemetry, a threshold and an action. */
export function NewMonitorDialog({ presetModel, variant = "primary", size = "md" }: Props) {
  const create = useCreateMonitor();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<MonitorFormState>(() => newMonitorForm(presetModel?.id));
  const [errors, setErrors] = useState<Record<string, string>>({});

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) setForm(newMonitorForm(presetModel?.id));
    else {
      create.reset();
      setErrors({});
    }
  }

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const result = formToCreateBody(form);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    create.mutate(result.body, { onSuccess: () => setOpen(false) });
  }

  const server = fieldErrors(create.error);
  const all = { ...server, ...errors };
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant={variant} size={size}>
          New monitor
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New monitor"
        description={
          presetModel
            ? `Watches ${presetModel.name}'s production telemetry and acts when the metric crosses the threshold.`
            : "Watches a Model's production telemetry and acts when the metric crosses the threshold."
        }
        className="dialog-wide"
      >
        <form className="form" onSubmit={submit} noValidate>
          {!presetModel && (
            <ModelPicker
              value={form.model}
              onChange={(model) => setForm({ ...form, model })}
              error={all.model}
            />
          )}
          <MonitorFields value={form} onChange={setForm} errors={all} metricEditable />
          {create.error &&
            needsErrorBanner(server, [
              ...MONITOR_FIELD_KEYS,
              ...(presetModel ? [] : ["model"]),
            ]) && <ErrorState title="Could not create the monitor" error={create.error} />}
          <DialogFooter>
            <DialogClose asChild>
              <Button>Cancel</Button>
            </DialogClose>
            <Button type="submit" variant="primary" loading={create.isPending}>
              Create monitor
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
