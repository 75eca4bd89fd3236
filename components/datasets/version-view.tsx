"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { DatasetVersion } from "@/lib/schemas/datasets";
import { findBaseModel } from "@/lib/domain/base-models";
import { ApiClientError } from "@/lib/client/api";
import { formatBytes, formatCount, formatShare, percentOf } from "@/lib/client/format-units";
import {
  downloadUrl,
  useCleanVersion,
  useDataset,
  useDatasetVersion,
} from "@/lib/client/hooks/use-datasets";
import { useActiveTeam } from "@/lib/client/hooks/use-me";
import { launchHref } from "@/lib/client/launch-links";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Button } from "@/components/ui/button";
import { Card, CardBody } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { TimeStamp } from "@/components/ui/time-stamp";
import { FORMAT_LABEL, PROVENANCE_LABEL } from "./labels";
import { RowsPreview } from "./rows-preview";
import { VersionReport } from "./version-report";
import { VersionStatusBadge } from "./version-status-badge";
import { versionHref } from "./versions-table";

type Tab = "report" | "preview";

function positiveInt(v: string | null): number | undefined {
  if (!v) return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Where the view state lives: ?tab=preview&line=N&q=text, so every view can be linked. */
function useViewParams() {
  const params = useSearchParams();
  const tab: Tab = params.get("tab") === "preview" ? "preview" : "report";
  const line = positiveInt(params.get("line"));
  const q = params.get("q")?.trim() || undefined;
  return { tab, line, q };
}

function query(next: { tab: Tab; line?: number; q?: string }): string {
  const p = new URLSearchParams();
  if (next.tab !== "report") p.set("tab", next.tab);
  if (next.line !== undefined) p.set("line", String(next.line));
  if (next.q) p.set("q", next.q);
  const s = p.toString();
  return s ? `?${s}` : "";
}

function ValidationProgress({ version }: { version: DatasetVersion }) {
  const pct = percentOf(version.processedBytes, version.sizeBytes);
  return (
    <Card>
      <CardBody>
        <div className="progress-block" role="group" aria-label="Validation status">
          <div className="progress-line">
            <span>
              Validating every row: JSON, format, roles, tool calls against their schemas, tokens…
            </span>
            <span className="mono">
              {pct}% · {formatBytes(version.processedBytes)} of {formatBytes(version.sizeBytes)}
            </span>
          </div>
          <progress
            className="progress"
            aria-label="Validation progress"
            max={version.sizeBytes || 1}
            value={version.processedBytes}
          >
            {pct}%
          </progress>
          <p className="muted small">
            Checked every second. Statistics and findings appear here when validation finishes; the
            preview already works.
          </p>
        </div>
      </CardBody>
    </Card>
  );
}

function VersionDetails({
  version,
  parentNumber,
}: {
  version: DatasetVersion;
  parentNumber?: number;
}) {
  const model = version.baseModel ? findBaseModel(version.baseModel) : undefined;
  return (
    <dl className="details details-wide">
      <dt>Status</dt>
      <dd>
        <VersionStatusBadge status={version.status} />
      </dd>
      <dt>Size</dt>
      <dd>{formatBytes(version.sizeBytes)}</dd>
      <dt>Format</dt>
      <dd>
        {version.format ? FORMAT_LABEL[version.format] : "detected per row"}
        {version.stats?.sourceFormat && version.stats.sourceFormat !== version.format && (
          <span className="muted">
            {" "}
            · rows look like {FORMAT_LABEL[version.stats.sourceFormat]}
          </span>
        )}
      </dd>
      <dt>Provenance</dt>
      <dd>{version.provenance ? PROVENANCE_LABEL[version.provenance] : "not declared"}</dd>
      <dt>Eval fraction</dt>
      <dd>{formatShare(version.evalFraction)}</dd>
      <dt>Base model</dt>
      <dd>
        {version.baseModel ? <span className="mono">{model?.name ?? version.baseModel}</span> : "—"}
      </dd>
      <dt>Content hash</dt>
      <dd className="mono truncate-wide" title={version.contentHash}>
        sha256:{version.contentHash}
      </dd>
      <dt>Lineage</dt>
      <dd>
        {version.parentVersionId ? (
          <Link href={versionHref(version.datasetId, version.parentVersionId)}>
            cleaned from {parentNumber !== undefined ? `v${parentNumber}` : "an earlier version"}
          </Link>
        ) : (
          "uploaded"
        )}
      </dd>
      <dt>Created</dt>
      <dd>
        <TimeStamp iso={version.createdAt} />
      </dd>
    </dl>
  );
}

/** One version: status, validation progress, then its report and a preview of its rows. */
export function VersionView({ datasetId, versionId }: { datasetId: string; versionId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const { tab, line, q } = useViewParams();
  const active = useActiveTeam();
  const version = useDatasetVersion(versionId);
  const dataset = useDataset(datasetId);
  const clean = useCleanVersion();

  if (version.isPending) return <LoadingState label="Loading version…" rows={6} />;
  const name = dataset.data?.name ?? "Dataset";
  const crumbs = [
    { href: "/datasets", label: "Datasets" },
    { href: `/datasets/${encodeURIComponent(datasetId)}`, label: name },
  ];
  if (version.isError || version.data.datasetId !== datasetId) {
    const missing =
      !version.isError || (version.error instanceof ApiClientError && version.error.status === 404);
    return (
      <>
        <Breadcrumbs items={[...crumbs, { label: "Not found" }]} />
        <ErrorState
          title={missing ? "Version not found" : "Could not load this version"}
          error={missing ? "This version does not exist in this dataset and team." : version.error}
          onRetry={missing ? undefined : () => void version.refetch()}
          retrying={version.isFetching}
        />
      </>
    );
  }

  const v = version.data;
  const canWrite = active?.can("resource.write") ?? false;
  const parentNumber = dataset.data?.versions.find((p) => p.id === v.parentVersionId)?.version;
  const finished = v.status !== "VALIDATING";
  const go = (next: { tab: Tab; line?: number; q?: string }, replace = false) =>
    (replace ? router.replace : router.push)(`${pathname}${query(next)}`, { scroll: false });
  const lineHref = (n: number) => `${pathname}${query({ tab: "preview", line: n })}`;

  return (
    <>
      <Breadcrumbs items={[...crumbs, { label: `v${v.version}` }]} />
      <PageHeader
        title={`${name} · v${v.version}`}
        description={
          <span className="inline-gap">
            <VersionStatusBadge status={v.status} />
            {v.stats && (
              <span className="muted">
                {formatCount(v.stats.validRows)} of {formatCount(v.stats.rows)} rows valid ·{" "}
                {formatBytes(v.sizeBytes)}
              </span>
            )}
          </span>
        }
        actions={
          finished && (
            <>
              {v.status === "READY" && canWrite && (
                <Link className="btn btn-primary" href={launchHref({ datasetVersionId: v.id })}>
                  Train on this version
                </Link>
              )}
              <a className="btn" href={downloadUrl(v.id)} download>
                Download
              </a>
              <a className="btn" href={downloadUrl(v.id, { validOnly: true })} download>
                Download valid rows
              </a>
              {v.status === "INVALID" && canWrite && (
                <Button
                  variant="primary"
                  loading={clean.isPending}
                  onClick={() =>
                    clean.mutate(v, {
                      onSuccess: (res) => router.push(versionHref(v.datasetId, res.id)),
                    })
                  }
                >
                  Create cleaned version
                </Button>
              )}
            </>
          )
        }
      />
      <div className="stack-lg">
        {clean.error && (
          <ErrorState title="Could not create the cleaned version" error={clean.error} />
        )}
        {v.status === "VALIDATING" && <ValidationProgress version={v} />}
        {v.status === "INVALID" && v.error && (
          <Notice tone="warning">
            <strong>Validation could not finish.</strong> {v.error}. Upload the file again to retry.
          </Notice>
        )}
        {v.status === "INVALID" && v.report && (
          <Notice tone="warning">
            <strong>
              {formatCount(v.report.errorLines)} line{v.report.errorLines === 1 ? "" : "s"} with
              errors.
            </strong>{" "}
            Training would skip them.{" "}
            {v.stats && v.stats.validRows > 0
              ? `“Create cleaned version” makes a new version of the ${formatCount(v.stats.validRows)} valid rows; or fix the file and upload it again.`
              : "No row is valid: fix the file and upload it again."}
          </Notice>
        )}
        <details className="card details-card">
          <summary>Version details</summary>
          <VersionDetails version={v} parentNumber={parentNumber} />
        </details>

        <nav className="tab-nav" aria-label="Version sections">
          <Link
            href={`${pathname}${query({ tab: "report" })}`}
            className="tab-nav-link"
            aria-current={tab === "report" ? "page" : undefined}
          >
            Report
          </Link>
          <Link
            href={`${pathname}${query({ tab: "preview", line, q })}`}
            className="tab-nav-link"
            aria-current={tab === "preview" ? "page" : undefined}
          >
            Preview
          </Link>
        </nav>
        {tab === "report" ? (
          finished ? (
            <VersionReport version={v} lineHref={lineHref} />
          ) : (
            <LoadingState label="The report appears when validation finishes…" rows={3} />
          )
        ) : (
          <RowsPreview
            versionId={v.id}
            line={line}
            q={q}
            onNavigate={(next, options) => go({ tab: "preview", ...next }, options?.replace)}
          />
        )}
      </div>
    </>
  );
}
