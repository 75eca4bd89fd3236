import { formatBytes } from "@/lib/client/format-units";
import { Table, TBody, Td, Th, THead, Tr } from "./table";
import { TarDownloadLink } from "./tar-download-link";

/** A stored file; a name ending in "/" is a folder (its bytes: its files in all). */
export type Artifact = { name: string; bytes: number };

/**
 * Files of an output folder with their sizes, folders dimmed (e.g. an adapter, then
 * checkpoints). `downloadHref` adds a column of tar downloads for the rows it gives an address.
 */
export function ArtifactsTable({
  artifacts,
  caption = "Artifacts",
  downloadHref,
}: {
  artifacts: readonly Artifact[];
  caption?: string;
  downloadHref?: (a: Artifact) => string | null;
}) {
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>File</Th>
          <Th align="right">Size</Th>
          {downloadHref && (
            <Th>
              <span className="sr-only">Download</span>
            </Th>
          )}
        </Tr>
      </THead>
      <TBody>
        {artifacts.map((a) => {
          const folder = a.name.endsWith("/");
          const href = downloadHref?.(a) ?? null;
          return (
            <Tr key={a.name} className={folder ? "row-muted" : undefined}>
              <Td className="mono">{a.name}</Td>
              <Td align="right" className="nowrap">
                {folder ? "folder" : formatBytes(a.bytes)}
              </Td>
              {downloadHref && (
                <Td className="nowrap">
                  {href && <TarDownloadLink href={href} bytes={a.bytes} what={a.name} />}
                </Td>
              )}
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
