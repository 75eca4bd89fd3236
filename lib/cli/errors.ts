/**
 * Exit codes and the errors that carry them. A CI step reads the exit code, a person the message:
 * every failure ends as one `error: …` line (plus the API's field issues), never a stack trace.
 */

/** Documented in `retune --help` (program.ts); scripts depend on these numbers. */
export const EXIT = {
  ok: 0,
  /** The server refused the request, could not be reached, or something else went wrong. */
  error: 1,
  /** Unknown command, bad option or argument. */
  usage: 2,
  /** A gate said no: `evals run --gate` failed, `models promote` was refused. */
  refused: 3,
  /** The work waited on failed: a training job FAILED or CANCELLED, a dataset INVALID, an eval run FAILED. */
  failed: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type Issue = { path: string; message: string };

export class CliError extends Error {
  override readonly name: string = "CliError";

  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
    /** Machine-readable reason (the API's error code where there is one). */
    readonly code: string = "error",
    /** Lines shown under the message: a refused field, a failing gate condition. */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage, "usage");

/** A file named on the command line that cannot be read: `cannot read x.jsonl: ENOENT`. */
export const fileError = (file: string, e: unknown) =>
  new CliError(
    `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    EXIT.error,
    "unreadable_file",
  );

/** A non-2xx answer: the API's `{ error: { code, message, issues } }`, as sent. */
export class ApiError extends CliError {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly issues: Issue[] = [],
    exitCode: ExitCode = EXIT.error,
  ) {
    super(
      message,
      exitCode,
      code,
      issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
    );
  }
}

/** What main prints for any thrown value: the message, its code and exit code, no stack. */
export function describeError(e: unknown): {
  message: string;
  code: string;
  status: number | null;
  details: string[];
  exitCode: ExitCode;
} {
  if (e instanceof ApiError)
    return {
      message: e.message,
      code: e.code,
      status: e.status || null,
      details: e.details,
      exitCode: e.exitCode,
    };
  if (e instanceof CliError)
    return {
      message: e.message,
      code: e.code,
      status: null,
      details: e.details,
      exitCode: e.exitCode,
    };
  const message = e instanceof Error ? e.message : String(e);
  return { message, code: "internal", status: null, details: [], exitCode: EXIT.error };
}

/** `error: <message> (<code>, HTTP <status>)` and one indented line per detail. */
export function formatError(d: ReturnType<typeof describeError>): string {
  const tag = [d.code !== "error" ? d.code : null, d.status ? `HTTP ${d.status}` : null]
    .filter(Boolean)
    .join(", ");
  const head = `error: ${d.message}${tag ? ` (${tag})` : ""}`;
  return [head, ...d.details.map((line) => `  ${line}`)].join("\n");
}
