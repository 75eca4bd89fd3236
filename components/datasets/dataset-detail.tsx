"use client";

import { ApiClientError } from "@/lib/client/api";
import { useDataset } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { TimeStamp } from "@/components/ui/time-stamp";
import { UploadPanel } from "./upload-panel";
import { VersionsTable } from "./versions-table";

/** A dataset: its versions and, for engineers and above, the upload form. */
export function DatasetDetail({ id }: { id: string }) {
  const active = useActiveTeam();
  const dataset = useDataset(id);
  if (dataset.isPending) return <LoadingState label="Loading dataset…" rows={5} />;
  if (dataset.isError) {
    const missing = dataset.error instanceof ApiClientError && dataset.error.status === 404;
    return (
      <>
        <Breadcrumbs items={[{ href: "/datasets", label: "Datasets" }, { label: "Not found" }]} />
        <ErrorState
          title={missing ? "Dataset not found" : "Could not load this dataset"}
          error={
            missing
              ? "It does not exist in this team, or it was removed. Check the team switcher."
              : dataset.error
          }
          onRetry={missing ? undefined : () => void dataset.refetch()}
          retrying={dataset.isFetching}
        />
      </>
    );
  }
  const d = dataset.data;
  const canWrite = active?.can("resource.write") ?? false;
  return (
    <>
      <Breadcrumbs items={[{ href: "/datasets", label: "Datasets" }, { label: d.name }]} />
      <PageHeader
        title={d.name}
        description={
          <>
            {d.description ?? "No description."}{" "}
            <span className="muted">
              · created <TimeStamp iso={d.createdAt} />
            </span>
          </>
        }
      />
      <div className="stack-lg">
        <Card>
          <CardHeader
            title="Versions"
            description="Newest first. Versions are immutable; cleaning an invalid one creates a new version."
          />
          {d.versions.length === 0 ? (
            <EmptyState
              title="No versions yet"
              description={
                canWrite
                  ? "Upload a JSONL file below: it is validated row by row and gets statistics and a train/eval split."
                  : "An engineer of this team has not uploaded a file yet."
              }
            />
          ) : (
            <VersionsTable versions={d.versions} />
          )}
        </Card>
        {canWrite ? (
          <UploadPanel datasetId={d.id} />
        ) : (
          active && (
            <Notice>
              Uploading versions needs the engineer role or above. Your role in {active.team.name}{" "}
              is <strong>{active.team.role}</strong>.
            </Notice>
          )
        )}
      </div>
    </>
  );
}
