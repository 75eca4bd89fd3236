/**
 * `retune datasets create|upload|show`. An upload streams the file as the request body through a
 * counting transform, so its progress bar shows bytes handed to the socket, not bytes read from
 * disk ahead of it; then it follows the validation the worker runs and prints the report.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Transform } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, Option } from "commander";
import type { DatasetVersion, UploadQuery } from "@/lib/schemas/datasets";
import type { RetuneApi } from "./api";
import { type Context, contextOf } from "./context";
import { CliError, EXIT, fileError, usageError } from "./errors";
import { beforeParse, choicesAnyCase, numberArg } from "./options";
import { formatBytes, formatDatasetVersion, keyValues, table } from "./output";
import { createBar } from "./progress";

const POLL_MS = 1_000;

export function registerDatasets(program: Command) {
  const datasets = program
    .command("datasets")
    .summary("create datasets, upload JSONL versions, read validation reports")
    .description(
      `Datasets hold immutable, content-addressed versions: chat, tool-calling (OpenAI messages + tools), ShareGPT or completion JSONL, plain or gzip. Every version is validated by the worker; its report lists findings by file line.`,
    );

  datasets
    .command("create")
    .summary("create an empty dataset")
    .argument("<name>", "letters, digits, spaces and _ . : / -")
    .option("--description <text>", "what the rows are and where they come from")
    .addHelpText(
      "after",
      "\nPrints the new dataset's id (upload versions to it with datasets upload).",
    )
    .action(async (name: string, opts: { description?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const dataset = await api.createDataset({ name, description: opts.description });
      ctx.out.result(dataset, `${dataset.id}`);
      if (!ctx.out.json) ctx.out.info(`created dataset "${dataset.name}"`);
    });

  const formatOption = new Option("--format <format>", "how rows are read").default("auto");
  const provenanceOption = new Option("--provenance <kind>", "where the rows come from");
  const uploadCmd = datasets
    .command("upload")
    .summary("upload a JSONL file as a new version and wait for its validation report")
    .argument("<dataset>", "the dataset's id or exact name")
    .argument("<file>", "JSONL, or gzip-compressed JSONL (.gz)")
    .addOption(formatOption)
    .addOption(provenanceOption)
    .option(
      "--eval-fraction <share>",
      "share of rows held out for evaluation, 0-0.5 (default 0.1)",
      numberArg,
    )
    .option("--base-model <id>", "count tokens with this base model's tokenizer")
    .option("--no-wait", "return once the file is stored, before validation finishes")
    .addHelpText(
      "after",
      `
The same bytes uploaded again return the earlier version. Exits 4 when the version is INVALID
(its report says which lines and why; fix them, or clean it in the console).

Examples:
  $ retune datasets upload support-tool-calls traces.jsonl --provenance production_traces
  $ retune datasets upload 7f3c… data.jsonl.gz --json | jq .status`,
    )
    .action(
      async (
        ref: string,
        file: string,
        opts: {
          format: UploadQuery["format"];
          provenance?: UploadQuery["provenance"];
          evalFraction?: number;
          baseModel?: string;
          wait: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const api = await ctx.api();
        const datasetId = await resolveDataset(api, ref);
        const version = await upload(ctx, api, datasetId, file, {
          format: opts.format,
          provenance: opts.provenance,
          evalFraction: opts.evalFraction,
          baseModel: opts.baseModel,
        });
        const final = opts.wait ? await waitForValidation(ctx, api, version) : version;
        ctx.out.result(final, () => formatDatasetVersion(final));
        if (final.status === "INVALID")
          throw new CliError(
            `dataset version ${final.version} is INVALID${final.error ? `: ${final.error}` : ""}`,
            EXIT.failed,
            "dataset_invalid",
          );
      },
    );

  // The lists come from lib/schemas, loaded only when this command runs (zod is slow to load).
  beforeParse(uploadCmd, async () => {
    const { INPUT_FORMATS, PROVENANCES } = await import("@/lib/schemas/datasets");
    choicesAnyCase(formatOption, ["auto", ...INPUT_FORMATS]);
    choicesAnyCase(provenanceOption, PROVENANCES);
  });

  datasets
    .command("show")
    .summary("a dataset's versions, or one version's statistics and report")
    .argument("<dataset>", "the dataset's id or exact name")
    .argument(
      "[version]",
      "a version number, `latest`, or a version id: show that version's report",
    )
    .addHelpText(
      "after",
      `
Examples:
  $ retune datasets show support-tool-calls           # its versions
  $ retune datasets show support-tool-calls latest    # the newest version's statistics and report`,
    )
    .action(async (ref: string, wanted: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const detail = await api.getDataset(await resolveDataset(api, ref));
      if (wanted === undefined) {
        ctx.out.result(detail, () =>
          [
            keyValues([
              ["dataset", `${detail.name}  (id ${detail.id})`],
              ["description", detail.description],
              ["versions", detail.versionCount],
            ]),
            detail.versions.length
              ? table(
                  ["version", "status", "rows", "size", "created", "id"],
                  detail.versions.map((v) => [
                    v.version,
                    v.status,
                    v.stats?.rows,
                    formatBytes(v.sizeBytes),
                    v.createdAt.slice(0, 19).replace("T", " "),
                    v.id,
                  ]),
                )
              : "no versions yet: upload one with retune datasets upload",
          ].join("\n\n"),
        );
        return;
      }
      const match =
        wanted === "latest"
          ? detail.versions[0]
          : detail.versions.find((v) => String(v.version) === wanted || v.id === wanted);
      if (!match) throw usageError(`dataset "${detail.name}" has no version ${wanted}`);
      const version = await api.getDatasetVersion(match.id);
      ctx.out.result(version, () => formatDatasetVersion(version));
    });
}

/** A dataset's id from its id or its exact name (names are unique per team). */
async function resolveDataset(api: RetuneApi, ref: string): Promise<string> {
  const named = (await api.listDatasets(ref)).find((d) => d.name === ref);
  return named?.id ?? ref;
}

