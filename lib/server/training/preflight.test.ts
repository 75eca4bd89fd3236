import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import llama3 from "llama3-tokenizer-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { splitOfExample } from "@/lib/domain/datasets/split";
import { preflightSchema } from "@/lib/schemas/training-preflight";
import { lineChecker } from "@/lib/server/datasets/analysis";
import { runPreflight } from "./preflight";
import type { PreflightInput } from "./preflight-scan";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "retune-preflight-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TOOLS = [
  {
    type: "function",
    function: {
      name: "lookup_order",
      description: "Find an order by its id.",
      parameters: { type: "object", properties: { order_id: { type: "string" } } },
    },
  },
];
const chat = (user: string, reply: string, system = "You are a support agent.") => ({
  messages: [
    { role: "system", content: system },
    { role: "user", content: user },
    { role: "assistant", content: reply },
  ],
});
const toolRow = {
  messages: [
    { role: "user", content: "Status of ORD-000123?" },
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_1",
          type: "function",
          function: { name: "lookup_order", arguments: '{"order_id":"ORD-000123"}' },
        },
      ],
    },
    { role: "tool", tool_call_id: "call_1", content: '{"status":"shipped"}' },
    { role: "assistant", content: "It has shipped." },
  ],
  tools: TOOLS,
};

let fileNo = 0;
async function jsonl(lines: (object | string)[], gzip = false): Promise<string> {
  const file = path.join(dir, `f${fileNo++}.jsonl${gzip ? ".gz" : ""}`);
  const text = lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n";
  await writeFile(file, gzip ? gzipSync(text) : text);
  return file;
}

