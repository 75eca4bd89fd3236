/**
 * Token counters per base-model family. Llama 3 and o200k are the real tokenizers (exact);
 * other families have no JS tokenizer, so they are estimated with o200k and marked inexact.
 *
 * The tokenizers load on first use (each holds a 100+ MB vocabulary in memory), so a process
 * only pays for the one its base model needs.
 *
 * BPE works on pre-tokenized chunks independently, so a count can be memoized per chunk and
 * stay exact: datasets repeat the same words, system prompts and tool schemas on every row.
 */
import path from "node:path";
import { type BaseModel, findBaseModel, type TokenizerId } from "@/lib/domain/base-models";

export type TokenCounter = { name: string; exact: boolean; count(text: string): number };

/** Llama 3's pre-tokenizer pattern (from its tokenizer.json), the same split BPE runs within. */
const LLAMA3_SPLIT =
  /(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+/gu;

/** A bounded memo: cleared when full, so memory stays flat on any dataset size. */
class Memo {
  private map = new Map<string, number>();
  constructor(private readonly max: number) {}
  get(k: string) {
    return this.map.get(k);
  }
  set(k: string, v: number) {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(k, v);
  }
}

/** Strings at least this long are memoized whole (system prompts, tool results, tool lists). */
const WHOLE_MIN = 48;

type ChunkCounter = (chunk: string) => number;

function llama3Counter(countBpe: ChunkCounter): TokenCounter {
  const chunks = new Memo(50_000);
  const whole = new Memo(20_000);
  const countChunk = (chunk: string) => {
    let n = chunks.get(chunk);
    if (n === undefined) {
      n = countBpe(chunk);
      chunks.set(chunk, n);
    }
    return n;
  };
  return {
    name: "llama3",
    exact: true,
    count(text) {
      const long = text.length >= WHOLE_MIN;
      if (long) {
        const hit = whole.get(text);
        if (hit !== undefined) return hit;
      }
      let n = 0;
      const parts = text.match(LLAMA3_SPLIT);
      if (parts) for (let i = 0; i < parts.length; i++) n += countChunk(parts[i]!);
      if (long) whole.set(text, n);
      return n;
    },
  };
}

function o200kCounter(
  o200kCount: (t: string) => number,
  name: string,
  exact: boolean,
): TokenCounter {
  const whole = new Memo(20_000);
  return {
    name,
    exact,
    count(text) {
      if (text.length < WHOLE_MIN) return o200kCount(text);
      let n = whole.get(text);
      if (n === undefined) {
        n = o200kCount(text);
        whole.set(text, n);
      }
      return n;
    },
  };
}

const built = new Map<TokenizerId, Promise<TokenCounter>>();

/**
 * Llama 3's BPE is tiktoken-style rank merging with its token ids as ranks, which
 * gpt-tokenizer's BytePairEncodingCore runs; the ranks come from scripts/build-llama3-ranks.mjs
 * (postinstall). The tests compare every count with llama3-tokenizer-js, the reference.
 */
async function llama3Bpe(): Promise<ChunkCounter> {
  const [{ readFile }, { BytePairEncodingCore }] = await Promise.all([
    import("node:fs/promises"),
    import("gpt-tokenizer/BytePairEncodingCore"),
  ]);
  // Next.js bundles this module (it traces the literal URL below and ships the file); the
  // analysis-worker bundle and plain Node find it from the project root.
  const candidates = [
    new URL("../generated/llama3-ranks.json", import.meta.url),
    path.resolve(process.cwd(), "lib/server/generated/llama3-ranks.json"),
  ];
  let text: string | undefined;
  for (const file of candidates) {
    text = await readFile(file, "utf8").catch(() => undefined);
    if (text) break;
  }
  if (!text) {
    throw new Error(
      "lib/server/generated/llama3-ranks.json is missing: run `npm install` (its postinstall writes it)",
    );
  }
  const ranks = JSON.parse(text) as (string | number[])[];
  // Its own merge cache (100k token arrays) would duplicate the count memo in front of it.
  const core = new BytePairEncodingCore({
    bytePairRankDecoder: ranks,
    tokenSplitRegex: LLAMA3_SPLIT,
    mergeCacheSize: 0,
  });
  const none = new Set<string>();
  return (chunk) => core.countNative(chunk, none);
}

async function build(id: TokenizerId): Promise<TokenCounter> {
  if (id === "llama3") return llama3Counter(await llama3Bpe());
  const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
  return id === "o200k"
    ? o200kCounter(countTokens, "o200k", true)
    : o200kCounter(countTokens, "o200k (estimate)", false);
}

export function tokenCounterFor(model: BaseModel | undefined): Promise<TokenCounter> {
  const id: TokenizerId = model?.tokenizer ?? "estimate";
  let c = built.get(id);
  if (!c) {
    c = build(id);
    built.set(id, c);
  }
  return c;
}

export function tokenCounterForId(baseModelId: string | null | undefined): Promise<TokenCounter> {
  return tokenCounterFor(baseModelId ? findBaseModel(baseModelId) : undefined);
}
