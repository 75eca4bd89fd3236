"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { useModels } from "@/lib/client/hooks/models";

const noSubscribe = () => () => {};

/** This console's origin; the server renders a placeholder that the browser then replaces. */
function useOrigin(): string {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => "https://retune.example.com",
  );
}

/** A copyable request; messages one per line, so it reads as a conversation. */
export function curlExample(origin: string, modelName: string): string {
  const messages = [
    { role: "user", content: "Refund order 42" },
    {
      role: "assistant",
      tool_calls: [
        { id: "c1", type: "function", function: { name: "refund", arguments: '{"order":42}' } },
      ],
    },
    { role: "tool", tool_call_id: "c1", content: '{"ok":true}' },
    { role: "assistant", content: "Refunded." },
  ];
  const body = [
    `{"traces": [{`,
    `  "id": "req-7f3a",`,
    `  "timestamp": "2026-03-01T10:00:00Z",`,
    `  "model": ${JSON.stringify(modelName)},`,
    `  "outcome": "success",`,
    `  "messages": [`,
    messages.map((m) => `    ${JSON.stringify(m)}`).join(",\n"),
    `  ],`,
    `  "metadata": {"user": "u-123"}`,
    `}]}`,
  ].join("\n");
  return [
    `curl -X POST ${origin}/api/v1/traces \\`,
    `  -H "Authorization: Bearer $RETUNE_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${body.replaceAll("'", "'\\''")}'`,
  ].join("\n");
}

/** How production gets traces in: what to send, with which key, as a command to copy. */
export function IngestHelp() {
  const origin = useOrigin();
  const models = useModels();
  const modelName = models.data?.[0]?.name ?? "my-model";
  return (
    <div className="stack">
      <p>
        Traces are full production interactions your agent opts in to send: the messages, the tool
        calls and results, the outcome, and whether a frontier model or a person corrected the
        answer. Retraining builds datasets from them.
      </p>
      <p>
        Post them in batches of up to 1,000 to <code className="mono">POST /api/v1/traces</code>{" "}
        with an API key that has the <code className="mono">telemetry</code> scope (
        <Link href="/settings/api-keys">create one</Link>). The body is{" "}
        <code className="mono">{"{ traces: [...] }"}</code>, a single trace, or NDJSON, optionally
        gzip-compressed. <code className="mono">model</code> is a Model&apos;s name or id (
        <Link href="/models">register one</Link> first); an <code className="mono">id</code> makes
        retries safe, since a repeated id is stored once.
      </p>
      <pre className="code-block" aria-label="Example request" tabIndex={0}>
        {curlExample(origin, modelName)}
      </pre>
    </div>
  );
}
