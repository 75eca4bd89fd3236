"""LoRA / QLoRA supervised fine-tuning of a chat model on OpenAI-style tool-calling JSONL.

    python trainers/sft.py --spec spec.json

The spec's contract is the zod schema `trainerSpecSchema` in lib/schemas/trainer-spec.ts; this
script validates the same fields and exits 2 naming the field when one is wrong.

Training is the Hugging Face Trainer with a PEFT LoRA (or Unsloth's FastLanguageModel when the
spec asks for it and it is importable). Loss is on assistant turns only, end-of-turn token
included, so the model learns to stop.

stdout, one flushed line at a time (parsed by lib/domain/trainer-log.ts):
  * Trainer log dicts exactly as the installed transformers' PrinterCallback prints them, plus a
    `'step': N` key: `{'loss': '4.864', 'grad_norm': '0.1962', 'learning_rate': '0.0002',
    'epoch': '0.125', 'step': 5}` (transformers 5 quotes floats; 4 prints plain numbers);
  * `[retune] {json}` events: train_begin, checkpoint, done (see emit() calls below), and on a
    non-zero exit, last, `error` with `kind` (input, environment, internal) and `message`: the
    job's error headline.
stderr: warnings and human-readable notes.

Exit codes: 0 done; 2 bad spec or data; 3 this host cannot run the spec (QLoRA without CUDA,
Unsloth missing); 1 anything else (its traceback on stderr). SIGTERM ends the process at once (default action): the newest
complete checkpoint is what a resume starts from.

Test-only knob: RETUNE_TRAINER_STEP_DELAY_MS=N sleeps N ms after every optimizer step, so
integration tests can stop a run mid-way deterministically. Never set it in production.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retune_common import (  # noqa: E402
    EXIT_BAD_INPUT,
    EXIT_ENVIRONMENT,
    TINY_MODEL_ID,
    EnvironmentProblem,
    InputError,
    emit,
    iter_jsonl,
    log,
    prepare_tool_calls,
    resolve_base,
    row_messages,
    setup_process,
    template_takes_string_arguments,
)

# ---------------------------------------------------------------------------------------------
# Spec validation: the same rules as lib/schemas/trainer-spec.ts (zod), with messages that name
# the field. Unknown keys are ignored, as zod's default object parsing strips them.


class _Spec:
    def __init__(self, raw: Any):
        self.raw = raw

    def _get(self, path: str) -> Any:
        obj = self.raw
        parts = path.split(".")
        for i, p in enumerate(parts):
            if not isinstance(obj, dict):
                raise InputError(f"spec.{'.'.join(parts[:i])}: expected an object")
            if p not in obj:
                raise InputError(f"spec.{path}: required")
            obj = obj[p]
        return obj

    def string(self, path: str) -> str:
        v = self._get(path)
        if not isinstance(v, str):
            raise InputError(f"spec.{path}: expected a string, got {json.dumps(v)}")
        return v

    def nullable_string(self, path: str) -> str | None:
        v = self._get(path)
        return None if v is None else self.string(path)

    def boolean(self, path: str) -> bool:
        v = self._get(path)
        if not isinstance(v, bool):
            raise InputError(f"spec.{path}: expected true or false, got {json.dumps(v)}")
        return v

    def number(self, path: str, *, integer=False, positive=False, min=None, lt=None, nullable=False):
        v = self._get(path)
        if v is None and nullable:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise InputError(f"spec.{path}: expected a number, got {json.dumps(v)}")
        if integer:
            if v != int(v):
                raise InputError(f"spec.{path}: expected an integer, got {v}")
            v = int(v)
        if positive and v <= 0:
            raise InputError(f"spec.{path}: must be greater than 0, got {v}")
        if min is not None and v < min:
            raise InputError(f"spec.{path}: must be at least {min}, got {v}")
        if lt is not None and v >= lt:
            raise InputError(f"spec.{path}: must be less than {lt}, got {v}")
        return v


def validate_spec(raw: Any) -> dict:
    """Returns a plain dict with the validated, typed fields; raises InputError."""
    if not isinstance(raw, dict):
        raise InputError("spec: expected a JSON object")
    s = _Spec(raw)
    spec = {
        "jobId": s.string("jobId"),
        "attempt": s.number("attempt", integer=True, min=1),
        "baseModel": s.string("baseModel"),
        "baseModelPath": s.nullable_string("baseModelPath"),
        "method": s.string("method"),
        "useUnsloth": s.boolean("useUnsloth"),
        "trainFile": s.string("trainFile"),
        "evalFile": s.nullable_string("evalFile"),
        "evalSplit": s.number("evalSplit", min=0, lt=1),
        "outputDir": s.string("outputDir"),
        "resume": s.boolean("resume"),
        "lora": {
            "r": s.number("lora.r", integer=True, positive=True),
            "alpha": s.number("lora.alpha", integer=True, positive=True),
            "dropout": s.number("lora.dropout", min=0, lt=1),
        },
        "training": {
            "learningRate": s.number("training.learningRate", positive=True),
            "numEpochs": s.number("training.numEpochs", positive=True, nullable=True),
            "maxSteps": s.number("training.maxSteps", integer=True, positive=True, nullable=True),
            "microBatchSize": s.number("training.microBatchSize", integer=True, positive=True),
            "gradientAccumulationSteps": s.number("training.gradientAccumulationSteps", integer=True, positive=True),
            "warmupSteps": s.number("training.warmupSteps", integer=True, min=0, nullable=True),
            "warmupRatio": s.number("training.warmupRatio", min=0, nullable=True),
            "sequenceLen": s.number("training.sequenceLen", integer=True, positive=True),
            "lrScheduler": s.string("training.lrScheduler"),
            "seed": s.number("training.seed", integer=True, min=0),
            "loggingSteps": s.number("training.loggingSteps", integer=True, positive=True),
            "saveSteps": s.number("training.saveSteps", integer=True, positive=True),
            "evalSteps": s.number("training.evalSteps", integer=True, positive=True),
        },
    }
    if spec["method"] not in ("LORA", "QLORA"):
        raise InputError(f'spec.method: expected "LORA" or "QLORA", got {json.dumps(spec["method"])}')
    targets = s._get("lora.targetModules")
    if not isinstance(targets, list) or not targets or not all(isinstance(t, str) and t for t in targets):
        raise InputError("spec.lora.targetModules: expected a non-empty list of module names")
    spec["lora"]["targetModules"] = targets
    t = spec["training"]
    # Rules the trainer would trip over later, reported up front (docs/architecture.md, "Training").
    if t["warmupSteps"] is not None and t["warmupRatio"] is not None:
        raise InputError("spec.training.warmupRatio: warmupSteps and warmupRatio exclude each other; set one to null")
    if t["warmupRatio"] is not None and t["warmupRatio"] >= 1:
        raise InputError(f"spec.training.warmupRatio: must be less than 1, got {t['warmupRatio']}")
    if t["numEpochs"] is None and t["maxSteps"] is None:
        raise InputError("spec.training.maxSteps: one of numEpochs and maxSteps must be set")
    return spec


# ---------------------------------------------------------------------------------------------
# Data: render each conversation with the tokenizer's chat template and label assistant turns.


class RenderError(ValueError):
    pass


def _common_prefix(a: list[int], b: list[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def encode_conversation(tokenizer, messages: list[dict], tools: list[dict] | None, seq_len: int) -> dict:
    """input_ids and labels (-100 outside assistant turns) for one conversation.

    Assistant spans come from prefix differences: the tokens of render(messages[:i+1]) beyond
    render(messages[:i], add_generation_prompt=True) are assistant turn i, including the
    template's end-of-turn token, so the model is trained to stop. This works for any chat
    template without knowing its markers.
    """

    def ids(msgs, gen=False):
        text = tokenizer.apply_chat_template(msgs, tools=tools, tokenize=False, add_generation_prompt=gen)
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    full = ids(messages)
    labels = [-100] * len(full)
    trained = 0
    for i, m in enumerate(messages):
        if m["role"] != "assistant":
            continue
        start = _common_prefix(ids(messages[:i], gen=True), full)
        upto = ids(messages[: i + 1])
        end = len(upto)
        if upto != full[:end]:
            raise RenderError(f"the chat template renders messages[:{i + 1}] differently from the whole conversation")
        if end <= start:
            raise RenderError(f"assistant message {i} renders to no tokens")
        labels[start:end] = full[start:end]
        trained += 1
    if not trained:
        raise RenderError("no assistant message to learn from")
    if len(full) > seq_len:
        full, labels = full[:seq_len], labels[:seq_len]
        if all(x == -100 for x in labels):
            raise RenderError(f"no assistant tokens within sequenceLen {seq_len}")
    return {"input_ids": full, "labels": labels}


class DataStats:
    def __init__(self):
        self.skipped = 0
        self.truncated = 0
        self.examples: list[str] = []  # the first few reasons, for the log

    def skip(self, where: str, why: str):
        self.skipped += 1
        if len(self.examples) < 5:
            self.examples.append(f"{where}: {why}")


def load_examples(tokenizer, path: str, field: str, seq_len: int, stats: DataStats) -> list[dict]:
    string_args = template_takes_string_arguments(tokenizer.chat_template)
    out = []
    for lineno, row in iter_jsonl(path, field):
        where = f"{Path(path).name}:{lineno}"
        if isinstance(row, Exception):
            stats.skip(where, str(row))
            continue
        try:
            messages, tools = row_messages(row)
            messages = prepare_tool_calls(messages, string_args)
            ex = encode_conversation(tokenizer, messages, tools, seq_len)
        except Exception as e:  # a template may raise anything (TemplateError, TypeError, ...)
            stats.skip(where, f"{type(e).__name__}: {e}")
            continue
        if len(ex["input_ids"]) == seq_len:
            stats.truncated += 1
        out.append(ex)
    return out


class Collator:
    """Right-pads a batch to its longest example; padding is masked out of attention and loss."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, batch: list[dict]) -> dict:
        import torch

        n = max(len(b["input_ids"]) for b in batch)
        ids = torch.full((len(batch), n), self.pad_id, dtype=torch.long)
        labels = torch.full((len(batch), n), -100, dtype=torch.long)
        mask = torch.zeros((len(batch), n), dtype=torch.long)
        for i, b in enumerate(batch):
            k = len(b["input_ids"])
            ids[i, :k] = torch.tensor(b["input_ids"])
            labels[i, :k] = torch.tensor(b["labels"])
            mask[i, :k] = 1
        return {"input_ids": ids, "labels": labels, "attention_mask": mask}


