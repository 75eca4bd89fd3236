/**
 * BFCL's `standardize_string`: lowercase, drop spaces and the characters , . / - _ * ^, and
 * read ' as ". We drop every whitespace character, not only spaces, so "San Francisco,\tCA"
 * and "san francisco ca" are one value; trimming falls out of that.
 */
export function standardizeString(text: string): string {
  return text
    .replace(/[\s,./\-_*^]/g, "")
    .toLowerCase()
    .replaceAll("'", '"');
}

/** Runs of whitespace become one space and the ends are trimmed: what exact_match compares. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
