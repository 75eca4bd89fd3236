/** `retune jobs create|watch|cancel|retry`: LoRA/QLoRA training jobs. */
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { contextOf } from "./context";
import { fileError } from "./errors";
import { buildJobRequest, HYPERPARAMETER_FLAGS, type JobFlags, parseSpecText } from "./job-request";
import { followJob, reportEnd } from "./job-watch";
import { beforeParse, choicesAnyCase, intArg } from "./options";

const WATCH_HELP = `
While it runs: status changes and the progress bar (with the server's ETA) on stderr, each new
loss value on stdout ("step 12/60  loss 1.234  eval_loss 1.301"), and with --logs the trainer's
log. Ctrl-C stops watching; the job keeps running (retune jobs cancel stops it).
With --json, stdout is NDJSON: {"event":"status"|"metric"|"log"|"end", ...}, the job last.
Exits 4 when the job ends FAILED or CANCELLED.`;

export function registerJobs(program: Command) {
  const jobs = program
    .command("jobs")
    .summary("launch, follow, cancel and retry training jobs")
    .description(
      `Training jobs fine-tune a base model with LoRA or QLoRA on a READY dataset version; a job that succeeds registers a CANDIDATE version of its Model.`,
    );

  const presetOption = new Option("--preset <id>", "start from a preset (see Presets below)");
  const enumOptions = {
    method: new Option("--method <method>", "LORA or QLORA"),
    backend: new Option("--backend <backend>", "the trainer"),
    executor: new Option("--executor <executor>", "where it runs"),
    gpuType: new Option("--gpu-type <type>", "the device each worker trains on"),
  };
  let presetHelp = "";
  const create = jobs
    .command("create")
    .summary("launch a training job from a preset, a spec file or flags")
    .description(
      `Launch a training job. The request needs a Model name, a READY dataset version and a base model; everything else comes from the preset (by default the one for the base model), adapted to the base model and the dataset — what you set is validated, never changed. A spec file holds the body of POST /api/v1/training-jobs as JSON or YAML; flags override its fields.`,
    )
    .option("--model <name>", "the Model the adapter registers under (a new name registers one)")
    .option("--dataset-version <id>", "the READY dataset version to train on")
    .option("--base-model <id>", "base model id (default: the preset's)")
    .addOption(presetOption)
    .option("-f, --spec <file>", "a request as JSON or YAML; flags override its fields")
    .option("--eval-dataset-version <id>", "evaluate on this version instead of the eval split")
    .addOption(enumOptions.method)
    .addOption(enumOptions.backend)
    .addOption(enumOptions.executor)
    .addOption(enumOptions.gpuType)
    .option("--gpu-count <n>", "GPUs (more than 1 needs DOCKER or KUBERNETES)", intArg(1));
  for (const [flag, , parse, help] of HYPERPARAMETER_FLAGS) create.option(flag, help, parse);
  create
    .option("--idempotency-key <key>", "a repeat with the same key and body returns the first job")
    .option("--wait", "follow the job until it ends (see jobs watch)")
    .option("--logs", "with --wait: print the trainer's log too")
    .addHelpText("after", () => presetHelp)
    .addHelpText(
      "after",
      `
Prints the job's id on stdout. With --wait, then follows it as jobs watch does.
${WATCH_HELP}

Examples:
  $ retune jobs create --preset tiny-cpu-demo --model support-agent --dataset-version 9a1e… --wait
  $ retune jobs create -f job.yaml --max-steps 200 --json`,
    )
    .action(
      async (
        opts: JobFlags & { spec?: string; idempotencyKey?: string; wait?: boolean; logs?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const { TRAINING_PRESETS } = await import("@/lib/schemas/training-jobs");
        let spec: Record<string, unknown> = {};
        if (opts.spec) {
          const text = await readFile(opts.spec, "utf8").catch((e: unknown) => {
            throw fileError(opts.spec!, e);
          });
          const { parse } = await import("yaml");
          spec = parseSpecText(text, opts.spec, parse);
        }
        const body = buildJobRequest(spec, opts, (id) =>
          id in TRAINING_PRESETS
            ? TRAINING_PRESETS[id as keyof typeof TRAINING_PRESETS].baseModel
            : undefined,
        );
        const api = await ctx.api();
        const launched = await api.createJob(body, opts.idempotencyKey ?? randomUUID());
        if (!opts.wait) {
          ctx.out.result(launched, launched.id);
          if (!ctx.out.json) ctx.out.info(`launched job ${launched.id} (${launched.status})`);
          return;
        }
        if (ctx.out.json) ctx.out.event({ event: "created", ...launched });
        else ctx.out.line(launched.id);
        const job = await followJob(ctx, api, launched.id, { logs: Boolean(opts.logs) });
        await reportEnd(ctx, api, job);
      },
    );

  beforeParse(create, async () => {
    const schemas = await import("@/lib/schemas/training-jobs");
    const { GPU_TYPES } = await import("@/lib/domain/training-estimate");
    choicesAnyCase(presetOption, schemas.PRESET_IDS);
    choicesAnyCase(enumOptions.method, schemas.METHODS);
    choicesAnyCase(enumOptions.backend, schemas.BACKENDS);
    choicesAnyCase(enumOptions.executor, schemas.EXECUTORS);
    choicesAnyCase(enumOptions.gpuType, GPU_TYPES);
    const width = Math.max(...schemas.PRESET_IDS.map((id) => id.length));
    presetHelp = `\nPresets:\n${schemas.PRESET_IDS.map((id) => {
      const p = schemas.TRAINING_PRESETS[id];
      return `  ${id.padEnd(width)}  ${p.label}: ${p.baseModel}, ${p.method}`;
    }).join("\n")}`;
  });

  jobs
    .command("watch")
    .summary("follow a job: status, progress, ETA, live loss, logs")
    .argument("<job>", "the job's id")
    .option("--logs", "print the trainer's log too")
    .addHelpText("after", WATCH_HELP)
    .action(async (jobId: string, opts: { logs?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const job = await followJob(ctx, api, jobId, { logs: Boolean(opts.logs) });
      await reportEnd(ctx, api, job);
    });

  jobs
    .command("cancel")
    .summary("stop a queued or running job")
    .argument("<job>", "the job's id")
    .addHelpText(
      "after",
      "\nA queued job is CANCELLED at once; a running one is CANCELLING until its trainer has stopped.",
    )
    .action(async (jobId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const result = await (await ctx.api()).cancelJob(jobId);
      ctx.out.result(result, `job ${result.id} ${result.status}`);
    });

  jobs
    .command("retry")
    .summary("run a FAILED or CANCELLED job again, from its newest checkpoint")
    .argument("<job>", "the job's id")
    .option("--from-scratch", "start over instead of resuming from the newest checkpoint")
    .option("--wait", "follow the new attempt until it ends (see jobs watch)")
    .option("--logs", "with --wait: print the trainer's log too")
    .action(
      async (
        jobId: string,
        opts: { fromScratch?: boolean; wait?: boolean; logs?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const api = await ctx.api();
        const result = await api.retryJob(jobId, !opts.fromScratch);
        if (!opts.wait) {
          ctx.out.result(
            result,
            `job ${result.id} ${result.status} (attempt ${result.attempt ?? "?"})`,
          );
          return;
        }
        if (ctx.out.json) ctx.out.event({ event: "retried", ...result });
        else ctx.out.info(`job ${result.id} ${result.status} (attempt ${result.attempt ?? "?"})`);
        const job = await followJob(ctx, api, jobId, { logs: Boolean(opts.logs) });
        await reportEnd(ctx, api, job);
      },
    );
}