# ---------------------------------------------------------------------------------------------
# Checkpoints


_CKPT = re.compile(r"^checkpoint-(\d+)$")


def complete_checkpoints(output_dir: Path) -> list[tuple[int, Path]]:
    """checkpoint-N folders a resume can start from, oldest first.

    The Trainer writes a checkpoint in place (weights, optimizer, ..., trainer_state.json last),
    so a run killed mid-save leaves a partial folder: require the state file to parse and the
    files a resume loads to be there.
    """
    found = []
    if not output_dir.is_dir():
        return found
    for d in output_dir.iterdir():
        m = _CKPT.match(d.name)
        if not m or not d.is_dir():
            continue
        try:
            state = json.loads((d / "trainer_state.json").read_text())
        except (OSError, ValueError):
            continue
        weights = any((d / f).is_file() for f in ("adapter_model.safetensors", "adapter_model.bin"))
        if weights and (d / "optimizer.pt").is_file() and (d / "scheduler.pt").is_file():
            found.append((int(state.get("global_step", m.group(1))), d))
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# Model


def load_model(spec: dict, base_path: str):
    import torch

    lora = spec["lora"]
    t = spec["training"]
    qlora = spec["method"] == "QLORA"
    cuda = torch.cuda.is_available()
    if qlora and not cuda:
        raise EnvironmentProblem(
            "method QLORA loads the base in 4 bits with bitsandbytes, which needs a CUDA GPU; "
            "this host has none. Use method LORA to train on CPU."
        )

    if spec["useUnsloth"]:
        from unsloth import FastLanguageModel  # imported (first) in main()

        model, tokenizer = FastLanguageModel.from_pretrained(
            model_name=base_path, max_seq_length=t["sequenceLen"], load_in_4bit=qlora, dtype=None
        )
        model = FastLanguageModel.get_peft_model(
            model,
            r=lora["r"],
            lora_alpha=lora["alpha"],
            lora_dropout=lora["dropout"],
            target_modules=lora["targetModules"],
            bias="none",
            use_gradient_checkpointing="unsloth",
            random_state=t["seed"],
        )
    else:
        from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training
        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(base_path)
        kwargs: dict[str, Any] = {}
        if cuda:
            kwargs["dtype"] = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        else:
            kwargs["dtype"] = torch.float32
        if qlora:
            try:
                import bitsandbytes  # noqa: F401
            except ImportError:
                raise EnvironmentProblem("method QLORA needs the bitsandbytes package, which is not installed") from None
            from transformers import BitsAndBytesConfig

            kwargs["quantization_config"] = BitsAndBytesConfig(
                load_in_4bit=True,
                bnb_4bit_quant_type="nf4",
                bnb_4bit_use_double_quant=True,
                bnb_4bit_compute_dtype=kwargs["dtype"],
            )
        model = AutoModelForCausalLM.from_pretrained(base_path, **kwargs)
        if qlora:
            model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=True)
        model = get_peft_model(
            model,
            LoraConfig(
                r=lora["r"],
                lora_alpha=lora["alpha"],
                lora_dropout=lora["dropout"],
                target_modules=lora["targetModules"],
                bias="none",
                task_type="CAUSAL_LM",
            ),
        )
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    if not tokenizer.chat_template:
        raise InputError(f"baseModel: {spec['baseModel']} has no chat template; retune trains chat models only")
    return model, tokenizer


