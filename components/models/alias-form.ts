import { setAliasesBodySchema, type VersionListItem } from "@/lib/schemas/models";

/**
 * The alias editor's rules, checked in the browser with the API's own schema so a bad name is
 * explained before it is sent: lower-case, starting with a letter, at most 20 per version.
 */
export function addAlias(
  current: readonly string[],
  raw: string,
): { ok: true; aliases: string[] } | { ok: false; error: string } {
  const alias = raw.trim();
  if (!alias) return { ok: false, error: "type an alias, e.g. champion" };
  if (current.includes(alias)) return { ok: false, error: `this version is already @${alias}` };
  const parsed = setAliasesBodySchema.safeParse({ aliases: [...current, alias] });
  if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
  return { ok: true, aliases: parsed.data.aliases };
}

export function removeAlias(current: readonly string[], alias: string): string[] {
  return current.filter((a) => a !== alias);
}

/** The other version of the Model that holds `alias` now (taking it here moves it), if any. */
export function holderOf(
  versions: readonly Pick<VersionListItem, "id" | "version" | "aliases">[],
  alias: string,
  selfId: string,
): number | null {
  const held = versions.find((v) => v.id !== selfId && v.aliases.includes(alias.trim()));
  return held ? held.version : null;
}
