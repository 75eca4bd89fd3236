/**
 * String comparison for the `retune` profile: BFCL's `standardize_string` (lowercase, drop
 * spaces and the characters , . / - _ * ^, read ' as "), except that every whitespace
 * character is dropped, not only spaces, so "San Francisco,\tCA" and "san francisco ca" are one
 * value; trimming falls out of that. A deliberate difference from BFCL (PROFILE_DIFFERENCES).
 */
export function standardizeString(text: string): string {
  return text
    .replace(/[\s,./\-_*^]/g, "")
    .toLowerCase()
    .replaceAll("'", '"');
}

/**
 * BFCL's `standardize_string` exactly (ast_checker.py: `re.sub(r"[ \,\.\/\-\_\*\^]", "", s)
 * .lower().replace("'", '"')`): only the ASCII space goes, so a tab, a newline or a
 * non-breaking space still makes two strings differ. The `bfcl` profile compares with this.
 */
export function bfclStandardizeString(text: string): string {
  return text
    .replace(/[ ,./\-_*^]/g, "")
    .toLowerCase()
    .replaceAll("'", '"');
}

/** Runs of whitespace become one space and the ends are trimmed: what exact_match compares. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
