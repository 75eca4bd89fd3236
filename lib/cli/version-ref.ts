/**
 * How commands name a model version: its id, or `<model>@<n>` — the Model's name (or id), then a
 * version number, `latest`, `production`, or one of the version's aliases. Model names cannot hold
 * `@` (lib/schemas/common.ts), so the split is never ambiguous.
 */
import type { ModelDetail } from "@/lib/schemas/models";
import type { RetuneApi } from "./api";
import { CliError } from "./errors";

export type VersionRef = { versionId: string } | { model: string; selector: string };

export function parseVersionRef(ref: string): VersionRef {
  const at = ref.lastIndexOf("@");
  if (at <= 0 || at === ref.length - 1) return { versionId: ref };
  return { model: ref.slice(0, at), selector: ref.slice(at + 1) };
}

/** The version of `model` that `selector` names, or null. */
export function pickVersion(
  model: ModelDetail,
  selector: string,
): ModelDetail["versions"][number] | null {
  const s = selector.toLowerCase().replace(/^v(?=\d+$)/, "");
  const versions = model.versions;
  if (/^\d+$/.test(s)) return versions.find((v) => v.version === Number(s)) ?? null;
  if (s === "latest")
    return versions.reduce<(typeof versions)[number] | null>(
      (best, v) => (!best || v.version > best.version ? v : best),
      null,
    );
  if (s === "production") return versions.find((v) => v.stage === "PRODUCTION") ?? null;
  return versions.find((v) => v.aliases.includes(selector)) ?? null;
}

/**
 * A Model by id or name. The name is looked up in the list (names are unique per team), so a
 * name with a `/` never has to travel as a path segment.
 */
export async function resolveModel(api: RetuneApi, ref: string): Promise<ModelDetail> {
  const { models } = await api.listModels(ref);
  return api.getModel(models.find((m) => m.name === ref)?.id ?? ref);
}

/** A version's id, and its Model when the reference named one. */
export async function resolveVersion(
  api: RetuneApi,
  ref: string,
): Promise<{ versionId: string; model: ModelDetail | null }> {
  const parsed = parseVersionRef(ref);
  if ("versionId" in parsed) return { versionId: parsed.versionId, model: null };
  const model = await resolveModel(api, parsed.model);
  const version = pickVersion(model, parsed.selector);
  if (!version)
    throw new CliError(
      `${model.name} has no version ${parsed.selector} (it has ${model.versions.map((v) => v.version).join(", ") || "none"})`,
      undefined,
      "not_found",
    );
  return { versionId: version.id, model };
}
