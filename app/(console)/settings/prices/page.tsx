import type { Metadata } from "next";
import { PriceListPanel } from "@/components/economics/price-list-panel";

export const metadata: Metadata = { title: "Prices" };

export default function PricesPage() {
  return <PriceListPanel />;
}
