/** `retune traces push`: full interactions (the raw material of retraining datasets) as NDJSON. */
import type { Command } from "commander";
import { contextOf } from "./context";
import { inputLines, ndjsonBatches, pushBatches } from "./ndjson";
import { formatCount } from "./output";

export function registerTraces(program: Command) {
  const traces = program
    .command("traces")
    .summary("push traces: full conversations for retraining")
    .description(
      "Traces: opted-in full interactions (OpenAI chat messages and tools), browsed in the console and built into retraining datasets.",
    );

  traces
    .command("push")
    .summary("send NDJSON traces from a file or stdin, in batches")
    .argument("[file]", "NDJSON (or .gz); `-` or none: stdin")
    .addHelpText(
      "after",
      `
One trace per line: { "timestamp", "model", "messages": [...], "outcome": "success"|"failure",
and optionally "id", "tools", "correctedBy", "originalMessages", "metadata" }. Sent in batches
within the API's limits; a trace with an "id" sent again counts as a duplicate. A refused batch
lists its bad lines and stops the push (the batches before it stay stored). Needs a key with the
telemetry scope.

Example:
  $ retune traces push conversations.ndjson.gz`,
    )
    .action(async (file: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const lines = inputLines(file);
      const api = await ctx.api();
      const { TELEMETRY_MAX_BYTES } = await import("@/lib/schemas/telemetry");
      const { TRACE_MAX_BATCH } = await import("@/lib/schemas/traces");
      const totals = await pushBatches(
        ctx,
        ndjsonBatches(lines, { maxItems: TRACE_MAX_BATCH, maxBytes: TELEMETRY_MAX_BYTES }),
        (text) => api.pushTraces(text),
        "traces",
      );
      ctx.out.result(
        totals,
        `${formatCount(totals.accepted)} traces accepted, ${formatCount(totals.duplicates)} duplicates, in ${totals.batches} batches`,
      );
    });
}
