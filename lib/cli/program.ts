/**
 * The `retune` command tree (commander). Each command group registers itself from its own file;
 * the groups load nothing heavy until their action runs, so `retune --help` starts fast.
 */
import { type Argument, Command } from "commander";
import { registerCards } from "./cards";
import { registerDatasets } from "./datasets";
import { registerEvals } from "./evals";
import { registerJobs } from "./jobs";
import { registerLogin } from "./login";
import { registerModels } from "./models";
import { registerTelemetry } from "./telemetry";
import { registerTraces } from "./traces";
import { VERSION } from "./version";

const ROOT_HELP = `
Environment:
  RETUNE_URL      the server, e.g. https://retune.example.com (overrides the saved one)
  RETUNE_API_KEY  the API key (overrides the saved one; the saved key is only sent to the
                  server it was saved for)
  RETUNE_CONFIG   the config file (default: ~/.config/retune/config.json, or under
                  $XDG_CONFIG_HOME)

Output:
  Results go to stdout; progress bars, status and errors to stderr. With --json, stdout holds
  JSON only: one document, or for jobs watch and --wait one JSON event per line. Errors print
  the server's message and code (and with --json also {"error": {...}} on stdout).

Exit codes:
  0  success
  1  error: the server refused the request or could not be reached, a file could not be read
  2  usage: unknown command or option, a missing or invalid argument
  3  refused by a gate: evals run --gate did not pass, models promote was refused
  4  the work failed: a training job FAILED or CANCELLED, a dataset version INVALID, an eval
     run FAILED

Get started:
  $ retune login --url http://localhost:3000
  $ retune datasets create support-tool-calls
  $ retune datasets upload support-tool-calls traces.jsonl
  $ retune jobs create --preset tiny-cpu-demo --model support-agent --dataset-version <id> --wait
  $ retune <command> <subcommand> --help`;

const FOOTER =
  "\nExit codes: 0 ok, 1 error, 2 usage, 3 refused by a gate, 4 job/dataset/eval failed (retune --help).";

const argTerm = (a: Argument) => {
  const name = `${a.name()}${a.variadic ? "..." : ""}`;
  return a.required ? `<${name}>` : `[${name}]`;
};

export function buildProgram(): Command {
  const program = new Command("retune");
  // Settings made before the commands are added are inherited by every one of them.
  program
    .description(
      "The retune CLI: datasets, training jobs, evaluations, the model registry and telemetry of a retune server, from a terminal or CI.",
    )
    .version(VERSION, "-V, --version", "print the CLI's version")
    .helpOption("-h, --help", "show help for a command")
    .option("--json", "machine-readable output: JSON on stdout only")
    .option("--url <url>", "the retune server (overrides RETUNE_URL and the saved one)")
    .option("--no-progress", "no progress bars on stderr")
    .configureHelp({
      showGlobalOptions: true,
      // "jobs create|watch|cancel|retry", "watch <job>": what to type, without "[options]".
      subcommandTerm: (cmd) =>
        cmd.commands.length
          ? `${cmd.name()} ${cmd.commands.map((c) => c.name()).join("|")}`
          : [cmd.name(), ...cmd.registeredArguments.map(argTerm)].join(" "),
    })
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();

  registerLogin(program);
  registerDatasets(program);
  registerJobs(program);
  registerEvals(program);
  registerModels(program);
  registerCards(program);
  registerTelemetry(program);
  registerTraces(program);

  // `retune help <command>` is `retune <command> --help`; groups need no help command of their own.
  for (const group of program.commands) group.helpCommand(false);
  program.addHelpText("after", ROOT_HELP);
  program.addHelpText("afterAll", ({ command }) => (command === program ? "" : FOOTER));
  return program;
}
