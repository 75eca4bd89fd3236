"use client";

import Link from "next/link";
import type { TraceDetail } from "@/lib/schemas/traces";
import { formatCount } from "@/lib/client/format-units";
import { useTrace } from "@/lib/client/hooks/traces";
import { prettyJson } from "@/lib/client/pretty-json";
import { Breadcrumbs } from "@/components/ui/breadcrumbs";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { QueryView } from "@/components/ui/query-view";
import { TimeStamp } from "@/components/ui/time-stamp";
import { AddTraceToDataset } from "./add-to-dataset-dialog";
import { CORRECTED_LABEL } from "./labels";
import { OutcomeBadge } from "./outcome-badge";
import { TraceConversation } from "./trace-conversation";

const CRUMB = { href: "/traces", label: "Traces" };

/** One production trace: its facts, the conversation as the agent lived it, and metadata. */
export function TraceDetailView({ id }: { id: string }) {
  const trace = useTrace(id);
  return (
    <QueryView
      query={trace}
      loading="Loading trace…"
      rows={6}
      errorTitle="Could not load this trace"
      notFound={{
        title: "Trace not found",
        message: "It does not exist in this team. Check the team switcher.",
      }}
      errorLead={<Breadcrumbs items={[CRUMB, { label: "Not found" }]} />}
    >
      {(t) => <TraceView trace={t} />}
    </QueryView>
  );
}

function TraceView({ trace }: { trace: TraceDetail }) {
  const metadata = trace.metadata && Object.keys(trace.metadata).length > 0 ? trace.metadata : null;
  return (
    <>
      <Breadcrumbs items={[CRUMB, { label: trace.traceId }]} />
      <PageHeader
        title={`Trace ${trace.traceId}`}
        description={
          <span className="inline-gap">
            <OutcomeBadge outcome={trace.outcome} />
            <span>
              model{" "}
              <Link href={`/models/${encodeURIComponent(trace.modelId)}`} className="strong-link">
                {trace.modelName}
              </Link>
            </span>
            <span className="muted">
              <TimeStamp iso={trace.timestamp} />
            </span>
          </span>
        }
        actions={<AddTraceToDataset traceId={trace.id} />}
      />
      <div className="stack-lg">
        <dl className="fact-row">
          <div>
            <dt>Corrected by</dt>
            <dd>{trace.correctedBy ? CORRECTED_LABEL[trace.correctedBy] : "Not corrected"}</dd>
          </div>
          <div>
            <dt>Messages</dt>
            <dd>{formatCount(trace.messageCount)}</dd>
          </div>
          <div>
            <dt>Tools called</dt>
            <dd className="mono">
              {trace.toolsCalled.length > 0 ? trace.toolsCalled.join(", ") : "none"}
            </dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>
              <TimeStamp iso={trace.createdAt} />
            </dd>
          </div>
        </dl>
        <TraceConversation trace={trace} />
        <Card>
          <CardHeader title="Metadata" description="As the producer sent it." />
          <CardBody>
            {metadata ? (
              <pre className="code-block" aria-label="Metadata" tabIndex={0}>
                {prettyJson(metadata)}
              </pre>
            ) : (
              <p className="muted">No metadata was sent with this trace.</p>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
