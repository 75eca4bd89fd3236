"use client";

import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import type { Finding, PreviewRow } from "@/lib/schemas/datasets";
import { formatCount } from "@/lib/client/format-units";
import { useVersionRows, type RowsPage } from "@/lib/client/hooks/use-datasets";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExampleView } from "@/components/ui/example-view";
import { LoadingState } from "@/components/ui/loading-state";
import { Spinner } from "@/components/ui/spinner";

export const PAGE_SIZE = 20;
const SEARCH_DEBOUNCE_MS = 300;

type Start = { offset: number } | { line: number };

function pageOf(start: Start, q: string | undefined): RowsPage {
  return "line" in start
    ? { line: start.line, q, limit: PAGE_SIZE }
    : { offset: start.offset, q, limit: PAGE_SIZE };
}

type RowsPreviewProps = {
  versionId: string;
  /** From the URL: start at this file line (a finding's "View line"). */
  line?: number;
  /** From the URL: the search text. */
  q?: string;
  /** Writes `line` and `q` back to the URL, so a view can be linked and Back works. */
  /** `replace`: the search box, so typing does not add a history entry per word. */
  onNavigate: (next: { line?: number; q?: string }, options?: { replace?: boolean }) => void;
};

/**
 * Pages of rows rendered as conversations, with their findings, a raw-JSON toggle, search and
 * jump-to-line. `line` and `q` come from the URL; the pages under the toolbar restart (remount)
 * when either changes, and Next/Previous move through pages by the server's offsets.
 */
export function RowsPreview({ versionId, line, q, onNavigate }: RowsPreviewProps) {
  return (
    <Card>
      <CardHeader
        title="Preview"
        description="Rows as the model will see them: one conversation per line, with the findings on that line."
      />
      <div className="preview-toolbar">
        <SearchBox
          initial={q ?? ""}
          onSearch={(text) => onNavigate({ q: text || undefined }, { replace: true })}
        />
        <JumpToLine key={line} current={line} onJump={(n) => onNavigate({ line: n, q })} />
      </div>
      <RowPages key={`${line ?? ""}:${q ?? ""}`} versionId={versionId} line={line} q={q} />
    </Card>
  );
}

function RowPages({ versionId, line, q }: { versionId: string; line?: number; q?: string }) {
  const [start, setStart] = useState<Start>(line !== undefined ? { line } : { offset: 0 });
  // Starts of the pages before this one, for Previous (offsets depend on the search).
  const [history, setHistory] = useState<Start[]>([]);
  const rows = useVersionRows(versionId, pageOf(start, q));

  // After a jump to a line the server pages by line (nextLine), otherwise by offset.
  const nextStart: Start | null =
    rows.data?.nextOffset != null
      ? { offset: rows.data.nextOffset }
      : rows.data?.nextLine != null
        ? { line: rows.data.nextLine }
        : null;
  const previousStart: Start | null =
    history.at(-1) ??
    ("line" in start && !q && start.line > 1
      ? { line: Math.max(1, start.line - PAGE_SIZE) }
      : null);

  // After Next or Previous, bring the new page's first row into view once it has loaded.
  const listRef = useRef<HTMLOListElement>(null);
  const scrollOnLoad = useRef(false);
  useEffect(() => {
    if (!scrollOnLoad.current || rows.isPlaceholderData || !rows.data) return;
    scrollOnLoad.current = false;
    listRef.current?.scrollIntoView({ block: "start" });
  }, [rows.data, rows.isPlaceholderData]);

  function next() {
    if (!nextStart) return;
    scrollOnLoad.current = true;
    setHistory((h) => [...h, start]);
    setStart(nextStart);
  }

  function previous() {
    if (!previousStart) return;
    scrollOnLoad.current = true;
    if (history.length > 0) setHistory((h) => h.slice(0, -1));
    setStart(previousStart);
  }

  const data = rows.data;
  const shown = data?.rows ?? [];
  const range =
    shown.length > 0 ? `lines ${shown[0]!.line}–${shown[shown.length - 1]!.line}` : null;

  if (rows.isPending) return <LoadingState label="Loading rows…" rows={4} />;
  if (rows.isError && !data) {
    return (
      <ErrorState
        title="Could not load rows"
        error={rows.error}
        onRetry={() => void rows.refetch()}
        retrying={rows.isFetching}
      />
    );
  }
  return (
    <>
      {rows.isError && (
        <ErrorState
          title="Could not load that page; showing the previous one"
          error={rows.error}
          onRetry={() => void rows.refetch()}
          retrying={rows.isFetching}
        />
      )}
      {shown.length === 0 ? (
        <EmptyState
          title={
            history.length > 0
              ? "No more rows"
              : q
                ? `No rows match “${q}”`
                : line !== undefined
                  ? `No line ${line}`
                  : "No rows"
          }
          description={
            history.length > 0
              ? "This is the end of the file."
              : q
                ? `Searched ${formatCount(data?.scannedLines ?? 0)} lines. Try fewer or other words.`
                : line !== undefined
                  ? "The file has fewer lines than that."
                  : "This version has no rows to show."
          }
        />
      ) : (
        <ol
          ref={listRef}
          className="preview-rows"
          aria-label="Rows"
          aria-busy={rows.isFetching || undefined}
        >
          {shown.map((row) => (
            <RowCard key={row.line} row={row} target={row.line === line} />
          ))}
        </ol>
      )}
      <div className="pager">
        <Button size="sm" onClick={previous} disabled={!previousStart || rows.isFetching}>
          Previous
        </Button>
        <span className="muted small" aria-live="polite">
          {range ? `Showing ${range}` : "Nothing on this page"}
          {q && data ? ` · ${formatCount(data.scannedLines)} lines searched` : ""}
        </span>
        {rows.isFetching && <Spinner />}
        <Button size="sm" onClick={next} disabled={!nextStart || rows.isFetching}>
          Next
        </Button>
      </div>
    </>
  );
}

