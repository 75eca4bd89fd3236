import type { PriceEntry } from "@/lib/schemas/economics";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatPrice } from "./format";

/** What an entry charges, in its own unit. */
export function priceFigure(p: PriceEntry): string {
  return p.kind === "frontier"
    ? `${formatPrice(p.inputUsdPerMTok)} in / ${formatPrice(p.outputUsdPerMTok)} out per MTok`
    : `${formatPrice(p.usdPerGpuHour)}/GPU-hour × ${p.gpusPerReplica} GPU, ${p.replicas} replica` +
        `${p.replicas === 1 ? "" : "s"} always on, ${p.throughputTokensPerSec.toLocaleString("en-US")} tok/s ` +
        `(${p.throughputBasis}), ${Math.round(p.utilisation * 100)}% utilisation`;
}

export const priceName = (p: PriceEntry) =>
  p.kind === "frontier" ? `${p.provider} ${p.model}` : p.label;

/** The prices a figure was computed with, each with the day it was read and where from. */
export function PricesUsed({
  prices,
  caption = "Prices used",
}: {
  prices: readonly PriceEntry[];
  caption?: string;
}) {
  return (
    <Table caption={caption}>
      <THead>
        <Tr>
          <Th>Price</Th>
          <Th>Figures</Th>
          <Th>As of</Th>
          <Th>Source</Th>
        </Tr>
      </THead>
      <TBody>
        {prices.map((p) => (
          <Tr key={`${p.kind}/${p.id}`}>
            <Td>
              {priceName(p)}
              <span className="cell-sub mono">{p.id}</span>
            </Td>
            <Td className="mono small">{priceFigure(p)}</Td>
            <Td className="mono nowrap">{p.asOf}</Td>
            <Td className="small">{p.source}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}