async function preflight(input: Partial<PreflightInput> & { trainPath: string }) {
  const result = await runPreflight({
    baseModel: "retune/tiny-chat",
    sequenceLen: 256,
    evalPath: null,
    ...input,
  });
  // The API and UI read it through the schema: it must always parse.
  expect(preflightSchema.parse(result)).toEqual(result);
  return result;
}
const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe("runPreflight", () => {
  it("renders the first examples as the trainer sees them, with their loss spans", async () => {
    const trainPath = await jsonl([
      chat("Where is my order?", "Let me check."),
      "",
      toolRow,
      chat("Hi", "Hello!"),
      chat("Another", "Not sampled."),
    ]);
    const r = await preflight({ trainPath });
    expect(r.renderedExamples.map((e) => e.line)).toEqual([1, 3, 4]);
    const first = r.renderedExamples[0]!;
    expect(first.text).toBe(
      "<|system|>You are a support agent.<|end|><|user|>Where is my order?<|end|><|assistant|>Let me check.<|end|>",
    );
    expect(first.assistantSpans).toEqual([
      {
        messageIndex: 2,
        start: first.text.indexOf("Let me check."),
        end: first.text.length,
        containsEndOfTurn: true,
      },
    ]);
    const tool = r.renderedExamples[1]!;
    expect(tool.assistantSpans.map((s) => tool.text.slice(s.start, s.end))).toEqual([
      '<|call|>lookup_order {"order_id":"ORD-000123"}<|end|>',
      "It has shipped.<|end|>",
    ]);
    expect(r.eotTrained).toBe(true);
    expect(r.template).toEqual({
      name: "retune tiny-chat",
      endOfTurn: "<|end|>",
      supportsTools: true,
    });
    expect(r.scanned).toEqual({ trainRows: 4, evalRows: 0, capped: false }); // blank lines are no rows
    // tiny-chat has no JS tokenizer: counts are estimates, and the report says so.
    expect(r.tokenCount.exact).toBe(false);
    expect(codes(r)).toEqual(["token_count_estimated"]);
  });

  it("counts the examples the sequence length cuts, with exact Llama 3 token counts", async () => {
    const long = "word ".repeat(400);
    const trainPath = await jsonl([
      chat("short", "ok"),
      chat(long, "ok"),
      chat("short again", "ok"),
      chat(long + long, "ok"),
    ]);
    const r = await preflight({
      trainPath,
      baseModel: "meta-llama/Llama-3.1-8B-Instruct",
      sequenceLen: 300,
    });
    expect(r.truncated).toMatchObject({ count: 2, of: 4, sequenceLen: 300, lines: [2, 4] });
    // Special tokens count as one token each, as the real tokenizer encodes them.
    for (const e of r.renderedExamples) {
      expect(e.tokens).toBe(llama3.encode(e.text, { bos: false, eos: false }).length);
    }
    expect(r.truncated.maxTokens).toBeGreaterThan(800);
    expect(r.tokenCount).toEqual({ tokenizer: "llama3", exact: true });
    const f = r.findings.find((x) => x.code === "truncated")!;
    expect(f.severity).toBe("warning");
    expect(f.message).toContain("2 of 4 examples");
    expect(f.message).toContain("lines 2, 4");
    expect(codes(r)).not.toContain("token_count_estimated");
  });

  it("names the rows the template refuses and tools the template cannot show", async () => {
    const trainPath = await jsonl([
      chat("Hi", "Hello"), // Gemma 2 has no system role
      { messages: chat("Hi", "Hello").messages.slice(1) },
      toolRow,
      chat("Again", "Hello"),
    ]);
    const r = await preflight({ trainPath, baseModel: "google/gemma-2-2b-it" });
    const failed = r.findings.filter((f) => f.code === "render_failed");
    expect(failed.map((f) => f.severity)).toEqual(["error", "error"]);
    expect(failed[0]!.message).toMatch(
      /^2 examples cannot be rendered .*lines 1, 4.*System role not supported/,
    );
    // Python stops at the tool turn (roles must alternate); the JS engine one turn earlier, on
    // `None | trim`. Either way the row cannot be rendered.
    expect(failed[1]!.message).toMatch(/^1 example cannot be rendered .*\(line 3\)/);
    const tools = r.findings.find((f) => f.code === "tools_unsupported")!;
    expect(tools).toMatchObject({ severity: "warning" });
    expect(tools.message).toContain("first at line 3");
    expect(r.renderedExamples.map((e) => e.line)).toEqual([2]);
    expect(r.eotTrained).toBe(true);
  });

  it("warns when the trainer would skip examples or train on prompt text", async () => {
    const twoTurns = {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
        { role: "user", content: "Bye" },
        { role: "assistant", content: "Bye." },
      ],
    };
    const single = { messages: twoTurns.messages.slice(0, 2) };
    const phi = "microsoft/Phi-3-mini-4k-instruct";
    const some = await preflight({ trainPath: await jsonl([single, twoTurns]), baseModel: phi });
    const f = some.findings.find((x) => x.code === "turn_mismatch")!;
    expect(f.severity).toBe("warning");
    expect(f.message).toMatch(
      /^1 of the first 2 examples .*line 2, assistant message 1.*eos_token/,
    );
    const all = await preflight({ trainPath: await jsonl([twoTurns]), baseModel: phi });
    expect(all.findings.find((x) => x.code === "turn_mismatch")!.severity).toBe("error");

    const mistral = await preflight({
      trainPath: await jsonl([chat("Hi", "Hello"), single]),
      baseModel: "mistralai/Mistral-7B-Instruct-v0.3",
    });
    const p = mistral.findings.find((x) => x.code === "prompt_mismatch")!;
    expect(p.severity).toBe("warning");
    expect(p.message).toMatch(/^in 1 of the first 2 examples .*line 1, assistant message 2/);

    const llama = await preflight({
      trainPath: await jsonl([twoTurns, chat("Hi", "Hello")]),
      baseModel: "meta-llama/Llama-3.2-1B-Instruct",
    });
    expect(codes(llama)).not.toContain("turn_mismatch");
    expect(codes(llama)).not.toContain("prompt_mismatch");
  });

  it("finds eval examples that are training examples, whatever their key order or metadata", async () => {
    const trainPath = await jsonl([chat("a", "1"), chat("b", "2"), chat("c", "3")]);
    const evalPath = await jsonl([
      chat("x", "9"),
      // Same messages as training line 2, keys reordered, other fields around them.
      {
        metadata: { source: "synthetic" },
        messages: chat("b", "2").messages.map((m) => ({ content: m.content, role: m.role })),
      },
    ]);
    const r = await preflight({ trainPath, evalPath });
    expect(r.leakage).toEqual({ count: 1, lines: [{ trainLine: 2, evalLine: 2 }] });
    expect(r.scanned).toMatchObject({ trainRows: 3, evalRows: 2 });
    const f = r.findings.find((x) => x.code === "leakage")!;
    expect(f.severity).toBe("warning");
    expect(f.message).toContain("eval file line 2 = training line 2");
  });

  it("finds leakage across the dataset's own train/eval split", async () => {
    // The split keys on the whole normalized example: rows with the same messages but other
    // tools declared are other examples and land on either side, where the messages leak.
    const evalFraction = 0.5;
    const variant = (n: number) =>
      JSON.stringify({
        ...chat("same", "same"),
        tools: [{ ...TOOLS[0]!, function: { ...TOOLS[0]!.function, name: `tool_${n}` } }],
      });
    const checker = await lineChecker({ declaredFormat: "auto", baseModel: null });
    const sides = [0, 1, 2, 3, 4, 5, 6, 7].map((n) =>
      splitOfExample(checker.checkText(variant(n), 1).result!.example!, evalFraction),
    );
    const trainN = sides.indexOf("train");
    const evalN = sides.indexOf("eval");
    expect(trainN).toBeGreaterThanOrEqual(0);
    expect(evalN).toBeGreaterThanOrEqual(0);
    const trainPath = await jsonl([variant(trainN), chat("other", "x"), variant(evalN)]);
    const r = await preflight({ trainPath, evalSplit: { evalFraction } });
    expect(r.leakage.count).toBe(1);
    expect(r.leakage.lines).toEqual([{ trainLine: 1, evalLine: 3 }]);
    expect(r.findings.find((x) => x.code === "leakage")!.message).toContain("eval split line 3");
  });

  it("reads gzip files, skips what the trainer never gets, and says when it stopped early", async () => {
    const trainPath = await jsonl(
      [
        "{not json",
        { prompt: "p", completion: "c" },
        { messages: [{ role: "user", content: "no reply" }] },
        chat("a", "1"),
        chat("b", "2"),
        chat("c", "3"),
      ],
      true,
    );
    const r = await preflight({ trainPath, scanLimit: 5 });
    // Validation rejects lines 1 and 3 (invalid JSON; no assistant turn) and training/data.ts
    // drops the prompt/completion row: two rows of the first five reach the trainer.
    expect(r.scanned).toEqual({ trainRows: 2, evalRows: 0, capped: true });
    const byCode = Object.fromEntries(r.findings.map((f) => [f.code, f]));
    expect(byCode.unreadable_rows!.message).toMatch(
      /^3 rows are not trained on: dataset validation rejects them.*training line 1, invalid JSON/,
    );
    expect(byCode.scan_capped!.message).toContain("first 5 rows of the training file");
    expect(r.renderedExamples.map((e) => e.line)).toEqual([4, 5]);
    expect(r.eotTrained).toBe(true);
  });

  it("accepts the rows the version's own validation accepted", async () => {
    const long = chat("word ".repeat(600), "ok");
    const trainPath = await jsonl([chat("a", "1"), long]);
    // Under tiny-chat's 512-token context the long row is invalid; under Llama 3.1's it is not.
    const tiny = await preflight({
      trainPath,
      trainValidation: { declaredFormat: "auto", baseModel: "retune/tiny-chat" },
    });
    expect(tiny.scanned.trainRows).toBe(1);
    expect(codes(tiny)).toContain("unreadable_rows");
    const llama = await preflight({ trainPath });
    expect(llama.scanned.trainRows).toBe(2);
    // A version declared as ShareGPT rejects chat rows, and so does its pre-flight.
    const sharegpt = await preflight({
      trainPath,
      trainValidation: { declaredFormat: "sharegpt", baseModel: null },
    });
    expect(sharegpt.scanned.trainRows).toBe(0);
    expect(codes(sharegpt)).toContain("empty_dataset");
  });

  it("counts text that spells a tokenizer's own special tokens without failing", async () => {
    const trainPath = await jsonl([
      chat("what do <|endoftext|> and <|im_start|> mean?", "markers"),
    ]);
    for (const baseModel of ["retune/tiny-chat", "Qwen/Qwen2.5-1.5B-Instruct"]) {
      const r = await preflight({ trainPath, baseModel });
      expect(r.renderedExamples[0]!.tokens, baseModel).toBeGreaterThan(10);
    }
  });

  it("reports an empty training file and a model without a template", async () => {
    const empty = await preflight({ trainPath: await jsonl([""]) });
    expect(codes(empty)).toContain("empty_dataset");
    const none = await preflight({
      trainPath: await jsonl([chat("a", "b")]),
      baseModel: "openai/gpt-4o-mini",
    });
    expect(none.findings).toEqual([
      expect.objectContaining({ code: "no_chat_template", severity: "error" }),
    ]);
  });

  it("flags a template that leaves the end-of-turn token out of the trained span", async () => {
    // A copy of the repository's tiny-chat template that closes assistant turns with a plain
    // newline: the model would learn every word but never to stop.
    const root = path.join(dir, "repo");
    await mkdir(path.join(root, "trainers/templates"), { recursive: true });
    const good = await readFile(path.resolve("trainers/templates/tiny-chat.jinja"), "utf8");
    const broken = good.replace(
      /\{\{ message\['content'\] \}\}\n\{%- endif -%\}\n<\|end\|>/,
      "{{ message['content'] }}\n{%- endif -%}\n{{ '\\n' }}",
    );
    expect(broken).not.toBe(good);
    await writeFile(path.join(root, "trainers/templates/tiny-chat.jinja"), broken);
    const trainPath = await jsonl([chat("Hi", "Hello")]);
    const cwd = process.cwd();
    vi.resetModules();
    process.chdir(root);
    try {
      const { runPreflight: fresh } = await import("./preflight");
      const r = await fresh({
        baseModel: "retune/tiny-chat",
        sequenceLen: 64,
        trainPath,
        evalPath: null,
      });
      expect(r.eotTrained).toBe(false);
      const f = r.findings.find((x) => x.code === "eot_not_trained")!;
      expect(f.severity).toBe("error");
      expect(f.message).toContain("never learn to stop");
    } finally {
      process.chdir(cwd);
      vi.resetModules();
    }
  });
});
