import { formatBytes } from "@/lib/client/format-units";
import { Table, TBody, Td, Th, THead, Tr } from "./table";

/** A stored file; a name ending in "/" is a folder. */
export type Artifact = { name: string; bytes: number };

/** Files of an output folder with their sizes, folders dimmed (e.g. an adapter, then checkpoints). */
export function ArtifactsTable({
  artifacts,
  caption = "Artifacts",
}: {
  artifacts: readonly Artifact[];
  caption?: string;
}) {
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>File</Th>
          <Th align="right">Size</Th>
        </Tr>
      </THead>
      <TBody>
        {artifacts.map((a) => {
          const folder = a.name.endsWith("/");
          return (
            <Tr key={a.name} className={folder ? "row-muted" : undefined}>
              <Td className="mono">{a.name}</Td>
              <Td align="right" className="nowrap">
                {folder ? "folder" : formatBytes(a.bytes)}
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
