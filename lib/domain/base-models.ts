/**
 * The base-model catalogue, in code: what retune knows about each model it can fine-tune or
 * count tokens for. `tokenizer` names the counter lib/server uses: "llama3" and "o200k" are the
 * models' real tokenizers in JS (exact counts); "estimate" means no JS tokenizer exists for that
 * family and counts are approximations, marked as such wherever they are shown.
 */
export type TokenizerId = "llama3" | "o200k" | "estimate";

export type BaseModel = {
  id: string;
  name: string;
  family: "llama3" | "qwen2" | "phi3" | "mistral" | "gemma2" | "openai" | "tiny";
  paramsB: number;
  contextLength: number;
  license: string;
  tokenizer: TokenizerId;
};

export const BASE_MODELS: readonly BaseModel[] = [
  {
    id: "meta-llama/Llama-3.1-8B-Instruct",
    name: "Llama 3.1 8B Instruct",
    family: "llama3",
    paramsB: 8,
    contextLength: 131_072,
    license: "llama3.1",
    tokenizer: "llama3",
  },
  {
    id: "meta-llama/Llama-3.1-70B-Instruct",
    name: "Llama 3.1 70B Instruct",
    family: "llama3",
    paramsB: 70,
    contextLength: 131_072,
    license: "llama3.1",
    tokenizer: "llama3",
  },
  {
    id: "meta-llama/Llama-3.2-1B-Instruct",
    name: "Llama 3.2 1B Instruct",
    family: "llama3",
    paramsB: 1.2,
    contextLength: 131_072,
    license: "llama3.2",
    tokenizer: "llama3",
  },
  {
    id: "meta-llama/Llama-3.2-3B-Instruct",
    name: "Llama 3.2 3B Instruct",
    family: "llama3",
    paramsB: 3.2,
    contextLength: 131_072,
    license: "llama3.2",
    tokenizer: "llama3",
  },
  {
    id: "Qwen/Qwen2.5-0.5B-Instruct",
    name: "Qwen2.5 0.5B Instruct",
    family: "qwen2",
    paramsB: 0.5,
    contextLength: 32_768,
    license: "apache-2.0",
    tokenizer: "estimate",
  },
  {
    id: "Qwen/Qwen2.5-1.5B-Instruct",
    name: "Qwen2.5 1.5B Instruct",
    family: "qwen2",
    paramsB: 1.5,
    contextLength: 32_768,
    license: "apache-2.0",
    tokenizer: "estimate",
  },
  {
    id: "Qwen/Qwen2.5-3B-Instruct",
    name: "Qwen2.5 3B Instruct",
    family: "qwen2",
    paramsB: 3.1,
    contextLength: 32_768,
    license: "qwen-research",
    tokenizer: "estimate",
  },
  {
    id: "Qwen/Qwen2.5-7B-Instruct",
    name: "Qwen2.5 7B Instruct",
    family: "qwen2",
    paramsB: 7.6,
    contextLength: 131_072,
    license: "apache-2.0",
    tokenizer: "estimate",
  },
  {
    id: "microsoft/Phi-3-mini-4k-instruct",
    name: "Phi-3 mini 4k Instruct",
    family: "phi3",
    paramsB: 3.8,
    contextLength: 4_096,
    license: "mit",
    tokenizer: "estimate",
  },
  {
    id: "mistralai/Mistral-7B-Instruct-v0.3",
    name: "Mistral 7B Instruct v0.3",
    family: "mistral",
    paramsB: 7.2,
    contextLength: 32_768,
    license: "apache-2.0",
    tokenizer: "estimate",
  },
  {
    id: "google/gemma-2-2b-it",
    name: "Gemma 2 2B it",
    family: "gemma2",
    paramsB: 2.6,
    contextLength: 8_192,
    license: "gemma",
    tokenizer: "estimate",
  },
  {
    id: "google/gemma-2-9b-it",
    name: "Gemma 2 9B it",
    family: "gemma2",
    paramsB: 9.2,
    contextLength: 8_192,
    license: "gemma",
    tokenizer: "estimate",
  },
  {
    id: "openai/gpt-4o-mini",
    name: "GPT-4o mini (token counting only)",
    family: "openai",
    paramsB: 0,
    contextLength: 128_000,
    license: "proprietary",
    tokenizer: "o200k",
  },
  {
    id: "retune/tiny-chat",
    name: "retune tiny-chat (CPU, built locally)",
    family: "tiny",
    paramsB: 0.0008,
    contextLength: 512,
    license: "apache-2.0",
    tokenizer: "estimate",
  },
];

export const DEFAULT_BASE_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

export function findBaseModel(id: string): BaseModel | undefined {
  return BASE_MODELS.find((m) => m.id === id);
}
