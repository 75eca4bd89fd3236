import type { z } from "zod";

/** A defect in one of a category's two files; line 0 is the file as a whole. */
export type BfclFileError = { file: "questions" | "answers"; line: number; message: string };

/** One parsed line and the 1-based line number it came from. */
export type Numbered<T> = { line: number; value: T };

/**
 * Reads BFCL's JSON lines (one object per line; blank lines skipped, a trailing "\r" allowed).
 * Each line must be a JSON object with a non-empty string `id` and must then match `schema`;
 * otherwise an error names the file, the line and what is wrong. A repeated id is an error on
 * its second line. `ids` collects every line's id, even of lines that fail the schema, so a
 * caller does not report a second problem for a line already reported.
 */
export function readJsonLines<T>(
  text: string,
  file: BfclFileError["file"],
  schema: z.ZodType<T>,
): { items: Numbered<T>[]; errors: BfclFileError[]; ids: Set<string> } {
  const items: Numbered<T>[] = [];
  const errors: BfclFileError[] = [];
  const ids = new Set<string>();
  const firstLine = new Map<string, number>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, "");
    if (raw.trim() === "") continue;
    const line = i + 1;
    const fail = (message: string) => errors.push({ file, line, message });
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      fail(`not valid JSON (${(e as Error).message})`);
      continue;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      fail(`expected a JSON object, found ${Array.isArray(parsed) ? "an array" : typeof parsed}`);
      continue;
    }
    const id = (parsed as { id?: unknown }).id;
    if (id === undefined) {
      fail(`missing "id"`);
      continue;
    }
    if (typeof id !== "string" || id === "") {
      fail(`"id" must be a non-empty string, found ${JSON.stringify(id)}`);
      continue;
    }
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      fail(`id "${id}" already appears on line ${seen}`);
      continue;
    }
    firstLine.set(id, line);
    ids.add(id);
    const result = schema.safeParse(parsed);
    if (!result.success) {
      fail(`id "${id}": ${describeIssues(result.error)}`);
      continue;
    }
    items.push({ line, value: result.data });
  }
  return { items, errors, ids };
}

/** The first issues of a zod error as `path: message`, the path written like JS access. */
export function describeIssues(error: z.ZodError, max = 3): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path
      .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
      .join("");
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - max;
  return parts.join("; ") + (more > 0 ? ` (and ${more} more)` : "");
}
