"use client";

import { ApiClientError } from "@/lib/client/api";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CodeBlock, CodePanel } from "@/components/ui/code-panel";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/loading-state";
import { Notice } from "@/components/ui/notice";
import { Spinner } from "@/components/ui/spinner";
import { EstimateView } from "./estimate-panel";
import type { PreviewState } from "./launch-form-status";
import { PreflightView } from "./preflight-view";
import { shellJoin } from "./shell-join";

/**
 * The right-hand column of the launch form: the estimate, the pre-flight, the blockers and what
 * would run, refreshed as the form changes.
 */
export function LaunchPreview({
  state,
  gpuLabel,
  cpu,
}: {
  state: PreviewState;
  gpuLabel: string;
  cpu: boolean;
}) {
  const checking = state.kind === "loading" || (state.kind === "ready" && state.checking);
  return (
    <div className="stack-lg launch-preview" aria-busy={checking || undefined}>
      <Card aria-label="Estimate">
        <CardHeader
          title="Estimate"
          description="Memory, tokens, steps, time and cost of this run."
          actions={
            checking && (
              <span className="muted inline-gap small" role="status">
                <Spinner /> Checking…
              </span>
            )
          }
        />
        <CardBody>
          {state.kind === "incomplete" ? (
            <p className="muted">
              Complete the form to see the estimate
              {state.missing.length > 0 && <>: {state.missing.join(", ")}</>}.
            </p>
          ) : state.kind === "loading" ? (
            <LoadingState label="Estimating…" rows={3} />
          ) : state.kind === "error" ? (
            <ErrorState
              title="This spec cannot launch"
              error={
                state.error instanceof ApiClientError && state.error.issues.length > 0
                  ? state.error.issues.map((i) => `${i.path}: ${i.message}`).join("; ")
                  : state.error
              }
            />
          ) : (
            <EstimateView estimate={state.preview.estimate} gpuLabel={gpuLabel} cpu={cpu} />
          )}
        </CardBody>
      </Card>

      {state.kind === "ready" && (
        <>
          {state.preview.blockers.length > 0 && (
            <div className="blockers" role="group" aria-label="Blockers">
              <p className="error-state-title">
                Launch is blocked ({state.preview.blockers.length})
              </p>
              <ul>
                {state.preview.blockers.map((b, i) => (
                  <li key={i}>{b}</li>
                ))}
              </ul>
            </div>
          )}
          {state.preview.warnings.length > 0 && (
            <div role="group" aria-label="Warnings">
              <Notice tone="warning">
                <ul>
                  {state.preview.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </Notice>
            </div>
          )}
          <Card aria-label="Pre-flight">
            <CardHeader
              title="Pre-flight"
              description="The training data through the base model's chat template, checked before anything is rented."
            />
            <CardBody>
              <PreflightView preflight={state.preview.preflight} />
            </CardBody>
          </Card>
          <CodePanel
            title="What will run"
            summary={
              state.preview.axolotlConfig
                ? "command and Axolotl config"
                : "command and trainer spec"
            }
          >
            {state.preview.image && <CodeBlock label="Image" text={state.preview.image} />}
            <CodeBlock label="Command" text={shellJoin(state.preview.command)} />
            {state.preview.axolotlConfig !== null ? (
              <CodeBlock label="Axolotl config (config.yml)" text={state.preview.axolotlConfig} />
            ) : (
              state.preview.trainerSpec && (
                <CodeBlock
                  label="Trainer spec (spec.json)"
                  text={JSON.stringify(state.preview.trainerSpec, null, 2)}
                />
              )
            )}
            <Notice>
              Paths are the preview&apos;s; the job&apos;s own run folder replaces them at launch.
            </Notice>
          </CodePanel>
        </>
      )}
    </div>
  );
}
