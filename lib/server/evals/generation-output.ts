/**
 * What local-generation.ts and container-generation.ts share about a generate.py run: its exit
 * codes, the streamed reading of its output, and the error a failed run becomes.
 */
import { parseTrainerLine } from "@/lib/domain/trainer-log";

export class LocalGenerationError extends Error {}

/** generate.py's exit codes (trainers/retune_common.py). */
const EXIT_MEANING: Record<number, string> = {
  2: "bad arguments or input file",
  3: "this host cannot load the model",
};

/**
 * generate.py's output as it streams: progress events from stdout (`[retune] {"event":"progress"…}`
 * lines) to `onProgress`, and the last stderr line kept for the error headline.
 */
export function scriptOutput(onProgress?: (done: number, total: number) => void) {
  let stdoutBuf = "";
  let stderrTail = "";
  let lastStderr = "";
  return {
    stdout(chunk: string) {
      stdoutBuf += chunk;
      let nl: number;
      while ((nl = stdoutBuf.indexOf("\n")) >= 0) {
        const line = stdoutBuf.slice(0, nl);
        stdoutBuf = stdoutBuf.slice(nl + 1);
        const parsed = parseTrainerLine(line);
        if (parsed?.kind === "event" && parsed.event.event === "progress") {
          try {
            onProgress?.(parsed.event.done, parsed.event.total);
          } catch {
            // A progress consumer's failure must not kill generation.
          }
        }
      }
      if (stdoutBuf.length > 1 << 20) stdoutBuf = stdoutBuf.slice(-65_536);
    },
    stderr(chunk: string) {
      stderrTail = (stderrTail + chunk).slice(-16_384);
      const lines = stderrTail.split("\n").filter((l) => l.trim().length > 0);
      if (lines.length) lastStderr = lines.at(-1)!.trim();
    },
    lastStderr: () => lastStderr,
  };
}

/** The error for a generate.py that did not exit 0: how it ended, what the code means, its last words. */
export function exitError(
  how: string,
  code: number | null,
  lastStderr: string,
): LocalGenerationError {
  const meaning = code !== null ? EXIT_MEANING[code] : undefined;
  return new LocalGenerationError(
    `generate.py ${how}${meaning ? ` (${meaning})` : ""}${lastStderr ? `: ${lastStderr}` : ""}`.slice(
      0,
      2_000,
    ),
  );
}
