/**
 * A picker's text read as a search over "name · vN" labels. The whole text is always tried as
 * part of a name; a text that ends in a version ("support agent v3", "support agent · v3", or
 * "v3" / "3" alone) is also tried as that name and that version number. Both readings are kept
 * because a name may itself end in one ("gpt 4").
 */
export type VersionSearch = {
  /** The whole text, trimmed: matched as part of a name. */
  text: string;
  /** When the text ends in a version: the name before it (may be empty) and the number. */
  versioned?: { name: string; version: number };
};

const MAX_VERSION = 2_147_483_647;

export function parseVersionSearch(q: string | undefined): VersionSearch | null {
  const text = (q ?? "").trim();
  if (!text) return null;
  const bare = /^v?(\d{1,10})$/i.exec(text);
  const tail = bare ? null : /^(.*?)\s*(?:·\s*v?|\s+v)(\d{1,10})$/i.exec(text);
  const digits = bare?.[1] ?? tail?.[2];
  const version = digits === undefined ? Number.NaN : Number(digits);
  if (!Number.isSafeInteger(version) || version > MAX_VERSION) return { text };
  return { text, versioned: { name: tail?.[1] ?? "", version } };
}
