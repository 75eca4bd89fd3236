"""Batch greedy generation for evaluations: a base model, optionally with a LoRA adapter.

    python trainers/generate.py --base retune/tiny-chat [--base-path DIR] [--adapter DIR] \
        --input cases.jsonl --output out.jsonl [--max-new-tokens 128] [--batch-size 16]

Input rows:  {"id": ..., "messages": [...], "tools": [...]?}  — the conversation up to the
             assistant turn to predict (OpenAI chat format, as in training data).
Output rows, in input order:
  {"id", "text", "toolCalls": [{"name", "arguments": {...}}] | null,
   "latencyMs", "promptTokens", "completionTokens",
   "logprobs": {"mean", "min", "tokens"} | null}  (+ "error" when a row could not be rendered)
  * toolCalls are parsed from tiny-chat's `<|call|>name {json}`, Qwen/Hermes
    `<tool_call>{...}</tool_call>` or Llama 3.1 JSON calls (best effort);
  * text is the reply without the call markup; when the model attempted a call that does not
    parse, toolCalls is null and text is the raw completion, so scorers see the broken call;
  * logprobs: the log-probabilities of the generated tokens (the stop token excluded, like an
    OpenAI-compatible server's `logprobs.content`), as the model's confidence for routing
    calibration; null when nothing was generated;
  * latencyMs is the wall time of the generate() call of the row's batch (what a caller served
    in batches of --batch-size waits); use --batch-size 1 for per-request latency.
stdout: `[retune] {"event":"progress","done":n,"total":N}` after each batch; on exit 2 or 3,
`[retune] {"event":"error","kind":"input"|"environment","message":…}` last.
Exit codes: 0 done; 2 bad arguments or input file; 3 this host cannot load the model; 1 other.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retune_common import (  # noqa: E402
    EXIT_BAD_INPUT,
    EXIT_ENVIRONMENT,
    EnvironmentProblem,
    InputError,
    emit,
    iter_jsonl,
    log,
    parse_tool_calls,
    prepare_tool_calls,
    resolve_base,
    row_messages,
    setup_process,
    template_takes_string_arguments,
)


def read_cases(path: str) -> list[dict]:
    cases = []
    for lineno, row in iter_jsonl(path, "--input"):
        where = f"{path}:{lineno}"
        if isinstance(row, Exception):
            raise InputError(f"{where}: {row}")
        if not isinstance(row, dict) or "id" not in row:
            raise InputError(f"{where}: each case needs an id")
        cases.append({"line": lineno, "row": row})
    return cases


def load(base: str, base_path: str | None, adapter: str | None):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = resolve_base(base, base_path)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    dtype = (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16) if device == "cuda" else torch.float32
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path, dtype=dtype)
    if adapter:
        if not (Path(adapter) / "adapter_config.json").is_file():
            raise InputError(f"--adapter: {adapter} has no adapter_config.json")
        from peft import PeftModel

        # Merged weights generate at the base model's speed; the adapter file is left untouched.
        model = PeftModel.from_pretrained(model, adapter).merge_and_unload()
    model.to(device).eval()
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    # Left padding: every prompt in a batch ends where generation starts.
    tokenizer.padding_side = "left"
    if not tokenizer.chat_template:
        raise InputError(f"--base: {base} has no chat template")
    return model, tokenizer, device


class GreedyLogprobs:
    """A logits processor, last in generate()'s list, that records per step and row the
    log-probability of the token greedy decoding picks: the maximum of the log-softmax of the
    scores it sees, since greedy takes their argmax. Only a (batch,) vector per step is kept, not
    the vocabulary-wide logits `output_logits` would hold (128K × steps × batch on a real model).
    The scores are those after generate()'s own processors; for greedy decoding with the default
    generation config they are the model's logits."""

    def __init__(self):
        self.steps = []
        self.table = None

    def __call__(self, input_ids, scores):
        import torch

        # Kept on the device: a copy to the host per step would synchronise a GPU every token.
        self.steps.append(torch.log_softmax(scores.float(), dim=-1).max(dim=-1).values)
        return scores

    def of_row(self, row: int, n: int) -> list[float]:
        import torch

        if self.table is None:  # (steps, batch), copied to the host once per batch
            self.table = torch.stack(self.steps).cpu().tolist() if self.steps else []
        return [self.table[k][row] for k in range(min(n, len(self.table)))]


def logprob_summary(values: list[float]) -> dict | None:
    if not values:
        return None
    # A plain left-to-right sum, as retune's TypeScript and the exported snippets compute it
    # (sum() of floats compensates rounding from Python 3.12 on).
    total = 0.0
    for v in values:
        total += v
    return {"mean": total / len(values), "min": min(values), "tokens": len(values)}


