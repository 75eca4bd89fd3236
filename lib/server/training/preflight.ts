/**
 * The training preflight: reads a dataset the way the trainer will, before a GPU is rented.
 * Examples go through the base model's real chat template; the report shows the first few as
 * the trainer sees them, with the spans that carry the loss, checks that the end-of-turn token
 * is among them, counts the examples the sequence length cuts, finds eval examples that are also
 * training examples, and names the rows the template cannot render.
 *
 * One streaming pass over each file (one line in memory), capped at `scanLimit` rows. It reads
 * what the trainer gets: the rows dataset validation accepted, split by the dataset's own split,
 * so its scanned counts are the dataset report's (preflight-scan.ts).
 */
import { findBaseModel } from "@/lib/domain/base-models";
import { chatTemplateFor, type ChatTemplate } from "@/lib/domain/chat-templates";
import type { Preflight } from "@/lib/schemas/training-preflight";
import { chatRendererFor } from "./chat-render";
import { type TokenCounter, tokenCounterFor } from "@/lib/server/datasets/tokenizers";
import { eotTrained, findings } from "./preflight-findings";
import { leakageWithinSplit, type PreflightInput, scanEvalFile, scanTrain } from "./preflight-scan";

export async function runPreflight(input: PreflightInput): Promise<Preflight> {
  const model = findBaseModel(input.baseModel);
  const template = chatTemplateFor(input.baseModel);
  const counter = await tokenCounterFor(model);
  const base = emptyReport(input, template, counter);
  if (!template) {
    base.findings.push({
      severity: "error",
      code: "no_chat_template",
      message: `${input.baseModel} has no chat template in retune's catalogue, so it cannot be fine-tuned on chat data`,
    });
    return base;
  }
  const renderer = await chatRendererFor(input.baseModel);
  const scan = await scanTrain(input, renderer, tokenCounting(template, counter));
  const leak = input.evalPath
    ? await scanEvalFile(input, scan.trainHashes)
    : leakageWithinSplit(scan.trainHashes, scan.evalSide);

  const report: Preflight = {
    ...base,
    scanned: {
      trainRows: scan.trainRows,
      evalRows: leak.rows,
      capped: scan.capped || leak.capped,
    },
    renderedExamples: scan.samples,
    eotTrained: eotTrained(scan.samples),
    truncated: {
      count: scan.truncated,
      of: scan.counted,
      sequenceLen: input.sequenceLen,
      maxTokens: scan.maxTokens,
      lines: scan.truncatedLines,
    },
    leakage: { count: leak.count, lines: leak.pairs },
  };
  report.findings = findings(input, template, counter, scan, leak, report);
  return report;
}

function emptyReport(
  input: PreflightInput,
  template: ChatTemplate | undefined,
  counter: TokenCounter,
): Preflight {
  return {
    baseModel: input.baseModel,
    template: {
      name: template?.name ?? "none",
      endOfTurn: template?.endOfTurn ?? "",
      supportsTools: template?.supportsTools ?? false,
    },
    tokenCount: { tokenizer: counter.name, exact: counter.exact },
    scanned: { trainRows: 0, evalRows: 0, capped: false },
    renderedExamples: [],
    eotTrained: false,
    truncated: { count: 0, of: 0, sequenceLen: input.sequenceLen, maxTokens: 0, lines: [] },
    leakage: { count: 0, lines: [] },
    findings: [],
  };
}

/**
 * Token count of a rendering as the model's tokenizer sees it: the template's added tokens are
 * one token each and are split out before the text between them is encoded, so counting the
 * text as a whole would turn every `<|eot_id|>` into several.
 */
function tokenCounting(template: ChatTemplate, counter: TokenCounter): (text: string) => number {
  const count = (t: string) => {
    try {
      return counter.count(t);
    } catch {
      // gpt-tokenizer refuses text holding its own special tokens (`<|endoftext|>` in a
      // message): count it with the markers broken up rather than lose the whole preflight.
      return counter.count(t.replaceAll("<|", "< |"));
    }
  };
  if (template.specialTokens.length === 0) return count;
  const split = new RegExp(template.specialTokens.map(escapeRegExp).join("|"), "g");
  return (text) => {
    let n = 0;
    let last = 0;
    for (const m of text.matchAll(split)) {
      if (m.index > last) n += count(text.slice(last, m.index));
      n++;
      last = m.index + m[0].length;
    }
    if (last < text.length) n += count(text.slice(last));
    return n;
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
