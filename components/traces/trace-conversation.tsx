"use client";

import type { TraceDetail } from "@/lib/schemas/traces";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ExampleView } from "@/components/ui/example-view";
import { Notice } from "@/components/ui/notice";
import { splitCorrection } from "./correction-split";
import { CORRECTED_LABEL } from "./labels";

const BY: Record<NonNullable<TraceDetail["correctedBy"]>, string> = {
  human: "by a person",
  frontier: "by the frontier model",
};

/**
 * The trace's conversation. A corrected trace with its original shows what both share once, then
 * the original answer and the correction side by side; `messages` is the correction (what a
 * retrain learns from), `originalMessages` what the model first said.
 */
export function TraceConversation({ trace }: { trace: TraceDetail }) {
  const tools = trace.tools ?? undefined;
  if (!trace.correctedBy || !trace.originalMessages)
    return (
      <Card>
        <CardHeader
          title="Conversation"
          description={
            trace.correctedBy
              ? `As corrected ${BY[trace.correctedBy]}: what a retrain learns from.`
              : "Roles in order; tool calls with their arguments, and the results the tools returned."
          }
        />
        <CardBody>
          {trace.correctedBy && (
            <Notice>
              The producer did not send the original answer, so only the correction is stored. Post
              it as <code>originalMessages</code> with the trace to compare the two here.
            </Notice>
          )}
          <ExampleView value={{ messages: trace.messages, tools }} findings={[]} />
        </CardBody>
      </Card>
    );
  const split = splitCorrection(trace.originalMessages, trace.messages);
  return (
    <Card aria-labelledby="correction-title">
      <CardHeader
        title={<span id="correction-title">Original and correction</span>}
        description={`Corrected ${BY[trace.correctedBy]} (${CORRECTED_LABEL[trace.correctedBy]}). ${
          split.from > 0
            ? `The first ${split.from} message${split.from === 1 ? "" : "s"} are the same in both; they differ from there on.`
            : "They differ from the first message."
        } The correction is what a retrain learns from.`}
      />
      <CardBody>
        <div className="stack">
          {split.shared.length > 0 && (
            <section aria-label="Shared by both">
              <h3 className="form-section-title">Before the answers differ</h3>
              <ExampleView value={{ messages: split.shared, tools }} findings={[]} />
            </section>
          )}
          <div className="two-col" data-testid="trace-correction">
            <section aria-label="Original answer">
              <h3 className="form-section-title">Original: as the model answered</h3>
              {split.original.length > 0 ? (
                <ExampleView value={{ messages: split.original }} findings={[]} />
              ) : (
                <p className="muted">Nothing: the correction only adds messages.</p>
              )}
            </section>
            <section aria-label="Correction">
              <h3 className="form-section-title">Correction: {BY[trace.correctedBy]}</h3>
              {split.corrected.length > 0 ? (
                <ExampleView value={{ messages: split.corrected }} findings={[]} />
              ) : (
                <p className="muted">Nothing: the correction only removes messages.</p>
              )}
            </section>
          </div>
        </div>
      </CardBody>
    </Card>
  );
}
