"""Build `retune/tiny-chat`: a tiny Llama-architecture base model, trained from scratch on CPU.

retune needs a base model that trains for real on a laptop and in CI, so that the whole loop
(train, evaluate, gate, promote, drift, re-tune) runs without a GPU or a download. This script
builds one in seconds, following the recipe measured in docs/architecture.md, "Training":

* a byte-level BPE tokenizer (vocab exactly 512) trained on a built-in corpus of the domain, with
  the chat markers as atomic special tokens. Without atomic markers, the prompt's last marker
  merged differently from training and generation came out empty;
* a Llama config matching the TS catalogue (lib/domain/base-models.ts): hidden 128,
  intermediate 256, 4 layers, 4 heads, 2 KV heads, context 512, untied embeddings;
* full pretraining on plain text of the domain (no tool-call format: learning that format is the
  LoRA's job) for 6 epochs at lr 3e-3, batch 16. A LoRA on a random base learns nothing.

The domain is the customer-support agent of test/fixtures/tool-call-rows.ts (same system
prompt, cities, products, names, order ids, tools and argument keys), so a LoRA trained on that
generator's JSONL learns the `<|call|>name {json}` format quickly.

Usage: python trainers/tiny_base.py --out DIR [--seed 0]
Concurrent builders of the same DIR serialise on an fcntl lock; the second finds it built.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import os
import random
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

TINY_MODEL_ID = "retune/tiny-chat"
# Bump when the recipe changes, so a folder can say which recipe built it.
RECIPE_VERSION = 1
MARKER_FILE = "retune-tiny-base.json"

HERE = Path(__file__).resolve().parent
TEMPLATE_PATH = HERE / "templates" / "tiny-chat.jinja"

# Turn and call markers of templates/tiny-chat.jinja, plus padding. They are special tokens of
# the BPE model (ids 0..7), so they are never split or merged with neighbouring text.
PAD = "<|pad|>"
END = "<|end|>"
CHAT_MARKERS = ["<|system|>", "<|tools|>", "<|user|>", "<|assistant|>", "<|tool|>", "<|call|>", END]
SPECIAL_TOKENS = [PAD, *CHAT_MARKERS]

# Must match the catalogue entry for retune/tiny-chat in lib/domain/base-models.ts.
VOCAB_SIZE = 512
ARCH = dict(
    hidden_size=128,
    intermediate_size=256,
    num_hidden_layers=4,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=512,
    tie_word_embeddings=False,
)

# Pretraining recipe (docs/architecture.md, "Training").
EPOCHS = 6
LR = 3e-3
BATCH = 16
BLOCK = 128  # tokens per pretraining sequence; documents are packed, separated by <|end|>
CORPUS_SEED = 1234  # the corpus (and so the tokenizer) is fixed; --seed varies init and order
# ~27k tokens, 223 blocks, 84 optimizer steps: about 15 s on 2 idle cores. Measured trade-off:
# 220 documents (156 steps, ~2x the time) gave a lower LoRA eval loss on generator rows (0.43 vs
# 0.60) but the same tool-call format accuracy after the tiny-cpu-demo preset (99-100% names).
CORPUS_DOCS = 120

# ---------------------------------------------------------------------------------------------
# The domain, copied from test/fixtures/tool-call-rows.ts.

SYSTEM = (
    "You are the support agent of Northwind Outfitters. Use the tools to answer; never invent "
    "order data. Keep answers short, friendly and specific. If a request needs a human, open a ticket."
)
CITIES = ["Paris", "Lagos", "Osaka", "Lima", "Oslo", "Austin", "Pune", "Quito", "Perth", "Leeds", "Turin", "Kyoto"]
PRODUCTS = ["router", "laptop stand", "espresso grinder", "trail shoes", "desk lamp", "headset", "monitor arm", "backpack"]
NAMES = ["Amara", "Bjorn", "Chen", "Dalia", "Emeka", "Farah", "Goran", "Hana", "Ines", "Jonas", "Keiko", "Luis"]
VERBS = ["check", "look up", "find", "tell me", "get", "show me"]
TOOLS = {
    "get_weather": "Current weather for a city.",
    "lookup_order": "Find an order by its id.",
    "search_products": "Search the catalogue.",
    "create_ticket": "Open a support ticket.",
    "refund_order": "Refund an order, fully or partly.",
    "schedule_callback": "Book a phone callback.",
}
TOOL_NAMES = list(TOOLS)
DAYS = ["mon", "tue", "wed", "thu", "fri"]
DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday"}


def _js(obj) -> str:
    """JSON as JavaScript's JSON.stringify writes it (the generator's arguments and results)."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def _order_id(r: random.Random) -> str:
    return f"ORD-{r.randrange(1_000_000):06d}"


