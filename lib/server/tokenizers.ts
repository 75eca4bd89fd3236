/**
 * Token counters per base-model family. Llama 3 and o200k are the real tokenizers (exact);
 * other families have no JS tokenizer, so they are estimated with o200k and marked inexact.
 *
 * BPE works on pre-tokenized chunks independently, so a count can be memoized per chunk and
 * stay exact: datasets repeat the same words, system prompts and tool schemas on every row.
 */
import { countTokens as o200kCount } from "gpt-tokenizer/encoding/o200k_base";
import llama3 from "llama3-tokenizer-js";
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

function llama3Counter(): TokenCounter {
  const chunks = new Memo(200_000);
  const whole = new Memo(2_000);
  const countChunk = (chunk: string) => {
    let n = chunks.get(chunk);
    if (n === undefined) {
      n = llama3.encode(chunk, { bos: false, eos: false }).length;
      chunks.set(chunk, n);
    }
    return n;
  };
  return {
    name: "llama3",
    exact: true,
    count(text) {
      const long = text.length > 256;
      if (long) {
        const hit = whole.get(text);
        if (hit !== undefined) return hit;
      }
      let n = 0;
      for (const m of text.matchAll(LLAMA3_SPLIT)) n += countChunk(m[0]);
      if (long) whole.set(text, n);
      return n;
    },
  };
}

function o200kCounter(name: string, exact: boolean): TokenCounter {
  const whole = new Memo(2_000);
  return {
    name,
    exact,
    count(text) {
      if (text.length <= 256) return o200kCount(text);
      let n = whole.get(text);
      if (n === undefined) {
        n = o200kCount(text);
        whole.set(text, n);
      }
      return n;
    },
  };
}

const built = new Map<TokenizerId, TokenCounter>();

export function tokenCounterFor(model: BaseModel | undefined): TokenCounter {
  const id: TokenizerId = model?.tokenizer ?? "estimate";
  let c = built.get(id);
  if (!c) {
    c =
      id === "llama3"
        ? llama3Counter()
        : id === "o200k"
          ? o200kCounter("o200k", true)
          : o200kCounter("o200k (estimate)", false);
    built.set(id, c);
  }
  return c;
}

export function tokenCounterForId(baseModelId: string | null | undefined): TokenCounter {
  return tokenCounterFor(baseModelId ? findBaseModel(baseModelId) : undefined);
}
