/**
 * Where the CLI talks to and with which key. `retune login` saves `{ url, apiKey }` in
 * `$RETUNE_CONFIG`, else `$XDG_CONFIG_HOME/retune/config.json` (`~/.config/retune/config.json`),
 * readable by its owner only (file 0600, folder 0700), like ~/.ssh. RETUNE_URL and
 * RETUNE_API_KEY override it, so CI needs no file at all.
 */
import { chmod, mkdir, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { CliError, EXIT } from "./errors";

export type SavedConfig = {
  url: string;
  apiKey: string;
  /** The team the key acts for, when it was saved: shown, never trusted. */
  team?: { id: string; name: string };
};

export type Env = Record<string, string | undefined>;

/** The README's demo port: where `npm run demo` serves. */
export const DEFAULT_URL = "http://localhost:3000";

export function configPath(env: Env = process.env): string {
  if (env.RETUNE_CONFIG) return path.resolve(env.RETUNE_CONFIG);
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "retune", "config.json");
}

/**
 * `http://host:3000/` and `http://host:3000/api/v1` both name the server `http://host:3000`;
 * anything other than an http(s) URL is a usage error.
 */
export function normalizeUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CliError(`not a URL: ${raw}`, EXIT.usage, "usage");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new CliError(`not an http(s) URL: ${raw}`, EXIT.usage, "usage");
  const pathname = url.pathname.replace(/\/+$/, "").replace(/\/api\/v1$/, "");
  return `${url.origin}${pathname}`;
}

export type ConfigFile = { config: SavedConfig | null; path: string; looseMode: string | null };

/** The saved config, or null; `looseMode` is its mode when others may read it ("644"). */
export async function readConfig(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { config: null, path: file, looseMode: null };
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not JSON; run retune login again`);
  }
  const v = value as Partial<SavedConfig> | null;
  if (!v || typeof v.url !== "string" || typeof v.apiKey !== "string")
    throw new CliError(`${file} has no url and apiKey; run retune login again`);
  const mode = (await stat(file)).mode & 0o777;
  return {
    config: { url: v.url, apiKey: v.apiKey, ...(v.team ? { team: v.team } : {}) },
    path: file,
    looseMode: mode & 0o077 ? mode.toString(8) : null,
  };
}

/**
 * Writes the config readable by its owner only. The file is written beside its final name with
 * mode 0600 from its creation and renamed over the old one, so the key is never readable by
 * others, not even for a moment, and a crash leaves the old file whole. A folder this creates is
 * 0700; the default `retune` folder is made 0700 even when it exists already.
 */
export async function writeConfig(
  file: string,
  config: SavedConfig,
  env: Env = process.env,
): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!env.RETUNE_CONFIG) await chmod(dir, 0o700);
  const tmp = `${file}.${process.pid}.tmp`;
  const handle = await open(tmp, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(config, null, 2)}\n`);
    // A file that existed at `tmp` keeps its mode through open(); make sure.
    await handle.chmod(0o600);
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

export type Settings = {
  url: string;
  apiKey: string | null;
  /** Where the key came from, for messages ("RETUNE_API_KEY", the config file's path). */
  keySource: string | null;
};

/**
 * The server and key a command uses: `--url`, then RETUNE_URL, then the saved url; RETUNE_API_KEY,
 * else the saved key — but the saved key only for the server it was saved for, so pointing
 * RETUNE_URL at another server never sends it there.
 */
export function resolveSettings(opts: {
  flagUrl?: string;
  env: Env;
  saved: SavedConfig | null;
  savedPath: string;
}): Settings {
  const { env, saved } = opts;
  const explicit = opts.flagUrl ?? env.RETUNE_URL;
  const url = normalizeUrl(explicit || saved?.url || DEFAULT_URL);
  if (env.RETUNE_API_KEY) return { url, apiKey: env.RETUNE_API_KEY, keySource: "RETUNE_API_KEY" };
  if (saved && normalizeUrl(saved.url) === url)
    return { url, apiKey: saved.apiKey, keySource: opts.savedPath };
  return { url, apiKey: null, keySource: null };
}
