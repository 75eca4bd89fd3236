"use client";

import { ApiReferenceReact } from "@scalar/api-reference-react";
import "@scalar/api-reference-react/style.css";
import { useMemo } from "react";
import type { OpenApiDocumentJson } from "@/lib/schemas/openapi";

/**
 * Scalar's styles sit in CSS layers, so the console's unlayered element rules (`code` boxes,
 * link colours) would win inside the reference; these put Scalar's back, scoped to it.
 */
const CUSTOM_CSS = `
.scalar-app code { background: none; border: 0; padding: 0; font-size: inherit; }
.scalar-app a:hover { text-decoration: none; }
`;

/**
 * The reference as the console shows it: the document is passed in (this page fetched and
 * checked it), so Scalar fetches nothing itself; nothing is loaded from another origin (the
 * console's CSP allows none): no default fonts, no telemetry, no agent, no MCP.
 */
export default function ScalarReference({ document }: { document: OpenApiDocumentJson }) {
  const configuration = useMemo(
    () => ({
      content: document,
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      mcp: { disabled: true },
      showDeveloperTools: "never" as const,
      documentDownloadType: "json" as const,
      hideDarkModeToggle: true,
      darkMode: window.matchMedia("(prefers-color-scheme: dark)").matches,
      operationTitleSource: "summary" as const,
      showOperationId: true,
      customCss: CUSTOM_CSS,
    }),
    [document],
  );
  return (
    <div className="api-reference">
      <ApiReferenceReact configuration={configuration} />
    </div>
  );
}
