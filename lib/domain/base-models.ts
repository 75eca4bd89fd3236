/**
 * The base-model catalogue, in code: what retune knows about each model it can fine-tune or
 * count tokens for. `tokenizer` names the counter lib/server uses: "llama3" and "o200k" are the
 * models' real tokenizers in JS (exact counts); "estimate" means no JS tokenizer exists for that
 * family and counts are approximations, marked as such wherever they are shown. `arch` holds the
 * dimensions from each model's config.json, from which the VRAM estimate is computed.
 */
export type TokenizerId = "llama3" | "o200k" | "estimate";

export type Architecture = {
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  tiedEmbeddings: boolean;
};

export type BaseModel = {
  id: string;
  name: string;
  family: "llama3" | "qwen2" | "phi3" | "mistral" | "gemma2" | "openai" | "tiny";
  paramsB: number;
  contextLength: number;
  license: string;
  tokenizer: TokenizerId;
  /** null: not fine-tunable by retune (token counting only). */
  arch: Architecture | null;
  /** Projections LoRA adapts by default: every linear layer of each block. */
  loraTargets: readonly string[];
};

const LLAMA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];
const PHI3_TARGETS = ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"];

function arch(
  hidden: number,
  intermediate: number,
  layers: number,
  heads: number,
  kvHeads: number,
  vocab: number,
  tiedEmbeddings: boolean,
  headDim = hidden / heads,
): Architecture {
  return { hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tiedEmbeddings };
}

type Entry = Omit<BaseModel, "loraTargets"> & { loraTargets?: readonly string[] };
const entries: Entry[] = [
  {
    id: "meta-llama/Llama-3.1-8B-Instruct",
    name: "Llama 3.1 8B Instruct",
    family: "llama3",
    paramsB: 8.03,
    contextLength: 131_072,
    license: "llama3.1",
    tokenizer: "llama3",
    arch: arch(4096, 14336, 32, 32, 8, 128256, false),
  },
  {
    id: "meta-llama/Llama-3.1-70B-Instruct",
    name: "Llama 3.1 70B Instruct",
    family: "llama3",
    paramsB: 70.6,
    contextLength: 131_072,
    license: "llama3.1",
    tokenizer: "llama3",
    arch: arch(8192, 28672, 80, 64, 8, 128256, false),
  },
  {
    id: "meta-llama/Llama-3.2-1B-Instruct",
    name: "Llama 3.2 1B Instruct",
    family: "llama3",
    paramsB: 1.24,
    contextLength: 131_072,
    license: "llama3.2",
    tokenizer: "llama3",
    arch: arch(2048, 8192, 16, 32, 8, 128256, true),
  },
  {
    id: "meta-llama/Llama-3.2-3B-Instruct",
    name: "Llama 3.2 3B Instruct",
    family: "llama3",
    paramsB: 3.21,
    contextLength: 131_072,
    license: "llama3.2",
    tokenizer: "llama3",
    arch: arch(3072, 8192, 28, 24, 8, 128256, true),
  },
  {
    id: "Qwen/Qwen2.5-0.5B-Instruct",
    name: "Qwen2.5 0.5B Instruct",
    family: "qwen2",
    paramsB: 0.49,
    contextLength: 32_768,
    license: "apache-2.0",
    tokenizer: "estimate",
    arch: arch(896, 4864, 24, 14, 2, 151936, true),
  },
  {
    id: "Qwen/Qwen2.5-1.5B-Instruct",
    name: "Qwen2.5 1.5B Instruct",
    family: "qwen2",
    paramsB: 1.54,
    contextLength: 32_768,
    license: "apache-2.0",
    tokenizer: "estimate",
    arch: arch(1536, 8960, 28, 12, 2, 151936, true),
  },
  {
    id: "Qwen/Qwen2.5-3B-Instruct",
    name: "Qwen2.5 3B Instruct",
    family: "qwen2",
    paramsB: 3.09,
    contextLength: 32_768,
    license: "qwen-research",
    tokenizer: "estimate",
    arch: arch(2048, 11008, 36, 16, 2, 151936, true),
  },
  {
    id: "Qwen/Qwen2.5-7B-Instruct",
    name: "Qwen2.5 7B Instruct",
    family: "qwen2",
    paramsB: 7.62,
    contextLength: 131_072,
    license: "apache-2.0",
    tokenizer: "estimate",
    arch: arch(3584, 18944, 28, 28, 4, 152064, false),
  },
  {
    id: "microsoft/Phi-3-mini-4k-instruct",
    name: "Phi-3 mini 4k Instruct",
    family: "phi3",
    paramsB: 3.82,
    contextLength: 4_096,
    license: "mit",
    tokenizer: "estimate",
    arch: arch(3072, 8192, 32, 32, 32, 32064, false),
    loraTargets: PHI3_TARGETS,
  },
  {
    id: "mistralai/Mistral-7B-Instruct-v0.3",
    name: "Mistral 7B Instruct v0.3",
    family: "mistral",
    paramsB: 7.25,
    contextLength: 32_768,
    license: "apache-2.0",
    tokenizer: "estimate",
    arch: arch(4096, 14336, 32, 32, 8, 32768, false),
  },
  {
    id: "google/gemma-2-2b-it",
    name: "Gemma 2 2B it",
    family: "gemma2",
    paramsB: 2.61,
    contextLength: 8_192,
    license: "gemma",
    tokenizer: "estimate",
    arch: arch(2304, 9216, 26, 8, 4, 256000, true, 256),
  },
  {
    id: "google/gemma-2-9b-it",
    name: "Gemma 2 9B it",
    family: "gemma2",
    paramsB: 9.24,
    contextLength: 8_192,
    license: "gemma",
    tokenizer: "estimate",
    arch: arch(3584, 14336, 42, 16, 8, 256000, true, 256),
  },
  {
    id: "openai/gpt-4o-mini",
    name: "GPT-4o mini (token counting only)",
    family: "openai",
    paramsB: 0,
    contextLength: 128_000,
    license: "proprietary",
    tokenizer: "o200k",
    arch: null,
    loraTargets: [],
  },
  {
    id: "retune/tiny-chat",
    name: "retune tiny-chat (CPU, built locally)",
    family: "tiny",
    paramsB: 0.0008,
    contextLength: 512,
    license: "apache-2.0",
    tokenizer: "estimate",
    arch: arch(128, 256, 4, 4, 2, 512, false),
  },
];

export const BASE_MODELS: readonly BaseModel[] = entries.map((e) => ({
  ...e,
  loraTargets: e.loraTargets ?? LLAMA_TARGETS,
}));

export const DEFAULT_BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

export function findBaseModel(id: string): BaseModel | undefined {
  return BASE_MODELS.find((m) => m.id === id);
}
