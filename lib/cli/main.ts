/**
 * Runs the CLI and turns whatever ends it into an exit code (errors.ts): commander's usage errors
 * are 2, everything else is printed as `error: <message> (<code>)` — a stack only with
 * RETUNE_DEBUG=1.
 */
import { CommanderError } from "commander";
import { describeError, EXIT, formatError } from "./errors";
import { buildProgram } from "./program";

/** A reader that went away (`retune … | head`) ends the command quietly, not with a stack. */
function exitOnClosedPipe(stream: NodeJS.WriteStream) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
    throw e;
  });
}

let pipesGuarded = false;

export async function main(argv: string[] = process.argv): Promise<number> {
  if (!pipesGuarded) {
    exitOnClosedPipe(process.stdout);
    exitOnClosedPipe(process.stderr);
    pipesGuarded = true;
  }
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    // Commander has printed its message (or the help) already.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const d = describeError(e);
    if (program.opts<{ json?: boolean }>().json)
      process.stdout.write(
        `${JSON.stringify({ error: { code: d.code, message: d.message, status: d.status, details: d.details } })}\n`,
      );
    process.stderr.write(`${formatError(d)}\n`);
    if (process.env.RETUNE_DEBUG && e instanceof Error && e.stack)
      process.stderr.write(`${e.stack}\n`);
    return d.exitCode;
  }
}