_SYLLABLES = ["ka", "lo", "mi", "ra", "to", "ne", "su", "vi", "da", "be", "po", "an", "el", "or", "ru", "zi"]


def _made_up_name(r: random.Random) -> str:
    return "".join(r.choice(_SYLLABLES) for _ in range(r.randrange(2, 4))).capitalize()


def _entity(r: random.Random, pool: list[str]) -> str:
    """Half the time a value from the generator's pool, else a made-up name. Made-up names
    cannot be memorised, so predicting them needs copying from the request; their syllables also
    give the tokenizer merges that shorten generator rows (mean ~183 vs ~192 tokens). At this
    compute budget the base still does not learn to copy reliably: a LoRA learns the call format
    and argument keys, not argument values taken from the request."""
    return r.choice(pool) if r.random() < 0.5 else _made_up_name(r)


def _episode(r: random.Random) -> list[str]:
    """One support episode as plain-text lines: request, the tool and its JSON, result, reply.

    The wording mirrors the generator's rows (and varies them), but there are no chat markers and
    no `<|call|>` syntax: the base learns the vocabulary and the JSON keys, not the call format.
    """
    tool = r.choice(TOOL_NAMES)
    who = _entity(r, NAMES)
    verb = r.choice(VERBS)
    if tool == "get_weather":
        city = _entity(r, CITIES)
        args = {"city": city, "unit": r.choice(["c", "f"])}
        t = r.randrange(31)
        cond = r.choice(["sunny", "rain", "cloudy", "windy"])
        user = r.choice([
            f"Hi, I'm {who}. Can you {verb} the weather in {city} before my trip on the {r.randrange(1, 29)}th?",
            f"What is the weather in {city} today? I'm {who}.",
            f"{who} here, please {verb} the weather in {city}.",
        ])
        result = {"city": city, "temperature": t, "conditions": cond}
        reply = f"It's {t} degrees in {city} right now, {who}. Pack accordingly and have a great trip!"
    elif tool in ("lookup_order", "refund_order"):
        oid = _order_id(r)
        product = r.choice(PRODUCTS)
        if tool == "lookup_order":
            args = {"order_id": oid}
        else:
            args = {"order_id": oid, "reason": r.choice(["damaged", "late", "wrong size"]),
                    "amount": round(r.randrange(20000) / 100, 2)}
        user = r.choice([
            f"{verb} order {oid} please — the {product} I bought {r.randrange(1, 10)} days ago.",
            f"Where is my order {oid}? It was a {product}.",
            f"I want a refund for order {oid}, the {product} arrived {args.get('reason', 'late')}.",
        ])
        status = r.choice(["shipped", "processing", "delivered"])
        result = {"order_id": oid, "status": status, "items": r.randrange(1, 4)}
        reply = f"Order {oid} is {status}. Anything else I can help you with today?"
    elif tool == "search_products":
        q = r.choice(PRODUCTS)
        args = {"query": q, "max_price": r.randrange(501), "limit": r.randrange(1, 11)}
        user = r.choice([
            f"Do you have a {q} under {args['max_price'] or 50} dollars? {r.choice(['Thanks!', 'Cheers.', 'Quick question.'])}",
            f"I am looking for a {q}, what do you sell?",
        ])
        top = f"{r.choice(['Aurora', 'Summit', 'Kestrel'])} {q}"
        result = {"hits": r.randrange(40), "top": top}
        reply = f"We have {result['hits']} matches; the {top} is the most popular."
    elif tool == "create_ticket":
        product = r.choice(PRODUCTS)
        args = {"subject": f"{product} stopped working", "priority": r.choice(["low", "normal", "high"]),
                "customer": who}
        user = r.choice([
            f"My {product} stopped working after the update. I'm {who}, can someone help?",
            f"The {product} is broken and I need a human. This is {who}.",
        ])
        ticket = f"T-{r.randrange(100_000)}"
        result = {"ticket": ticket}
        reply = f"I've opened ticket {ticket}; a specialist will reply within a day."
    else:  # schedule_callback
        day = r.choice(DAYS)
        hour = 8 + r.randrange(10)
        args = {"customer": who, "day": day, "hour": hour}
        user = r.choice([
            f"Could someone call me back? I'm {who}, {r.choice(['mornings', 'afternoons'])} work best.",
            f"Please phone me on {DAY_NAMES[day]} around {hour}:00. My name is {who}.",
        ])
        result = {"booked": True}
        reply = f"Done — we'll call you on {day} at {hour}:00."

    lines = [f"Customer: {user}"]
    # Several plain phrasings that put the tool name next to its JSON arguments.
    lines.append(r.choice([
        f"The agent uses {tool} with {_js(args)}.",
        f"Agent action: {tool} {_js(args)}",
        f"{tool} is the right tool here. Arguments: {_js(args)}",
    ]))
    lines.append(f"Result: {_js(result)}")
    lines.append(f"Agent: {reply}")
    return lines


