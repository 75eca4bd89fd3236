"use client";

import Link from "next/link";
import type { DatasetDetail } from "@/lib/schemas/datasets";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Notice } from "@/components/ui/notice";
import { Select } from "@/components/ui/select";
import { datasetOptions, evalDatasetOptions, versionOptions } from "./launch-form-options";
import type { LaunchFormState } from "./launch-form-state";

/** What a field needs of a query: its data, and whether it is loading or failed. */
type Loaded<T> = {
  data: T | undefined;
  isPending: boolean;
  isFetching: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
};

/**
 * "What to train": the model's name, the dataset version it learns from and an optional eval set.
 * Picking a dataset clears its version; the form then picks the newest READY one.
 */
export function LaunchDataFields({
  state,
  errorFor,
  onChange,
  onTouch,
  onPickDataset,
  datasets,
  dataset,
  evalDataset,
}: {
  state: LaunchFormState;
  errorFor: (path: string) => string | undefined;
  onChange: (next: Partial<LaunchFormState>) => void;
  onTouch: (path: string) => void;
  onPickDataset: (datasetId: string) => void;
  datasets: Loaded<readonly { id: string; name: string }[]>;
  dataset: Loaded<DatasetDetail>;
  evalDataset: Loaded<DatasetDetail>;
}) {
  const noDatasets = datasets.data?.length === 0;
  const noReady =
    dataset.data !== undefined && !dataset.data.versions.some((v) => v.status === "READY");
  return (
    <Card>
      <CardHeader title="What to train" description="A named model and the data it learns from." />
      <CardBody>
        <div className="form-grid">
          <Field
            label="Model name"
            required
            hint="The agent component, e.g. support-agent/tool-caller. A new name registers a model."
            error={errorFor("model")}
          >
            <Input
              name="model"
              autoComplete="off"
              value={state.model}
              onChange={(e) => onChange({ model: e.currentTarget.value })}
              onBlur={() => onTouch("model")}
            />
          </Field>
        </div>
        {datasets.isError ? (
          <ErrorState
            title="Could not load datasets"
            error={datasets.error}
            onRetry={() => void datasets.refetch()}
            retrying={datasets.isFetching}
          />
        ) : noDatasets ? (
          <Notice tone="warning">
            This team has no datasets yet. <Link href="/datasets">Upload one</Link> first: jobs
            train on a READY dataset version.
          </Notice>
        ) : (
          <div className="form-grid">
            <Field label="Dataset" required>
              <Select
                name="datasetId"
                options={datasetOptions(datasets.data, datasets.isPending)}
                value={state.datasetId}
                onChange={(e) => onPickDataset(e.currentTarget.value)}
              />
            </Field>
            <Field
              label="Dataset version"
              required
              hint={
                noReady
                  ? "No READY version yet: wait for validation, or clean an invalid one."
                  : "Only READY versions train."
              }
              error={errorFor("datasetVersionId")}
            >
              <Select
                name="datasetVersionId"
                options={versionOptions(dataset.data, dataset.isFetching)}
                value={state.datasetVersionId}
                disabled={!state.datasetId}
                onChange={(e) => onChange({ datasetVersionId: e.currentTarget.value })}
              />
            </Field>
            <Field label="Eval dataset" hint="Optional: a separate held-out set.">
              <Select
                name="evalDatasetId"
                options={evalDatasetOptions(datasets.data)}
                value={state.evalDatasetId}
                onChange={(e) =>
                  onChange({ evalDatasetId: e.currentTarget.value, evalDatasetVersionId: "" })
                }
              />
            </Field>
            <Field label="Eval dataset version" error={errorFor("evalDatasetVersionId")}>
              <Select
                name="evalDatasetVersionId"
                options={
                  state.evalDatasetId
                    ? versionOptions(
                        evalDataset.data,
                        evalDataset.isFetching,
                        state.datasetVersionId,
                      )
                    : [{ value: "", label: "—" }]
                }
                value={state.evalDatasetVersionId}
                disabled={!state.evalDatasetId}
                onChange={(e) => onChange({ evalDatasetVersionId: e.currentTarget.value })}
              />
            </Field>
          </div>
        )}
      </CardBody>
    </Card>
  );
}
