import Link from "next/link";
import type { CSSProperties } from "react";
import type { LoopStep } from "@/lib/schemas/retrain";
import { STEP_LABEL } from "@/lib/domain/retrain-loop";
import { Spinner } from "@/components/ui/spinner";
import { TimeStamp } from "@/components/ui/time-stamp";
import { STEP_STATE_COLOR, STEP_STATE_LABEL } from "./labels";

/** A glyph per state, so the state reads without colour too. */
const STATE_MARK: Record<LoopStep["state"], string> = {
  done: "✓",
  active: "",
  failed: "✕",
  skipped: "↷",
  pending: "○",
  waiting: "…",
};

// Styles are inline: the stepper is this panel's own drawing, and globals.css holds shared classes.
const LIST: CSSProperties = {
  listStyle: "none",
  margin: 0,
  padding: 0,
  display: "grid",
  gridTemplateColumns: "repeat(auto-fit, minmax(128px, 1fr))",
  gap: 10,
};

function stepStyle(state: LoopStep["state"]): CSSProperties {
  return {
    borderTop: `3px ${state === "pending" || state === "skipped" ? "dashed" : "solid"} ${STEP_STATE_COLOR[state]}`,
    paddingTop: 6,
    display: "flex",
    flexDirection: "column",
    gap: 2,
    minWidth: 0,
    opacity: state === "pending" ? 0.75 : 1,
  };
}

/**
 * One retrain's loop as a horizontal stepper: trigger → dataset → job → eval → gate → promotion.
 * Each step is a list item named "<step>: <state>" (e.g. "promotion: done") with
 * data-testid="loop-step-<step>" and data-state, so tests and screen readers can ask for any
 * step; its label links to what it made.
 */
export function LoopStepper({ steps }: { steps: readonly LoopStep[] }) {
  return (
    <ol aria-label="Retraining loop" style={LIST}>
      {steps.map((s) => (
        <li
          key={s.step}
          aria-label={`${s.step}: ${s.state}`}
          aria-current={s.state === "active" ? "step" : undefined}
          data-testid={`loop-step-${s.step}`}
          data-state={s.state}
          style={stepStyle(s.state)}
        >
          <span className="small" style={{ color: STEP_STATE_COLOR[s.state], fontWeight: 600 }}>
            {s.state === "active" ? (
              <Spinner />
            ) : (
              <span aria-hidden="true">{STATE_MARK[s.state]}</span>
            )}{" "}
            {STEP_LABEL[s.step]} · {STEP_STATE_LABEL[s.state]}
          </span>
          <span className="truncate" style={{ maxWidth: "100%" }} title={s.label}>
            {s.href ? (
              <Link href={s.href} className="strong-link">
                {s.label}
              </Link>
            ) : (
              <span className="strong">{s.label}</span>
            )}
          </span>
          {s.detail && (
            <span
              className={s.state === "failed" ? "small text-danger" : "small muted"}
              style={{ overflowWrap: "anywhere" }}
            >
              {s.detail}
            </span>
          )}
          {s.at && (
            <span className="small muted">
              <TimeStamp iso={s.at} format="relative" />
            </span>
          )}
        </li>
      ))}
    </ol>
  );
}
