import type { ReactNode } from "react";

/** A collapsible block of generated text (command, config), closed by default. */
export function CodePanel({
  title,
  summary,
  children,
  open = false,
}: {
  title: string;
  summary?: ReactNode;
  children: ReactNode;
  open?: boolean;
}) {
  return (
    <details className="code-panel" open={open}>
      <summary>
        <span className="code-panel-title">{title}</span>
        {summary && <span className="muted"> {summary}</span>}
      </summary>
      <div className="code-panel-body">{children}</div>
    </details>
  );
}

/** A labelled, read-only block of monospace text. */
export function CodeBlock({ label, text }: { label: string; text: string }) {
  return (
    <div className="stack">
      <p className="field-label">{label}</p>
      <pre className="code-block" aria-label={label} tabIndex={0}>
        {text}
      </pre>
    </div>
  );
}
