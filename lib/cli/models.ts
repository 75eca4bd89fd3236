/** `retune models list|show|promote`: the registry. */
import { type Command, Option } from "commander";
import type { ModelDetail, ModelVersionDetail } from "@/lib/schemas/models";
import { contextOf } from "./context";
import { beforeParse, choicesAnyCase } from "./options";
import { formatMetric, keyValues, table } from "./output";
import { parseVersionRef, resolveModel, resolveVersion } from "./version-ref";

export const VERSION_REF_HELP =
  "a version id, or <model>@<n>: a Model's name or id, then a version number, latest, production or an alias (support-agent@3)";

const day = (iso: string) => iso.slice(0, 19).replace("T", " ");

export function registerModels(program: Command) {
  const models = program
    .command("models")
    .summary("list Models, show versions and their gates, promote")
    .description(
      "Models and their versions: each trained adapter is a version, gated by the Model's eval suite and policy.",
    );

  models
    .command("list")
    .summary("the team's Models")
    .option("-q, --query <text>", "only Models whose name or description contains this")
    .action(async (opts: { query?: string }, cmd: Command) => {
      const ctx = contextOf(cmd);
      const { models: list } = await (await ctx.api()).listModels(opts.query);
      ctx.out.result({ models: list }, () =>
        list.length
          ? table(
              ["name", "production", "versions", "latest", "eval suite", "id"],
              list.map((m) => [
                m.name,
                m.production ? `v${m.production.version}` : null,
                m.versionCount,
                m.latestVersion === null ? null : `v${m.latestVersion}`,
                m.evalSuiteName,
                m.id,
              ]),
            )
          : "no Models yet: a training job registers its Model",
      );
    });

  models
    .command("show")
    .summary("a Model and its versions, or one version: gate, evals, approval")
    .argument("<model>", `a Model's name or id; or one version: ${VERSION_REF_HELP}`)
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const parsed = parseVersionRef(ref);
      if ("versionId" in parsed) {
        const model = await resolveModel(api, ref);
        ctx.out.result(model, () => formatModel(model));
        return;
      }
      const { versionId } = await resolveVersion(api, ref);
      const version = await api.getModelVersion(versionId);
      ctx.out.result(version, () => formatVersion(version));
    });

  const stageOption = new Option(
    "--to <stage>",
    "the stage to move the version to",
  ).makeOptionMandatory();
  const promote = models
    .command("promote")
    .summary("move a version to STAGING or PRODUCTION (gated)")
    .argument("<version>", VERSION_REF_HELP)
    .addOption(stageOption)
    .option("--reason <text>", "why (kept with the promotion; required with --override)")
    .option("--override", "OWNER only, signed in: promote although the gate did not pass")
    .addHelpText(
      "after",
      `
PRODUCTION needs a passed gate, the approval the Model's policy asks for and an adapter vLLM can
serve. A refused promotion prints the server's reasons and exits 3, so a CI step stops there.

Example:
  $ retune models promote support-agent@4 --to production`,
    )
    .action(
      async (
        ref: string,
        opts: { to: "STAGING" | "PRODUCTION" | "ARCHIVED"; reason?: string; override?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextOf(cmd);
        const api = await ctx.api();
        const { versionId } = await resolveVersion(api, ref);
        const version = await api.promote(versionId, {
          stage: opts.to,
          reason: opts.reason,
          override: opts.override,
        });
        ctx.out.result(version, `${version.modelName}@${version.version} is ${version.stage}`);
      },
    );
  beforeParse(promote, async () => {
    const { STAGES } = await import("@/lib/schemas/model-cards");
    choicesAnyCase(
      stageOption,
      STAGES.filter((s) => s !== "CANDIDATE"),
    );
  });
}

function formatModel(m: ModelDetail): string {
  return [
    keyValues([
      ["model", `${m.name}  (id ${m.id})`],
      ["description", m.description],
      ["eval suite", m.evalSuiteName ? `${m.evalSuiteName} (id ${m.evalSuiteId})` : "none"],
      ["gate policy", m.gatePolicy ? "yes" : "none"],
      ["production", m.production ? `v${m.production.version}` : "none"],
    ]),
    m.versions.length
      ? table(
          ["version", "stage", "gate", "approval", "aliases", "base model", "created", "id"],
          m.versions.map((v) => [
            v.version,
            v.stage,
            v.gateStatus,
            v.approvalStatus === "NOT_REQUIRED" ? "—" : v.approvalStatus,
            v.aliases.join(", ") || null,
            v.baseModel,
            day(v.createdAt),
            v.id,
          ]),
        )
      : "no versions yet",
  ].join("\n\n");
}

function formatVersion(v: ModelVersionDetail): string {
  const out = [
    keyValues([
      ["version", `${v.modelName}@${v.version}  (id ${v.id})`],
      ["stage", v.stage],
      ["aliases", v.aliases.join(", ") || null],
      ["base model", v.baseModel],
      ["training job", v.trainingJobId],
      ["gate", v.gate.status],
      ["approval", v.approval.required ? v.approval.status : "not required"],
      [
        "servable",
        v.servability
          ? v.servability.servable
            ? "yes (vLLM)"
            : `no: ${v.servability.problems.join("; ")}`
          : "no adapter",
      ],
    ]),
  ];
  if (v.gate.failures.length) out.push(`gate: ${v.gate.failures.join("; ")}`);
  if (v.gate.conditions.length)
    out.push(
      table(
        ["condition", "value", "threshold", "passed"],
        v.gate.conditions.map((c) => [
          `${c.metric} ${c.op}${c.relativeTo ? ` ${c.relativeTo} +` : ""}`,
          formatMetric(c.value),
          formatMetric(c.effectiveThreshold ?? c.threshold),
          c.passed ? "yes" : "no",
        ]),
      ),
    );
  if (v.evals.length)
    out.push(
      table(
        ["eval run", "target", "status", "cases", "metrics"],
        v.evals.map((e) => [
          e.runId,
          e.target.label,
          e.status,
          e.caseCount,
          Object.entries(e.metrics)
            .filter(([, x]) => typeof x === "number")
            .map(([k, x]) => `${k} ${formatMetric(x as number)}`)
            .join(", "),
        ]),
      ),
    );
  return out.join("\n\n");
}
