/** Any value as indented JSON; what JSON cannot encode (a cycle, a BigInt) as String(v). */
export function prettyJson(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}
