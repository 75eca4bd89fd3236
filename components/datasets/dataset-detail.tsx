"use client";

import type { DatasetDetail as DatasetDetailData } from "@/lib/schemas/datasets";
import { useDataset } from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { TimeStamp } from "@/components/ui/time-stamp";
import { UploadPanel } from "./upload-panel";
import { VersionsTable } from "./versions-table";

/** A dataset: its versions and, for engineers and above, the upload form. */
export function DatasetDetail({ id }: { id: string }) {
  const dataset = useDataset(id);
  return (
    <QueryView
      query={dataset}
      loading="Loading dataset…"
      rows={5}
      errorTitle="Could not load this dataset"
      notFound={{
        title: "Dataset not found",
        message: "It does not exist in this team, or it was removed. Check the team switcher.",
      }}
      errorLead={
        <Breadcrumbs items={[{ href: "/datasets", label: "Datasets" }, { label: "Not found" }]} />
      }
    >
      {(d) => <DatasetView dataset={d} />}
    </QueryView>
  );
}

function DatasetView({ dataset: d }: { dataset: DatasetDetailData }) {
  const active = useActiveTeam();
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