function SearchBox({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const id = useId();
  const [text, setText] = useState(initial);
  // The URL changed from outside (Back, a finding's link): show its search, do not re-send ours.
  const [shownInitial, setShownInitial] = useState(initial);
  if (initial !== shownInitial) {
    setShownInitial(initial);
    if (initial !== text.trim()) setText(initial);
  }
  const onSearchRef = useRef(onSearch);
  useEffect(() => {
    onSearchRef.current = onSearch;
  });
  useEffect(() => {
    if (text.trim() === initial) return;
    const t = setTimeout(() => onSearchRef.current(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, initial]);
  return (
    <div className="preview-search">
      <label htmlFor={id} className="label">
        Search rows
      </label>
      <input
        id={id}
        type="search"
        className="input"
        value={text}
        maxLength={200}
        placeholder="Text anywhere in the line, e.g. a tool name"
        onChange={(e) => setText(e.target.value)}
      />
    </div>
  );
}

function JumpToLine({ current, onJump }: { current?: number; onJump: (line: number) => void }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const n = Number(new FormData(e.currentTarget).get("line"));
    if (!Number.isInteger(n) || n < 1) {
      setError("Enter a line number from 1.");
      return;
    }
    setError(null);
    onJump(n);
  }
  return (
    <form className="preview-jump" onSubmit={submit} noValidate aria-label="Jump to line">
      <label htmlFor={id} className="label">
        Line
      </label>
      <input
        id={id}
        name="line"
        type="number"
        min={1}
        className="input input-narrow"
        defaultValue={current}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <Button type="submit" size="sm">
        Go to line
      </Button>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </form>
  );
}

function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <ul className="row-findings" aria-label="Findings on this line">
      {findings.map((f, i) => (
        <li key={i} className={cx("row-finding", `row-finding-${f.severity}`)}>
          <Badge tone={f.severity === "error" ? "danger" : "warning"}>{f.severity}</Badge>
          <span className="mono">{f.code}</span>
          {f.field && <span className="mono muted">{f.field}</span>}
          <span className="row-finding-message">{f.message}</span>
        </li>
      ))}
    </ul>
  );
}

function RowCard({ row, target }: { row: PreviewRow; target: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  const [raw, setRaw] = useState(row.value === null);
  const errors = row.findings.filter((f) => f.severity === "error").length;
  const warnings = row.findings.length - errors;

  useEffect(() => {
    if (target) ref.current?.scrollIntoView({ block: "start" });
  }, [target]);

  return (
    <li
      ref={ref}
      className={cx(
        "preview-row",
        errors > 0 ? "preview-row-error" : warnings > 0 && "preview-row-warning",
        target && "preview-row-target",
      )}
      aria-label={`Line ${row.line}`}
      aria-current={target ? "location" : undefined}
    >
      <div className="preview-row-head">
        <span className="mono preview-line-no">Line {row.line}</span>
        {row.split && <Badge tone={row.split === "eval" ? "info" : "neutral"}>{row.split}</Badge>}
        {errors > 0 && (
          <Badge tone="danger">
            {errors} error{errors === 1 ? "" : "s"}
          </Badge>
        )}
        {warnings > 0 && (
          <Badge tone="warning">
            {warnings} warning{warnings === 1 ? "" : "s"}
          </Badge>
        )}
        <span className="preview-row-spacer" />
        {row.value !== null && (
          <Button size="sm" variant="ghost" aria-pressed={raw} onClick={() => setRaw((r) => !r)}>
            Raw JSON
          </Button>
        )}
      </div>
      {row.findings.length > 0 && <FindingsList findings={row.findings} />}
      {row.value === null ? (
        <pre className="code-block code-block-raw" aria-label={`Raw text of line ${row.line}`}>
          {row.raw}
        </pre>
      ) : raw ? (
        <pre className="code-block code-block-raw" aria-label={`Raw JSON of line ${row.line}`}>
          {row.raw}
        </pre>
      ) : (
        <ExampleView value={row.value} findings={row.findings} />
      )}
    </li>
  );
}