def _tool_doc(r: random.Random) -> list[str]:
    """Short reference text about the tools: names, descriptions and argument keys."""
    names = r.sample(TOOL_NAMES, k=r.randrange(2, len(TOOL_NAMES) + 1))
    lines = ["Tools: " + " ".join(names)]
    for n in names:
        lines.append(f"{n}: {TOOLS[n]}")
    lines.append(r.choice([
        'get_weather takes "city" and "unit" (c or f).',
        'lookup_order takes "order_id" like ORD-004217.',
        'search_products takes "query", "max_price" and "limit".',
        'create_ticket takes "subject", "priority" (low, normal or high) and "customer".',
        'refund_order takes "order_id", "reason" and "amount".',
        'schedule_callback takes "customer", "day" (mon to fri) and "hour" (8 to 18).',
    ]))
    return lines


def build_corpus(n_docs: int = CORPUS_DOCS, seed: int = CORPUS_SEED) -> list[str]:
    """The pretraining documents: deterministic for (n_docs, seed)."""
    r = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        lines: list[str] = []
        if r.random() < 0.5:
            lines.append(SYSTEM)
        if r.random() < 0.25:
            lines += _tool_doc(r)
        for _ in range(r.randrange(1, 3)):
            lines += _episode(r)
        docs.append("\n".join(lines))
    return docs


# ---------------------------------------------------------------------------------------------


