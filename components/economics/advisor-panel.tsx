"use client";

import { useState } from "react";
import { advise, SITUATIONS } from "@/lib/domain/economics/advisor";
import {
  CURRENT_SETUPS,
  FINE_TUNE_TARGETS,
  TRAINING_DATA_SOURCES,
  type AdvisorApproach,
  type AdvisorInputBody,
  type FineTuneTarget,
  type RetuneCadence,
  type SituationId,
} from "@/lib/schemas/economics";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { Select } from "@/components/ui/select";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { formatCalls } from "./format";

const APPROACH_LABEL: Record<AdvisorApproach, string> = {
  fine_tune: "Fine-tune",
  hybrid: "Hybrid",
  frontier_only: "Frontier only",
  frontier_first: "Frontier first",
};
const APPROACH_TONE: Record<AdvisorApproach, "success" | "info" | "warning"> = {
  fine_tune: "success",
  hybrid: "success",
  frontier_only: "info",
  frontier_first: "info",
};
const TARGET_LABEL: Record<FineTuneTarget, string> = {
  tool_call_format: "Tool-call format",
  tool_selection: "Tool selection",
  output_format: "Output format",
  domain_reasoning: "Domain reasoning",
  refusal_behaviour: "Refusal behaviour",
  narrow_task: "A narrow task",
  orchestration: "Orchestration (planning)",
  whole_agent: "The whole agent, end to end",
};
const DATA_LABEL: Record<(typeof TRAINING_DATA_SOURCES)[number], string> = {
  production_traces: "Production traces",
  synthetic: "Synthetic (frontier-generated)",
  mixed: "Mixed",
  none_yet: "None yet",
};
const SETUP_LABEL: Record<(typeof CURRENT_SETUPS)[number], string> = {
  frontier_only: "A frontier API for every call",
  self_hosted: "Self-hosted model",
  hybrid: "Already hybrid",
  none: "Nothing in production yet",
};

type Harness = "unknown" | "yes" | "no";

/**
 * The seed's decision table as a checklist. The advice is computed in the browser with the same
 * pure function POST /api/v1/economics/advise runs; with the planner's numbers, the volume
 * argument comes from the break-even instead of a rule of thumb.
 */
