import type { Metadata } from "next";
import { EvalRunView } from "@/components/evals/eval-run-view";

export const metadata: Metadata = { title: "Eval run" };

export default async function EvalRunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EvalRunView id={id} />;
}
