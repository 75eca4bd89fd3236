"use client";

import dynamic from "next/dynamic";
import { useOpenApiDocument } from "@/lib/client/hooks/use-openapi";
import { LoadingState } from "@/components/ui/loading-state";
import { QueryView } from "@/components/ui/query-view";

// Scalar renders in the browser only (a Vue app mounted into a div), and it is large: loaded
// with this page, never with the rest of the console.
const ScalarReference = dynamic(() => import("./scalar-reference"), {
  ssr: false,
  loading: () => <LoadingState label="Loading the API reference…" rows={6} />,
});

/** The OpenAPI document of /api/v1, rendered by Scalar once it has loaded. */
export function ApiReferenceView() {
  const document = useOpenApiDocument();
  return (
    <QueryView
      query={document}
      loading="Loading the API document…"
      rows={6}
      errorTitle="Could not load the API document"
    >
      {(doc) => <ScalarReference document={doc} />}
    </QueryView>
  );
}