def name_base_in_adapter(config_path: Path, base_model: str) -> None:
    """The final adapter names the catalogue id, not this host's folder: adapter_config.json
    travels (registry, vLLM, model card). Done after saving, because PEFT looks the base up by
    that name while saving and would try the network for an id that is only local."""
    if not config_path.is_file():
        return
    cfg = json.loads(config_path.read_text())
    cfg["base_model_name_or_path"] = base_model
    tmp = config_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, config_path)


# ---------------------------------------------------------------------------------------------


def train(spec: dict) -> None:
    import torch
    from transformers import Trainer, TrainerCallback, TrainingArguments
    from transformers.trainer_callback import PrinterCallback
    from transformers.trainer_utils import SchedulerType

    t = spec["training"]
    if t["lrScheduler"] not in {s.value for s in SchedulerType}:
        raise InputError(
            f"spec.training.lrScheduler: unknown scheduler {t['lrScheduler']!r}; "
            f"one of {', '.join(s.value for s in SchedulerType)}"
        )
    random.seed(t["seed"])
    torch.manual_seed(t["seed"])

    out_dir = Path(spec["outputDir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    checkpoints = complete_checkpoints(out_dir)
    resume_from = checkpoints[-1] if (spec["resume"] and checkpoints) else None
    if not spec["resume"]:
        # A fresh start: checkpoints of an earlier attempt must not be mistaken for this run's.
        for d in out_dir.glob("checkpoint-*"):
            if d.is_dir():
                shutil.rmtree(d)

    try:
        base_path = resolve_base(spec["baseModel"], spec["baseModelPath"])
    except Exception as e:
        if isinstance(e, (InputError, EnvironmentProblem)):
            raise
        raise EnvironmentProblem(f"baseModel: could not build or find {spec['baseModel']}: {e}") from e
    t0 = time.perf_counter()
    model, tokenizer = load_model(spec, base_path)
    t1 = time.perf_counter()

    stats = DataStats()
    seq_len = t["sequenceLen"]
    train_ex = load_examples(tokenizer, spec["trainFile"], "trainFile", seq_len, stats)
    if spec["evalFile"]:
        eval_ex = load_examples(tokenizer, spec["evalFile"], "evalFile", seq_len, stats)
    elif spec["evalSplit"] > 0 and len(train_ex) > 1:
        # A seeded holdout: the same spec always holds out the same rows.
        order = list(range(len(train_ex)))
        random.Random(t["seed"]).shuffle(order)
        n_eval = min(len(train_ex) - 1, max(1, round(len(train_ex) * spec["evalSplit"])))
        held = set(order[:n_eval])
        eval_ex = [ex for i, ex in enumerate(train_ex) if i in held]
        train_ex = [ex for i, ex in enumerate(train_ex) if i not in held]
    else:
        eval_ex = []
    log(f"sft: model loaded in {t1 - t0:.1f} s; {len(train_ex)} train / {len(eval_ex)} eval examples "
        f"prepared in {time.perf_counter() - t1:.1f} s")
    if stats.skipped:
        log(f"sft: skipped {stats.skipped} rows that could not be rendered, e.g. " + "; ".join(stats.examples))
    if stats.truncated:
        log(f"sft: {stats.truncated} examples were truncated to sequenceLen {seq_len}")
    if not train_ex:
        raise InputError(f"spec.trainFile: no usable rows in {spec['trainFile']} ({stats.skipped} skipped)")

    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    warmup: dict[str, Any] = {}
    if t["warmupSteps"] is not None:
        warmup["warmup_steps"] = t["warmupSteps"]
    elif t["warmupRatio"] is not None:
        # transformers 5 dropped warmup_ratio: a float < 1 in warmup_steps is a ratio there.
        key = "warmup_ratio" if "warmup_ratio" in TrainingArguments.__dataclass_fields__ else "warmup_steps"
        warmup[key] = t["warmupRatio"]
    has_eval = bool(eval_ex)
    args = TrainingArguments(
        output_dir=str(out_dir),
        per_device_train_batch_size=t["microBatchSize"],
        per_device_eval_batch_size=t["microBatchSize"],
        gradient_accumulation_steps=t["gradientAccumulationSteps"],
        learning_rate=t["learningRate"],
        num_train_epochs=t["numEpochs"] or 1,
        max_steps=t["maxSteps"] or -1,  # maxSteps wins over numEpochs when both are set
        lr_scheduler_type=t["lrScheduler"],
        **warmup,
        seed=t["seed"],
        data_seed=t["seed"],
        logging_strategy="steps",
        logging_steps=t["loggingSteps"],
        eval_strategy="steps" if has_eval else "no",
        eval_steps=t["evalSteps"] if has_eval else None,
        save_strategy="steps",
        save_steps=t["saveSteps"],
        save_total_limit=2,
        bf16=bf16,
        fp16=cuda and not bf16,
        # Large bases on a GPU: trade compute for activation memory (Unsloth does its own).
        gradient_checkpointing=cuda and spec["baseModel"] != TINY_MODEL_ID and not spec["useUnsloth"],
        gradient_checkpointing_kwargs={"use_reentrant": False},
        disable_tqdm=True,  # progress bars are noise in a log file; the dict lines carry it all
        report_to="none",
        remove_unused_columns=False,
        prediction_loss_only=True,
        dataloader_num_workers=0,
        dataloader_pin_memory=cuda,
    )

    step_delay = float(os.environ.get("RETUNE_TRAINER_STEP_DELAY_MS", "0") or 0) / 1000

    class StepPrinter(PrinterCallback):
        """The installed transformers' PrinterCallback output, plus the global step.

        Delegating to the real class keeps its formatting (quoted `.4g` floats in transformers 5,
        plain numbers in 4) whatever version runs, e.g. inside an Unsloth image.
        """

        def on_log(self, args, state, control, logs=None, **kwargs):
            super().on_log(args, state, control, logs={**(logs or {}), "step": state.global_step}, **kwargs)

    class Events(TrainerCallback):
        def on_train_begin(self, args, state, control, **kwargs):
            emit(
                "train_begin",
                max_steps=state.max_steps,
                resume_step=state.global_step,
                train_examples=len(train_ex),
                eval_examples=len(eval_ex),
                skipped=stats.skipped,
                # The intra-op threads torch took from OMP_NUM_THREADS (the host's cap for LOCAL).
                cpu_threads=torch.get_num_threads(),
            )

        def on_step_end(self, args, state, control, **kwargs):
            if step_delay > 0:
                time.sleep(step_delay)

        def on_save(self, args, state, control, **kwargs):
            emit("checkpoint", step=state.global_step)

    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train_ex,
        eval_dataset=eval_ex or None,
        data_collator=Collator(tokenizer.pad_token_id),
        callbacks=[Events()],
    )
    trainer.remove_callback(PrinterCallback)
    trainer.add_callback(StepPrinter())

    if resume_from:
        log(f"sft: resuming from {resume_from[1].name}")
    trainer.train(resume_from_checkpoint=str(resume_from[1]) if resume_from else None)
    trainer.save_model(str(out_dir))
    name_base_in_adapter(out_dir / "adapter_config.json", spec["baseModel"])
    files = [
        {"name": f.name, "bytes": f.stat().st_size}
        for f in sorted(out_dir.iterdir())
        if f.is_file()
    ]
    emit("done", files=files)


def main(argv: list[str] | None = None) -> int:
    setup_process()
    # Whatever a library installed, SIGTERM must stop us now (the worker's cancel and timeouts).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description="LoRA/QLoRA SFT from a retune trainer spec.")
    ap.add_argument("--spec", required=True, help="spec.json (lib/schemas/trainer-spec.ts)")
    a = ap.parse_args(argv)
    try:
        try:
            raw = json.loads(Path(a.spec).read_text(encoding="utf-8"))
        except OSError as e:
            raise InputError(f"--spec: cannot read {a.spec}: {e.strerror}") from None
        except json.JSONDecodeError as e:
            raise InputError(f"--spec: {a.spec} is not JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
        spec = validate_spec(raw)
        # Cheap checks first: a missing file should not cost a model load to find out.
        for field in ("trainFile", "evalFile"):
            if spec[field] is not None and not Path(spec[field]).is_file():
                raise InputError(f"spec.{field}: {spec[field]} is not a file")
        if spec["useUnsloth"]:
            # Unsloth patches transformers, so it must be imported before anything else loads it.
            try:
                import unsloth  # noqa: F401
            except Exception as e:  # ImportError, or its own "No NVIDIA GPU found"
                raise EnvironmentProblem(f"useUnsloth: Unsloth cannot be imported here ({e})") from None
        train(spec)
    except InputError as e:
        log(f"sft: error: {e}")
        emit("error", kind="input", message=str(e))
        return EXIT_BAD_INPUT
    except EnvironmentProblem as e:
        log(f"sft: error: {e}")
        emit("error", kind="environment", message=str(e))
        return EXIT_ENVIRONMENT
    except Exception as e:  # a crash: the traceback for the log, then the line the worker reads
        traceback.print_exc()
        emit("error", kind="internal", message=f"{type(e).__name__}: {e}"[:2000])
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
