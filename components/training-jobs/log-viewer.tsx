"use client";

import { useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { TrainingAttempt } from "@/lib/schemas/training-jobs";
import { formatBytes, formatCount } from "@/lib/client/format-units";
import { logsUrl, useTrainingLogs } from "@/lib/client/hooks/training-jobs";
import { STATUS_LABEL } from "@/lib/client/training-labels";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { ErrorState } from "@/components/ui/error-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";

/** Lines rendered at most; the download has the rest. */
const MAX_LINES = 3_000;
/** How close to the bottom still counts as "at the bottom" (px). */
const FOLLOW_SLACK = 24;

/**
 * What a terminal would show for a line: progress bars rewrite themselves with carriage returns,
 * so only the last non-empty segment is kept.
 */
function terminalLine(line: string): string {
  if (!line.includes("\r")) return line;
  const parts = line.split("\r").filter((p) => p !== "");
  return parts.at(-1) ?? "";
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function highlight(line: string, re: RegExp | null): ReactNode {
  if (!re) return line;
  const out: ReactNode[] = [];
  let at = 0;
  for (const m of line.matchAll(re)) {
    const i = m.index;
    if (i > at) out.push(line.slice(at, i));
    out.push(<mark key={i}>{m[0]}</mark>);
    at = i + m[0].length;
  }
  if (at < line.length) out.push(line.slice(at));
  return out;
}

/**
 * The trainer's output for one attempt, appended as it is written. It follows the end unless
 * the reader scrolls up; search highlights matches and can hide the other lines.
 */
export function LogViewer({
  jobId,
  attempts,
  currentAttempt,
}: {
  jobId: string;
  attempts: readonly TrainingAttempt[];
  currentAttempt: number;
}) {
  const [picked, setPicked] = useState<number | null>(null);
  const attempt = picked ?? currentAttempt;
  const logs = useTrainingLogs(jobId, attempt);
  const [query, setQuery] = useState("");
  const [onlyMatches, setOnlyMatches] = useState(false);
  const [following, setFollowing] = useState(true);
  const box = useRef<HTMLPreElement>(null);

  const lines = useMemo(() => {
    const text = logs.data?.text ?? "";
    const all = text.split("\n");
    if (all.at(-1) === "") all.pop();
    return all.map(terminalLine);
  }, [logs.data?.text]);

  const q = query.trim();
  const re = useMemo(() => (q ? new RegExp(escapeRegExp(q), "gi") : null), [q]);
  const matching = useMemo(
    () => (re ? lines.filter((l) => l.toLowerCase().includes(q.toLowerCase())).length : 0),
    [lines, re, q],
  );
  const shown = useMemo(() => {
    const base =
      re && onlyMatches ? lines.filter((l) => l.toLowerCase().includes(q.toLowerCase())) : lines;
    return base.length > MAX_LINES ? base.slice(-MAX_LINES) : base;
  }, [lines, re, onlyMatches, q]);
  const clipped = (re && onlyMatches ? matching : lines.length) - shown.length;

  useLayoutEffect(() => {
    const el = box.current;
    if (el && following) el.scrollTop = el.scrollHeight;
  }, [shown, following]);

  const status = attempts.find((a) => a.attempt === attempt)?.status;
  const attemptOptions = [...attempts]
    .sort((a, b) => b.attempt - a.attempt)
    .map((a) => ({
      value: String(a.attempt),
      label: `Attempt ${a.attempt} · ${STATUS_LABEL[a.status]}`,
    }));
  const dropped = logs.data?.droppedBytes ?? 0;

  return (
    <div className="log-viewer">
      <div className="log-toolbar">
        {attempts.length > 1 && (
          <Field label="Attempt">
            <Select
              options={attemptOptions}
              value={String(attempt)}
              onChange={(e) => {
                setPicked(Number(e.currentTarget.value));
                setFollowing(true);
              }}
            />
          </Field>
        )}
        <Field label="Search log">
          <Input
            type="search"
            value={query}
            placeholder="e.g. loss, error, checkpoint"
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
        </Field>
        <Checkbox
          className="checkbox-plain log-only-matches"
          label="Only matching lines"
          checked={onlyMatches}
          onChange={(e) => setOnlyMatches(e.currentTarget.checked)}
        />
        <span className="log-toolbar-spacer" />
        <span className="muted small" aria-live="polite">
          {q ? `${formatCount(matching)} matching line${matching === 1 ? "" : "s"}` : ""}
        </span>
        <a className="btn btn-sm" href={logsUrl(jobId, { attempt, download: true })} download>
          Download log
        </a>
      </div>
      {logs.isError ? (
        <ErrorState
          title="Could not read the log"
          error={logs.error}
          onRetry={() => void logs.refetch()}
          retrying={logs.isFetching}
        />
      ) : (
        <div className="log-frame">
          <pre
            ref={box}
            className="log-box"
            role="log"
            aria-label={`Training log, attempt ${attempt}`}
            aria-live="off"
            tabIndex={0}
            onScroll={(e) => {
              const el = e.currentTarget;
              const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < FOLLOW_SLACK;
              if (atBottom !== following) setFollowing(atBottom);
            }}
          >
            {(dropped > 0 || clipped > 0) && (
              <span className="log-note">
                …{" "}
                {dropped > 0
                  ? `${formatBytes(dropped)} earlier`
                  : `${formatCount(clipped)} earlier lines`}{" "}
                not shown; download the log for everything.{"\n"}
              </span>
            )}
            {shown.length === 0 ? (
              <span className="muted">
                {logs.isPending
                  ? "Loading…"
                  : q && onlyMatches
                    ? "No line matches."
                    : status === "QUEUED"
                      ? "Waiting for the run to start…"
                      : "No output yet."}
              </span>
            ) : (
              shown.map((line, i) => (
                <span key={i} className="log-line">
                  {highlight(line, re)}
                  {"\n"}
                </span>
              ))
            )}
          </pre>
          <div className="log-status">
            {logs.data && !logs.data.complete ? (
              <span className="muted small inline-gap">
                <Spinner /> Live
              </span>
            ) : (
              <span className="muted small">{logs.data ? "End of log" : ""}</span>
            )}
            {!following && (
              <Button
                size="sm"
                onClick={() => {
                  setFollowing(true);
                  const el = box.current;
                  if (el) el.scrollTop = el.scrollHeight;
                }}
              >
                Follow ↓
              </Button>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
