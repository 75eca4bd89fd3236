import type { TrainingJob } from "@/lib/schemas/training-jobs";
import { formatBytes } from "@/lib/client/format-units";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";

/** Files in the job's output folder: the adapter at the top, checkpoint folders after. */
export function ArtifactsTable({
  artifacts,
  caption = "Artifacts",
}: {
  artifacts: TrainingJob["artifacts"];
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