def stop_ids(model, tokenizer) -> set[int]:
    ids = model.generation_config.eos_token_id
    ids = set(ids if isinstance(ids, list) else [ids] if ids is not None else [])
    if tokenizer.eos_token_id is not None:
        ids.add(tokenizer.eos_token_id)
    return ids


def main(argv: list[str] | None = None) -> int:
    setup_process()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description="Batch greedy generation for retune evaluations.")
    ap.add_argument("--base", required=True, help='catalogue id or HF id ("retune/tiny-chat" is built locally) or a folder')
    ap.add_argument("--base-path", default=None, help="local folder of the base (built here for retune/tiny-chat)")
    ap.add_argument("--adapter", default=None, help="LoRA adapter folder (adapter_config.json, adapter_model.safetensors)")
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--max-new-tokens", type=int, default=128)
    ap.add_argument("--batch-size", type=int, default=16)
    a = ap.parse_args(argv)
    try:
        if a.max_new_tokens < 1 or a.batch_size < 1:
            raise InputError("--max-new-tokens and --batch-size must be at least 1")
        cases = read_cases(a.input)
        model, tokenizer, device = load(a.base, a.base_path, a.adapter)
        run(model, tokenizer, device, cases, a)
    except InputError as e:
        log(f"generate: error: {e}")
        emit("error", kind="input", message=str(e))
        return EXIT_BAD_INPUT
    except EnvironmentProblem as e:
        log(f"generate: error: {e}")
        emit("error", kind="environment", message=str(e))
        return EXIT_ENVIRONMENT
    return 0


def run(model, tokenizer, device, cases: list[dict], a) -> None:
    import torch
    from transformers import LogitsProcessorList

    string_args = template_takes_string_arguments(tokenizer.chat_template)
    context = getattr(model.config, "max_position_embeddings", None) or 4096
    max_prompt = max(1, context - a.max_new_tokens)
    results: list[dict | None] = [None] * len(cases)
    prompts: list[tuple[int, list[int]]] = []
    for i, c in enumerate(cases):
        row = c["row"]
        try:
            messages, tools = row_messages(row)
            messages = prepare_tool_calls(messages, string_args)
            text = tokenizer.apply_chat_template(messages, tools=tools, tokenize=False, add_generation_prompt=True)
        except Exception as e:
            results[i] = {"id": row["id"], "text": "", "toolCalls": None, "latencyMs": 0, "promptTokens": 0,
                          "completionTokens": 0, "logprobs": None, "error": f"line {c['line']}: {type(e).__name__}: {e}"}
            continue
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        # Keep the end of an over-long prompt: the turn to answer is there.
        prompts.append((i, ids[-max_prompt:]))

    total = len(cases)
    done = total - len(prompts)
    emit("progress", done=done, total=total)
    stops = stop_ids(model, tokenizer)
    specials = sorted(set(tokenizer.all_special_tokens) - {"<|call|>", "<|python_tag|>"}, key=len, reverse=True)
    # Similar lengths together: less padding per batch. Output order is the input order.
    prompts.sort(key=lambda p: len(p[1]))
    for start in range(0, len(prompts), a.batch_size):
        batch = prompts[start : start + a.batch_size]
        enc = tokenizer.pad({"input_ids": [ids for _, ids in batch]}, return_tensors="pt").to(device)
        recorder = GreedyLogprobs()
        t0 = time.perf_counter()
        with torch.no_grad():
            out = model.generate(
                **enc,
                max_new_tokens=a.max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
                eos_token_id=sorted(stops) or None,
                logits_processor=LogitsProcessorList([recorder]),
            )
        latency = round((time.perf_counter() - t0) * 1000, 1)
        width = enc["input_ids"].shape[1]
        for row, ((i, ids), seq) in enumerate(zip(batch, out.tolist())):
            completion = []
            for tok in seq[width:]:
                if tok in stops:
                    break
                completion.append(tok)
            raw = tokenizer.decode(completion, skip_special_tokens=False)
            for s in specials:  # pad and stray turn markers; call markers stay for the parser
                raw = raw.replace(s, "")
            parsed = parse_tool_calls(raw)
            results[i] = {
                "id": cases[i]["row"]["id"],
                "text": raw.strip() if parsed.malformed else parsed.text,
                "toolCalls": None if parsed.malformed else parsed.calls,
                "latencyMs": latency,
                "promptTokens": len(ids),
                "completionTokens": len(completion) + (1 if len(completion) < len(seq) - width else 0),
                "logprobs": logprob_summary(recorder.of_row(row, len(completion))),
            }
        done += len(batch)
        emit("progress", done=done, total=total)

    out_path = Path(a.output)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(f".{out_path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, out_path)


if __name__ == "__main__":
    sys.exit(main())
