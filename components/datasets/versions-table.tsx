import Link from "next/link";
import type { DatasetVersion } from "@/lib/schemas/datasets";
import { formatBytes, formatCompact, formatCount } from "@/lib/client/format-units";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { TimeStamp } from "@/components/ui/time-stamp";
import { FORMAT_LABEL, PROVENANCE_LABEL } from "./labels";
import { VersionStatusBadge } from "./version-status-badge";

export function versionHref(datasetId: string, versionId: string): string {
  return `/datasets/${encodeURIComponent(datasetId)}/versions/${encodeURIComponent(versionId)}`;
}

/** A dataset's versions, newest first; each links to its report and preview. */
export function VersionsTable({ versions }: { versions: DatasetVersion[] }) {
  const numberOf = new Map(versions.map((v) => [v.id, v.version]));
  return (
    <Table caption="Versions">
      <THead>
        <Tr>
          <Th>Version</Th>
          <Th>Status</Th>
          <Th align="right">Rows (valid / all)</Th>
          <Th align="right">Tokens</Th>
          <Th align="right">Size</Th>
          <Th>Format</Th>
          <Th>Provenance</Th>
          <Th>Created</Th>
          <Th>Lineage</Th>
        </Tr>
      </THead>
      <TBody>
        {versions.map((v) => {
          const s = v.stats;
          const parent = v.parentVersionId ? numberOf.get(v.parentVersionId) : undefined;
          return (
            <Tr key={v.id}>
              <Td>
                <Link
                  href={versionHref(v.datasetId, v.id)}
                  className="strong-link mono"
                  aria-label={`Version ${v.version}`}
                >
                  v{v.version}
                </Link>
              </Td>
              <Td>
                <VersionStatusBadge status={v.status} />
              </Td>
              <Td align="right">
                {s ? (
                  <>
                    {formatCount(s.validRows)}
                    <span className="muted"> / {formatCount(s.rows)}</span>
                  </>
                ) : (
                  "—"
                )}
              </Td>
              <Td
                align="right"
                title={
                  s ? `${formatCount(s.tokens.total)} tokens (${s.tokens.tokenizer})` : undefined
                }
              >
                {s ? `${s.tokens.exact ? "" : "≈"}${formatCompact(s.tokens.total)}` : "—"}
              </Td>
              <Td align="right" className="nowrap">
                {formatBytes(v.sizeBytes)}
              </Td>
              <Td>{v.format ? FORMAT_LABEL[v.format] : <span className="muted">—</span>}</Td>
              <Td>
                {v.provenance ? PROVENANCE_LABEL[v.provenance] : <span className="muted">—</span>}
              </Td>
              <Td className="nowrap">
                <TimeStamp iso={v.createdAt} />
              </Td>
              <Td className="nowrap">
                {v.parentVersionId ? (
                  parent !== undefined ? (
                    <Link href={versionHref(v.datasetId, v.parentVersionId)}>
                      cleaned from v{parent}
                    </Link>
                  ) : (
                    "cleaned"
                  )
                ) : (
                  <span className="muted">uploaded</span>
                )}
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
