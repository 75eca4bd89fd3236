"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import type { AppendTracesAccepted } from "@/lib/schemas/dataset-from-traces";
import { datasetNameSchema, type Dataset } from "@/lib/schemas/datasets";
import { fieldErrors } from "@/lib/client/api";
import { useAppendTracesToDataset } from "@/lib/client/hooks/dataset-from-traces";
import { useCreateDataset, useDatasets } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { datasetVersionHref } from "@/lib/client/hrefs";
import { Button } from "@/components/ui/button";
import { Combobox, type ComboboxOption } from "@/components/ui/combobox";
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
import { Notice } from "@/components/ui/notice";

type Target = "existing" | "new";

/** A dataset as the picker lists it: its name, then its newest version and how many it has. */
function toOption(d: Dataset): ComboboxOption {
  const latest = d.latestVersion;
  const validating = latest?.status === "VALIDATING";
  return {
    value: d.id,
    label: d.name,
    detail: latest
      ? `v${latest.version} · ${validating ? "still validating: wait for it" : latest.status.toLowerCase()} · ${d.versionCount} version${d.versionCount === 1 ? "" : "s"}`
      : "no versions yet: this trace starts it",
    // The next version builds on the newest, which must have finished validating.
    disabled: validating,
  };
}

/**
 * "Add to a dataset" on a trace: its conversation becomes a row of a dataset's next version
 * (the newest version's rows plus this one), or of a new dataset's first; validated like any
 * upload. The datasets are picked by typing part of a name.
 */
export function AddTraceToDataset({ traceId }: { traceId: string }) {
  const active = useActiveTeam();
  const datasets = useDatasets();
  const create = useCreateDataset();
  const append = useAppendTracesToDataset();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState<Target>("existing");
  const [datasetId, setDatasetId] = useState("");
  const [name, setName] = useState("");
  const [search, setSearch] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<(AppendTracesAccepted & { datasetName: string }) | null>(null);

  if (!active?.can("resource.write")) return null;

  const needle = search.trim().toLowerCase();
  const options = (datasets.data ?? [])
    .filter((d) => !needle || d.name.toLowerCase().includes(needle))
    .slice(0, 50)
    .map(toOption);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setDone(null);
      setError(null);
      create.reset();
      append.reset();
    }
  }

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    let id = datasetId;
    let datasetName = datasets.data?.find((d) => d.id === datasetId)?.name ?? "";
    if (target === "existing" && !id) return setError("choose a dataset");
    if (target === "new") {
      const parsed = datasetNameSchema.safeParse(name);
      if (!parsed.success) return setError(`name: ${parsed.error.issues[0]!.message}`);
      try {
        const made = await create.mutateAsync({ name: parsed.data });
        id = made.id;
        datasetName = made.name;
        // Made: a retry (if adding fails) adds to it rather than making another.
        setTarget("existing");
        setDatasetId(made.id);
      } catch {
        return; // create.error is shown below
      }
    }
    try {
      const added = await append.mutateAsync({ datasetId: id, traceIds: [traceId] });
      setDone({ ...added, datasetName });
    } catch {
      // append.error is shown below
    }
  }

  const failure = create.error ?? append.error;
  const server = fieldErrors(failure);
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>Add to a dataset</Button>
      </DialogTrigger>
      <DialogContent
        title="Add to a dataset"
        description="The trace becomes a row of the dataset's next version: its newest version's rows plus this conversation (a corrected trace teaches the correction). The new version is validated like any upload."
      >
        {done ? (
          <div className="stack">
            <Notice tone="info">
              <span role="status">
                Added as{" "}
                <Link href={datasetVersionHref(done.datasetId, done.id)}>
                  v{done.version} of {done.datasetName}
                </Link>
                {done.baseVersion !== null ? ` (v${done.baseVersion}'s rows plus this trace)` : ""};
                it is being validated.
              </span>
            </Notice>
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="primary">Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form className="form" onSubmit={(e) => void submit(e)} noValidate>
            <fieldset className="fieldset">
              <legend className="label field-label">Dataset</legend>
              {(["existing", "new"] as const).map((t) => (
                <label key={t} className="radio-row">
                  <input
                    type="radio"
                    name="dataset-target"
                    value={t}
                    checked={target === t}
                    onChange={() => setTarget(t)}
                  />
                  <span className="checkbox-label">
                    {t === "existing" ? "An existing dataset" : "A new dataset"}
                  </span>
                </label>
              ))}
            </fieldset>
            {target === "existing" ? (
              <Field
                label="Dataset"
                required
                hint="Type part of its name."
                error={datasets.isError ? "could not load datasets" : undefined}
              >
                <Combobox
                  name="datasetId"
                  value={datasetId}
                  onChange={(id) => setDatasetId(id)}
                  onSearch={setSearch}
                  options={options}
                  loading={datasets.isPending}
                  placeholder={datasets.isPending ? "Loading datasets…" : "Type part of a name"}
                  emptyText={
                    needle
                      ? `No dataset named like “${search.trim()}”`
                      : "This team has no datasets"
                  }
                />
              </Field>
            ) : (
              <Field label="New dataset name" required error={server.name}>
                <Input
                  name="name"
                  autoComplete="off"
                  value={name}
                  onChange={(e) => setName(e.currentTarget.value)}
                />
              </Field>
            )}
            {error && <p className="field-error">{error}</p>}
            {failure && Object.keys(server).length === 0 && (
              <ErrorState title="Could not add the trace" error={failure} />
            )}
            <DialogFooter>
              <DialogClose asChild>
                <Button>Cancel</Button>
              </DialogClose>
              <Button
                type="submit"
                variant="primary"
                loading={create.isPending || append.isPending}
              >
                Add trace
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