def build_tokenizer(corpus: list[str]):
    """Byte-level BPE with exactly VOCAB_SIZE entries, wrapped as a transformers fast tokenizer."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        # Every byte is in the vocabulary, so any text (other languages, emoji) still encodes.
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(corpus, trainer=trainer)
    if tok.get_vocab_size() != VOCAB_SIZE:
        raise RuntimeError(f"tokenizer vocab is {tok.get_vocab_size()}, expected {VOCAB_SIZE}")
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        eos_token=END,
        pad_token=PAD,
        additional_special_tokens=CHAT_MARKERS[:-1],
        model_max_length=ARCH["max_position_embeddings"],
        clean_up_tokenization_spaces=False,
    )
    fast.chat_template = TEMPLATE_PATH.read_text(encoding="utf-8")
    return fast


def _pack(tokenizer, corpus: list[str]) -> "list[list[int]]":
    """Concatenate documents with <|end|> after each and cut into BLOCK-token sequences."""
    end_id = tokenizer.convert_tokens_to_ids(END)
    stream: list[int] = []
    for ids in tokenizer(corpus, add_special_tokens=False)["input_ids"]:
        stream += ids + [end_id]
    return [stream[i : i + BLOCK] for i in range(0, len(stream) - BLOCK + 1, BLOCK)]


def pretrain(tokenizer, corpus: list[str], seed: int, log=print):
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    pad_id = tokenizer.pad_token_id
    end_id = tokenizer.eos_token_id
    config = LlamaConfig(vocab_size=VOCAB_SIZE, pad_token_id=pad_id, eos_token_id=end_id, bos_token_id=None,
                         **ARCH)
    model = LlamaForCausalLM(config)
    blocks = torch.tensor(_pack(tokenizer, corpus), dtype=torch.long)
    steps_per_epoch = math.ceil(len(blocks) / BATCH)
    total = steps_per_epoch * EPOCHS
    warmup = max(1, total // 20)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)
    # Short linear warm-up, then cosine decay to 10%: stable at lr 3e-3 on this small model.
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warmup if s < warmup else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, total - warmup)))
    )
    gen = torch.Generator().manual_seed(seed)
    model.train()
    step = 0
    for epoch in range(EPOCHS):
        order = torch.randperm(len(blocks), generator=gen)
        for i in range(0, len(blocks), BATCH):
            batch = blocks[order[i : i + BATCH]]
            loss = model(input_ids=batch, labels=batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            step += 1
        log(f"tiny_base: epoch {epoch + 1}/{EPOCHS} loss {loss.item():.3f}")
    model.eval()
    model.generation_config = GenerationConfig(
        eos_token_id=end_id, pad_token_id=pad_id, do_sample=False, max_new_tokens=128
    )
    return model, {"blocks": len(blocks), "steps": total, "final_loss": round(loss.item(), 4)}


def is_built(out: Path) -> bool:
    return all((out / f).is_file() for f in ("config.json", "model.safetensors", "tokenizer.json", MARKER_FILE))


@contextmanager
def _build_lock(out: Path):
    """An exclusive fcntl lock beside the folder: concurrent builders wait for the first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_tiny_base(out_dir: str | os.PathLike, seed: int = 0, log=None) -> Path:
    """Build the tiny base into `out_dir` unless it is already there. Returns the folder.

    The build happens in a temporary sibling folder renamed into place at the end, so a reader
    never sees a half-written model and a killed build leaves nothing behind at `out_dir`.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    out = Path(out_dir).resolve()
    if is_built(out):
        return out
    with _build_lock(out):
        if is_built(out):  # another process built it while we waited for the lock
            return out
        if out.exists():
            if any(out.iterdir()):
                raise RuntimeError(f"{out} exists but is not a complete {TINY_MODEL_ID} build; remove it")
            out.rmdir()
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        t0 = time.perf_counter()
        log(f"tiny_base: building {TINY_MODEL_ID} (seed {seed}) into {out}")
        try:
            import torch

            # Two cores are the target machine; more threads only add contention on tiny matrices.
            torch.set_num_threads(min(torch.get_num_threads(), 4))
            corpus = build_corpus()
            tokenizer = build_tokenizer(corpus)
            model, stats = pretrain(tokenizer, corpus, seed, log=log)
            tmp.mkdir(parents=True)
            model.save_pretrained(tmp)
            # save_jinja_files=False keeps chat_template inside tokenizer_config.json, where every
            # reader (transformers 4 and 5, vLLM, transformers.js) looks for it.
            tokenizer.save_pretrained(tmp, save_jinja_files=False)
            seconds = round(time.perf_counter() - t0, 2)
            (tmp / MARKER_FILE).write_text(json.dumps({
                "model": TINY_MODEL_ID, "recipe": RECIPE_VERSION, "seed": seed,
                "corpus_docs": CORPUS_DOCS, "build_seconds": seconds, **stats,
            }, indent=2) + "\n")
            os.rename(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        log(f"tiny_base: built in {seconds} s ({stats})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=f"Build the {TINY_MODEL_ID} base model on CPU.")
    ap.add_argument("--out", required=True, help="folder to create (a normal Hugging Face model folder)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    # Before torch/transformers load: see retune_common.setup_process for why.
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    out = ensure_tiny_base(args.out, seed=args.seed)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
