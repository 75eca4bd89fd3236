import type { QueueDepth } from "@/lib/schemas/health";

const ROW = 28;
const LABEL_W = 150;
const BAR_W = 360;
const VALUE_W = 40;
const WIDTH = LABEL_W + BAR_W + VALUE_W;

/** Waiting and active jobs per queue as paired horizontal bars; the table beside it has the numbers. */
export function QueueChart({ queues }: { queues: QueueDepth[] }) {
  const max = Math.max(1, ...queues.flatMap((q) => [q.waiting, q.active]));
  const height = queues.length * ROW + 24;
  const scale = (n: number) => (n / max) * BAR_W;
  const summary = queues
    .map((q) => `${q.name}: ${q.waiting} waiting, ${q.active} active`)
    .join("; ");

  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label={`Queue depth. ${summary}`}
        className="chart-svg"
      >
        {queues.map((q, i) => {
          const y = i * ROW;
          return (
            <g key={q.name} transform={`translate(0 ${y})`}>
              <text x={0} y={16} className="chart-label">
                {q.name}
              </text>
              <rect x={LABEL_W} y={4} width={BAR_W} height={20} className="chart-track" rx={2} />
              <rect
                x={LABEL_W}
                y={4}
                width={scale(q.waiting)}
                height={9}
                className="chart-bar-waiting"
                rx={1}
              />
              <rect
                x={LABEL_W}
                y={15}
                width={scale(q.active)}
                height={9}
                className="chart-bar-active"
                rx={1}
              />
              <text x={WIDTH} y={16} textAnchor="end" className="chart-value">
                {q.waiting}/{q.active}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${LABEL_W} ${queues.length * ROW + 8})`} className="chart-legend">
          <rect width={10} height={10} className="chart-bar-waiting" />
          <text x={14} y={9}>
            waiting
          </text>
          <rect x={80} width={10} height={10} className="chart-bar-active" />
          <text x={94} y={9}>
            active
          </text>
          <text x={BAR_W} y={9} textAnchor="end">
            scale 0–{max}
          </text>
        </g>
      </svg>
    </figure>
  );
}
