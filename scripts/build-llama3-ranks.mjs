// Writes Llama 3's BPE ranks (token id → token bytes) as a compact JSON array that
// gpt-tokenizer's BytePairEncodingCore can run: the same tiktoken-style merging as Llama 3, in
// about a fifth of the memory of llama3-tokenizer-js's merge tables. Runs at postinstall; the
// tokenizer tests check every count against llama3-tokenizer-js itself.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import llama3 from "llama3-tokenizer-js";

// GPT-2's byte ↔ printable-unicode table, which Llama 3's vocabulary strings are written in.
function unicodeToByte() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  return new Map(cs.map((c, i) => [String.fromCodePoint(c), bs[i]]));
}

const SPECIAL_FROM = 128000; // <|begin_of_text|> and the reserved tokens are not BPE ranks
const toByte = unicodeToByte();
const decoder = new TextDecoder("utf-8", { fatal: true });
const ranks = [];
for (let id = 0; id < SPECIAL_FROM; id++) {
  const token = llama3.vocabById[id];
  const bytes = Uint8Array.from(
    [...token].map((ch) => {
      const b = toByte.get(ch);
      if (b === undefined) throw new Error(`token ${id} has a character outside the byte table`);
      return b;
    }),
  );
  let text;
  try {
    text = decoder.decode(bytes);
  } catch {
    text = undefined;
  }
  // Keep a string only when it round-trips to the same bytes; otherwise the raw bytes.
  ranks.push(
    text !== undefined && Buffer.from(text).equals(Buffer.from(bytes)) ? text : [...bytes],
  );
}
const out = path.join(import.meta.dirname, "..", "lib", "server", "generated", "llama3-ranks.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(ranks));
console.log(`llama3 ranks: ${ranks.length} tokens → ${path.relative(process.cwd(), out)}`);