export function AdvisorPanel({
  planner,
  retuneCadence,
}: {
  /** The planner's volume and end-to-end break-even, when it has numbers. */
  planner: { invocationsPerMonth: number; breakEvenInvocationsPerMonth: number | null } | null;
  retuneCadence: RetuneCadence;
}) {
  const [situations, setSituations] = useState<SituationId[]>([]);
  const [targets, setTargets] = useState<FineTuneTarget[]>([]);
  const [trainingData, setTrainingData] = useState<string>("");
  const [harness, setHarness] = useState<Harness>("unknown");
  const [setup, setSetup] = useState<string>("");
  const [usePlanner, setUsePlanner] = useState(true);

  const toggle = <T,>(list: T[], x: T, on: boolean) =>
    on ? [...list.filter((y) => y !== x), x] : list.filter((y) => y !== x);

  const body: AdvisorInputBody = {
    situations,
    plan: {
      targets,
      ...(trainingData ? { trainingData: trainingData as never } : {}),
      ...(harness === "unknown" ? {} : { hasEvalHarness: harness === "yes" }),
      retuneCadence,
      ...(setup ? { currentSetup: setup as never } : {}),
    },
    ...(usePlanner && planner ? { economics: planner } : {}),
  };
  // A table lookup over a dozen rows: cheaper to run on every render than to memoise.
  const advice = advise(body);

  return (
    <Card aria-label="Advisor">
      <CardHeader
        title="Advisor"
        description="Check what is true of your agent; the recommendation combines the rows and warns about the anti-patterns in your plan."
      />
      <CardBody>
        <div className="two-col">
          <div className="stack">
            <fieldset className="fieldset">
              <legend className="fieldset-legend">Situations</legend>
              {SITUATIONS.map((s) => (
                <Checkbox
                  key={s.id}
                  className="checkbox-plain"
                  label={s.label}
                  checked={situations.includes(s.id)}
                  onChange={(e) => setSituations(toggle(situations, s.id, e.currentTarget.checked))}
                />
              ))}
            </fieldset>
            <fieldset className="fieldset">
              <legend className="fieldset-legend">What you plan to fine-tune</legend>
              {FINE_TUNE_TARGETS.map((t) => (
                <Checkbox
                  key={t}
                  className="checkbox-plain"
                  label={TARGET_LABEL[t]}
                  checked={targets.includes(t)}
                  onChange={(e) => setTargets(toggle(targets, t, e.currentTarget.checked))}
                />
              ))}
            </fieldset>
            <div className="form-grid">
              <Field label="Training data">
                <Select
                  value={trainingData}
                  onChange={(e) => setTrainingData(e.currentTarget.value)}
                  options={[
                    { value: "", label: "Not decided" },
                    ...TRAINING_DATA_SOURCES.map((d) => ({ value: d, label: DATA_LABEL[d] })),
                  ]}
                />
              </Field>
              <Field label="Eval harness in place">
                <Select
                  value={harness}
                  onChange={(e) => setHarness(e.currentTarget.value as Harness)}
                  options={[
                    { value: "unknown", label: "Not said" },
                    { value: "yes", label: "Yes" },
                    { value: "no", label: "No" },
                  ]}
                />
              </Field>
              <Field label="Today's setup">
                <Select
                  value={setup}
                  onChange={(e) => setSetup(e.currentTarget.value)}
                  options={[
                    { value: "", label: "Not said" },
                    ...CURRENT_SETUPS.map((s) => ({ value: s, label: SETUP_LABEL[s] })),
                  ]}
                />
              </Field>
            </div>
            <Checkbox
              className="checkbox-plain"
              label="Weigh the planner's numbers"
              description={
                planner
                  ? `${formatCalls(planner.invocationsPerMonth)} invocations a month against a break-even of ${
                      planner.breakEvenInvocationsPerMonth === null
                        ? "never"
                        : formatCalls(planner.breakEvenInvocationsPerMonth)
                    }; the re-tune cadence comes from the planner too.`
                  : "Fill in the planner above to weigh volume by its break-even."
              }
              disabled={!planner}
              checked={usePlanner && planner !== null}
              onChange={(e) => setUsePlanner(e.currentTarget.checked)}
            />
          </div>

          <section className="stack" aria-label="Recommendation" data-testid="advice">
            <p>
              <Badge tone={APPROACH_TONE[advice.approach]}>{APPROACH_LABEL[advice.approach]}</Badge>{" "}
              <strong>{advice.headline}</strong>
            </p>
            {advice.fineTune.length > 0 && (
              <p>
                <span className="muted">Fine-tune:</span> {advice.fineTune.join(", ")}.
              </p>
            )}
            {advice.keepOnFrontier.length > 0 && (
              <p>
                <span className="muted">Keep on the frontier model:</span>{" "}
                {advice.keepOnFrontier.join(", ")}.
              </p>
            )}
            {advice.notes.map((n) => (
              <p key={n} className="small">
                {n}
              </p>
            ))}
            {advice.warnings.map((w) => (
              <Notice
                key={`${w.antiPattern}-${w.severity}`}
                tone={w.severity === "warning" ? "warning" : "info"}
              >
                <strong>Anti-pattern: {w.title}.</strong> {w.message}
              </Notice>
            ))}
            {advice.reasons.length > 0 ? (
              <Table caption="Why: the checked rows of the decision table">
                <THead>
                  <Tr>
                    <Th>Situation</Th>
                    <Th>Recommended</Th>
                    <Th>Why</Th>
                  </Tr>
                </THead>
                <TBody>
                  {advice.reasons.map((r) => (
                    <Tr key={r.situation}>
                      <Td>{r.label}</Td>
                      <Td>{r.recommendation}</Td>
                      <Td className="small">{r.reason}</Td>
                    </Tr>
                  ))}
                </TBody>
              </Table>
            ) : (
              <p className="muted small">Check the situations that describe your agent.</p>
            )}
          </section>
        </div>
      </CardBody>
    </Card>
  );
}
