import type { Metadata } from "next";
import { ApiReferenceView } from "@/components/api-reference/api-reference-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "API reference" };

export default function ApiReferencePage() {
  return (
    <>
      <PageHeader
        title="API reference"
        description={
          <>
            Every <code>/api/v1</code> endpoint, generated from the same schemas the server checks.
            Call it with an API key (<code>Authorization: Bearer rt_…</code>, Settings → API keys);
            the document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
          </>
        }
      />
      <ApiReferenceView />
    </>
  );
}