async function upload(
  ctx: Context,
  api: RetuneApi,
  datasetId: string,
  file: string,
  query: Partial<UploadQuery>,
): Promise<DatasetVersion> {
  const size = await stat(file).then(
    (s) => {
      if (!s.isFile()) throw usageError(`${file} is not a file`);
      return s.size;
    },
    (e: unknown) => {
      throw fileError(file, e);
    },
  );
  const bar = createBar(
    {
      format: "upload     [{bar}] {percentage}% | {value} of {total}",
      total: size,
      formatValue: (v) => formatBytes(v),
    },
    ctx.progress,
  );
  let sent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      sent += chunk.length;
      bar.update(sent);
      done(null, chunk);
    },
  });
  const stream = createReadStream(file).pipe(counter);
  let accepted;
  try {
    accepted = await api.uploadDatasetVersion(datasetId, query, {
      stream,
      contentType: /\.gz$/i.test(file) ? "application/gzip" : "application/x-ndjson",
      length: size,
    });
  } finally {
    bar.stop();
  }
  ctx.out.info(
    accepted.deduplicated
      ? `these bytes are already version ${accepted.version} (${accepted.status})`
      : `uploaded ${formatBytes(size)} as version ${accepted.version}`,
  );
  return api.getDatasetVersion(accepted.id);
}

/** Polls the version until the worker has judged every line; a bar follows the bytes read. */
async function waitForValidation(
  ctx: Context,
  api: RetuneApi,
  first: DatasetVersion,
): Promise<DatasetVersion> {
  let v = first;
  if (v.status !== "VALIDATING") return v;
  const bar = createBar(
    {
      format: "validation [{bar}] {percentage}% | {value} of {total}",
      total: v.sizeBytes,
      formatValue: (n) => formatBytes(n),
    },
    ctx.progress,
  );
  try {
    while (v.status === "VALIDATING") {
      await sleep(POLL_MS);
      v = await api.getDatasetVersion(v.id);
      bar.update(Math.min(v.processedBytes, v.sizeBytes));
    }
    bar.update(v.sizeBytes);
  } finally {
    bar.stop();
  }
  return v;
}
