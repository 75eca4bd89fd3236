import { LoadingState } from "@/components/ui/loading-state";

export default function ConsoleLoading() {
  return <LoadingState label="Loading page…" rows={4} />;
}
