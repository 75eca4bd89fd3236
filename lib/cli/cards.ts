/** `retune cards get`: a model version's card. */
import type { Command } from "commander";
import { contextOf } from "./context";
import { VERSION_REF_HELP } from "./models";
import { resolveVersion } from "./version-ref";

export function registerCards(program: Command) {
  const cards = program
    .command("cards")
    .summary("model cards as Markdown")
    .description(
      "Model cards: generated from a version's data (lineage, training, evals, gate, approvals) plus the narrative edited in the console.",
    );

  cards
    .command("get")
    .summary("print a version's model card as Markdown")
    .argument("<version>", VERSION_REF_HELP)
    .addHelpText(
      "after",
      `
Prints Markdown with YAML front matter on stdout (the console's Export); with --json, the card's
data instead.

Example:
  $ retune cards get support-agent@production > MODEL_CARD.md`,
    )
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd);
      const api = await ctx.api();
      const { versionId } = await resolveVersion(api, ref);
      if (ctx.out.json) ctx.out.result(await api.getCard(versionId), "");
      else ctx.out.line(await api.getCardMarkdown(versionId));
    });
}
