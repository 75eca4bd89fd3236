import type { RenderedExample } from "@/lib/schemas/training-preflight";
import { formatCount } from "@/lib/client/format-units";

type Piece = { text: string; trained: boolean; eot: boolean };

/** Splits `text` at the assistant spans; spans are UTF-16 ranges, like JS string indices. */
function pieces(example: RenderedExample): Piece[] {
  const spans = [...example.assistantSpans]
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  const out: Piece[] = [];
  let at = 0;
  for (const s of spans) {
    const start = Math.max(at, s.start);
    if (start > at) out.push({ text: example.text.slice(at, start), trained: false, eot: false });
    if (s.end > start)
      out.push({
        text: example.text.slice(start, s.end),
        trained: true,
        eot: s.containsEndOfTurn,
      });
    at = Math.max(at, s.end);
  }
  if (at < example.text.length)
    out.push({ text: example.text.slice(at), trained: false, eot: false });
  return out;
}

/**
 * One example as the trainer sees it, through the base model's chat template; the highlighted
 * spans are the assistant turns that carry the loss.
 */
export function RenderedExampleView({
  example,
  sequenceLen,
}: {
  example: RenderedExample;
  sequenceLen: number;
}) {
  const over = example.tokens > sequenceLen;
  return (
    <figure className="rendered-example">
      <figcaption className="rendered-example-head">
        <span className="mono">line {example.line}</span>
        <span className={over ? "text-danger mono" : "muted mono"}>
          {formatCount(example.tokens)} tokens{over ? ` > ${formatCount(sequenceLen)}` : ""}
        </span>
        <span className="muted">
          {example.assistantSpans.length} trained span
          {example.assistantSpans.length === 1 ? "" : "s"}
        </span>
      </figcaption>
      <pre className="code-block rendered-example-text" tabIndex={0}>
        {pieces(example).map((p, i) =>
          p.trained ? (
            <mark
              key={i}
              className={p.eot ? "trained-span" : "trained-span trained-span-no-eot"}
              title={
                p.eot
                  ? "Trained (assistant turn, end-of-turn included)"
                  : "Trained, but the end-of-turn token is not inside this span"
              }
            >
              {p.text}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
      </pre>
    </figure>
  );
}
