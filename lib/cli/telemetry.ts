/** `retune telemetry push`: production telemetry events as NDJSON. */
import type { Command } from "commander";
import { contextOf } from "./context";
import { inputLines, ndjsonBatches, pushBatches } from "./ndjson";
import { formatCount } from "./output";

export function registerTelemetry(program: Command) {
  const telemetry = program
    .command("telemetry")
    .summary("push production telemetry events")
    .description(
      "Telemetry: one event per call of a fine-tuned component in production; drift monitors read it.",
    );

  telemetry
    .command("push")
    .summary("send NDJSON events from a file or stdin, in batches")
    .argument("[file]", "NDJSON (or .gz); `-` or none: stdin")
    .addHelpText(
      "after",
      `
One event per line: { "timestamp", "model", "outcome": "success"|"failure", and optionally "id",
"version", "toolCallValid", "escalated", "latencyMs", "costUsd", "tool", "intent", "feedback" }.
Sent in batches within the API's limits per request; an event with an "id" sent again counts as
a duplicate, so a push that stopped can be rerun. A refused batch lists its bad lines and stops
the push (the batches before it stay stored). Needs a key with the telemetry scope.

Example:
  $ tail -n 5000 events.ndjson | retune telemetry push`,
    )
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const lines = inputLines(file);
      const api = await ctx.api();
      const { TELEMETRY_MAX_BYTES, TELEMETRY_MAX_EVENTS } = await import("@/lib/schemas/telemetry");
      const totals = await pushBatches(
        ctx,
        ndjsonBatches(lines, { maxItems: TELEMETRY_MAX_EVENTS, maxBytes: TELEMETRY_MAX_BYTES }),
        (text) => api.pushTelemetry(text),
        "events",
      );
      ctx.out.result(
        totals,
        `${formatCount(totals.accepted)} events accepted, ${formatCount(totals.duplicates)} duplicates, in ${totals.batches} batches`,
      );
    });
}
