/**
 * What every command's action starts from: the global options (--json, --url, --no-progress),
 * where output goes, and a connection to the server with the key resolved as config.ts says.
 */
import type { Command } from "commander";
import { connect, type RetuneApi } from "./api";
import { configPath, readConfig, resolveSettings, type Env } from "./config";
import { CliError } from "./errors";
import { Output } from "./output";
import { VERSION } from "./version";

export type GlobalOptions = { json?: boolean; url?: string; progress?: boolean };

export type Context = {
  out: Output;
  /** Progress bars on stderr (off with --no-progress). */
  progress: boolean;
  /** The connection to the server; throws when there is no key for it. */
  api(): Promise<RetuneApi>;
  globals: GlobalOptions;
  env: Env;
};

export function contextOf(cmd: Command, env: Env = process.env): Context {
  const globals = cmd.optsWithGlobals<GlobalOptions>();
  const out = new Output(Boolean(globals.json));
  let api: RetuneApi | null = null;
  return {
    out,
    progress: globals.progress !== false,
    globals,
    env,
    async api() {
      if (api) return api;
      const file = await readConfig(configPath(env));
      if (file.config && file.looseMode)
        out.warn(
          `${file.path} is readable by others (mode ${file.looseMode}); run chmod 600 on it`,
        );
      const settings = resolveSettings({
        flagUrl: globals.url,
        env,
        saved: file.config,
        savedPath: file.path,
      });
      if (!settings.apiKey)
        throw new CliError(
          `no API key for ${settings.url}: run \`retune login\` or set RETUNE_API_KEY`,
          undefined,
          "no_api_key",
        );
      api = connect({
        url: settings.url,
        apiKey: settings.apiKey,
        userAgent: `retune-cli/${VERSION}`,
      });
      return api;
    },
  };
}
