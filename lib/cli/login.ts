/**
 * `retune login` / `retune logout`. The key is checked against the server (GET /api/v1/team)
 * before anything is saved, so a typo never lands in the config file.
 */
import type { Command } from "commander";
import { connect } from "./api";
import { configPath, DEFAULT_URL, normalizeUrl, readConfig, writeConfig } from "./config";
import { contextOf } from "./context";
import { ApiError, CliError, EXIT } from "./errors";
import { VERSION } from "./version";

export function registerLogin(program: Command) {
  program
    .command("login")
    .summary("check an API key against the server and save it")
    .description(
      `Check an API key against the server and save the server's URL and the key in the config file (readable by you only: file 0600, folder 0700).

The key is read from --key, else from stdin when it is not a terminal (echo "$KEY" | retune login), else asked for without echoing it. Create keys in the console under Settings → API keys; a key acts for its team with its scopes (read, write, telemetry).`,
    )
    .option(
      "--key <key>",
      "the API key (visible in your shell history; prefer stdin or the prompt)",
    )
    .addHelpText(
      "after",
      `
The server is --url, else RETUNE_URL, else the saved one, else ${DEFAULT_URL}.

Examples:
  $ retune login --url https://retune.example.com
  $ printf '%s' "$RETUNE_KEY" | retune login --url http://localhost:3000 --json`,
    )
    .action(async (opts: { key?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const path = configPath(ctx.env);
      const saved = (await readConfig(path).catch(() => null))?.config ?? null;
      const url = normalizeUrl(ctx.globals.url ?? ctx.env.RETUNE_URL ?? saved?.url ?? DEFAULT_URL);
      const key = (opts.key ?? (await readKey(url))).trim();
      if (!key) throw new CliError("no API key given", EXIT.usage, "usage");

      const api = connect({ url, apiKey: key, userAgent: `retune-cli/${VERSION}` });
      const team = await api.team().catch((e: unknown) => {
        if (e instanceof ApiError && e.status > 0)
          throw new ApiError(e.status, e.code, `${url} refused this key: ${e.message}`, e.issues);
        throw e;
      });
      await writeConfig(
        path,
        { url, apiKey: key, team: { id: team.id, name: team.name } },
        ctx.env,
      );
      const scopes = team.credential.kind === "apiKey" ? team.credential.scopes : [];
      ctx.out.result(
        { url, team: { id: team.id, name: team.name, slug: team.slug }, scopes, config: path },
        `Logged in to ${url} for team "${team.name}" (key scopes: ${scopes.join(", ") || "none"}).\nSaved to ${path}.`,
      );
    });

  program
    .command("logout")
    .summary("forget the saved API key")
    .description("Remove the saved server and API key from the config file.")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const path = configPath(ctx.env);
      const { rm } = await import("node:fs/promises");
      await rm(path, { force: true });
      ctx.out.result({ config: path, removed: true }, `Removed ${path}.`);
    });
}

async function readKey(url: string): Promise<string> {
  if (!process.stdin.isTTY) {
    let text = "";
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/).find((l) => l.trim()) ?? "";
  }
  return promptHidden(`API key for ${url}: `);
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write("\n");
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          finish();
          resolve(value);
          return;
        }
        if (ch === "\u0003" || ch === "\u0004") {
          finish();
          reject(new CliError("cancelled", EXIT.error, "cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
  });
}
