/**
 * Can vLLM serve this adapter as a LoRA (docs/architecture.md, "Evaluation and the registry")? vLLM refuses some adapters that PEFT
 * trains happily, and the refusal may surface only at the first request (EngineDeadError), so
 * a version is checked before it can reach PRODUCTION.
 *
 * Source: /work/shared/research/integration-facts.md §4, from vllm/lora/peft_helper.py
 * `validate_legal` @e745baff (refuses modules_to_save, DoRA, r > max_lora_rank, bias without
 * bias support) and vllm/config/lora.py @a78dc92f (max_lora_rank default 16, allowed values).
 */

/** vLLM's allowed `--max-lora-rank` values (vllm/config/lora.py). */
export const VLLM_MAX_LORA_RANKS = [1, 8, 16, 32, 64, 128, 256, 320, 512] as const;
export const VLLM_DEFAULT_MAX_LORA_RANK = 16;

export type VllmCompat = {
  servable: boolean;
  problems: string[];
  rank: number | null;
  /** The smallest allowed `--max-lora-rank` ≥ rank: over-sizing it wastes GPU memory. */
  maxLoraRankNeeded: number;
};

/**
 * Checks a parsed `adapter_config.json`. `maxLoraRank` is the server's `--max-lora-rank`
 * (vLLM's default 16); an adapter above it is reported with the flag value that would fit.
 */
export function checkVllmServable(
  adapterConfig: unknown,
  opts: { maxLoraRank?: number } = {},
): VllmCompat {
  const maxLoraRank = opts.maxLoraRank ?? VLLM_DEFAULT_MAX_LORA_RANK;
  const problems: string[] = [];
  if (!isRecord(adapterConfig))
    return {
      servable: false,
      problems: ["adapter_config.json is not a JSON object"],
      rank: null,
      maxLoraRankNeeded: maxLoraRank,
    };
  const cfg = adapterConfig;

  const peftType = cfg.peft_type;
  if (peftType !== "LORA")
    problems.push(
      `peft_type is ${JSON.stringify(peftType ?? null)}; vLLM serves only LORA adapters`,
    );

  const r = cfg.r;
  const rank = typeof r === "number" && Number.isInteger(r) && r >= 1 ? r : null;
  const largest = VLLM_MAX_LORA_RANKS[VLLM_MAX_LORA_RANKS.length - 1];
  let maxLoraRankNeeded = maxLoraRank;
  if (rank === null) {
    problems.push(`r is ${JSON.stringify(r ?? null)}; expected a positive integer LoRA rank`);
  } else {
    const fit = VLLM_MAX_LORA_RANKS.find((m) => m >= rank);
    if (fit === undefined) {
      problems.push(
        `LoRA rank ${rank} is above ${largest}, the largest --max-lora-rank vLLM allows`,
      );
    } else {
      maxLoraRankNeeded = fit;
      if (rank > maxLoraRank)
        problems.push(
          `LoRA rank ${rank} is greater than max_lora_rank ${maxLoraRank}; serve with --max-lora-rank ${fit}`,
        );
    }
  }

  const toSave = cfg.modules_to_save;
  if (Array.isArray(toSave) ? toSave.length > 0 : toSave != null)
    problems.push(
      `modules_to_save is ${JSON.stringify(toSave)}; vLLM only supports it being empty (merge the adapter and serve the full model instead)`,
    );

  if (cfg.use_dora === true)
    problems.push(
      "use_dora is true; vLLM does not support DoRA adapters (merge, or retrain as LoRA)",
    );

  if (typeof cfg.bias === "string" && cfg.bias !== "none")
    problems.push(
      `bias is "${cfg.bias}"; vLLM refuses LoRA bias weights unless its bias support is enabled`,
    );

  return { servable: problems.length === 0, problems, rank, maxLoraRankNeeded };
}

/**
 * A copy-paste recipe: serve the base with the adapter under `loraName`, then select it with the
 * `model` field of an OpenAI-compatible request (vLLM routes by that name).
 */
export function vllmServeSnippet(input: {
  baseModel: string;
  loraName: string;
  adapterPath: string;
  maxLoraRank: number;
}): string {
  const { baseModel, loraName, adapterPath, maxLoraRank } = input;
  const body = JSON.stringify({
    model: loraName,
    messages: [{ role: "user", content: "What's the weather in Paris?" }],
  });
  return [
    "# Serve the base model with the adapter",
    `vllm serve ${shellQuote(baseModel)} --enable-lora --lora-modules ${shellQuote(`${loraName}=${adapterPath}`)} --max-lora-rank ${maxLoraRank}`,
    "",
    "# Call the adapter: the `model` field selects it (the base model's id selects the base)",
    "curl http://localhost:8000/v1/chat/completions \\",
    "  -H 'Content-Type: application/json' \\",
    `  -d ${shellQuote(body)}`,
    "",
    "# Or with the OpenAI Python client",
    "from openai import OpenAI",
    'client = OpenAI(base_url="http://localhost:8000/v1", api_key="EMPTY")',
    `client.chat.completions.create(model=${JSON.stringify(loraName)}, messages=[{"role": "user", "content": "What's the weather in Paris?"}])`,
  ].join("\n");
}

/** Leaves plain tokens alone so the common case reads naturally; quotes anything else. */
function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
