/**
 * Progress bars (cli-progress) on stderr. On a terminal the bar redraws in place; elsewhere (CI
 * logs, a test capturing stderr) it prints a line when it starts, every few seconds, and when it
 * stops, so a log still shows how far an upload or a run got. `--no-progress` turns bars off.
 */
import cliProgress from "cli-progress";

export type Bar = {
  update(value: number, payload?: Record<string, string | number>): void;
  setTotal(total: number): void;
  /** Writes a line of output without tearing the bar (clears its line first on a terminal). */
  interrupt(write: () => void): void;
  stop(): void;
};

export type BarOptions = {
  /** cli-progress format: {bar}, {percentage}, {value}, {total}, and the payload's keys. */
  format: string;
  total: number;
  payload?: Record<string, string | number>;
  formatValue?: (value: number, key: "value" | "total") => string;
};

const NO_BAR: Bar = {
  update: () => {},
  setTotal: () => {},
  interrupt: (write) => write(),
  stop: () => {},
};

export function createBar(
  opts: BarOptions,
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): Bar {
  if (!enabled) return NO_BAR;
  const tty = Boolean(stream.isTTY);
  const bar = new cliProgress.SingleBar({
    format: opts.format,
    stream,
    barsize: 24,
    // Redraw on every tick, so a line printed over the bar (interrupt) is drawn over again.
    forceRedraw: tty,
    noTTYOutput: true,
    notTTYSchedule: 5_000,
    formatValue: opts.formatValue
      ? (v: number, _o: unknown, type: string) =>
          type === "value" || type === "total" ? opts.formatValue!(v, type) : String(v)
      : undefined,
  });
  bar.start(Math.max(opts.total, 1), 0, opts.payload ?? {});
  let active = true;
  return {
    update: (value, payload) => active && bar.update(value, payload ?? {}),
    setTotal: (total) => active && bar.setTotal(Math.max(total, 1)),
    interrupt(write) {
      if (active && tty) stream.write("\r\x1b[2K");
      write();
    },
    stop() {
      if (!active) return;
      active = false;
      bar.stop();
    },
  };
}
