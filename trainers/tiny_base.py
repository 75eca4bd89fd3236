"""Build `retune/tiny-chat`: a tiny Llama-architecture base model, trained from scratch on CPU.

retune needs a base model that trains for real on a laptop and in CI, so that the whole loop
(train, evaluate, gate, promote, drift, re-tune) runs without a GPU or a download. This script
builds one in about a minute and a half on 2 cores (docs/architecture.md, "Training"):

* a byte-level BPE tokenizer (vocab exactly 512) trained on a built-in corpus of the domain, with
  the chat markers as atomic special tokens (without them, the prompt's last marker merged
  differently from training and generation came out empty). Digits are single tokens, so an id
  or an amount is the same token sequence wherever it appears and is copied digit by digit;
* a Llama config matching the TS catalogue (lib/domain/base-models.ts): hidden 128,
  intermediate 256, 4 layers, 4 heads, 2 KV heads, context 512, untied embeddings;
* pretraining that teaches the base to COPY spans from earlier in its context, which is what a
  tool call needs: its argument values (an order id, an amount, an hour) are in the request.

Copying (recipes 2 and 3, issue #13). Recipe 1 pretrained on plain domain text for 84 steps; a LoRA on
it learned the call format and the argument keys but wrote made-up argument values (order ids,
amounts, prices) instead of the request's: 0.05 tool-call accuracy on held-out generator rows.
Copying needs induction heads (a head that finds the earlier occurrence of the current token and
predicts the token that followed it, fed by a previous-token head one layer down). Measured on
this model: learned from data alone they appear only after ~1.2M tokens of pure copy text
(600-1200 steps of 16x128, 2-4 minutes on 2 cores; sometimes not by 1200 steps at all), so:

1. `_init_copy_circuit` initialises that circuit: in layer 0 a previous-token and a
   previous-previous-token head (positional, through RoPE and a constant embedding dimension),
   in layer 1 two induction heads matching the current token (and the one before it) against
   those, whose output writes the attended token into a subspace the unembedding reads. The rest
   of the network starts from the usual random init with small residual branches;
2. COPY_STEPS of documents that are a random code read out and repeated, which sharpen it
   (copy accuracy on held-out codes: ~0.7 at init, ~0.95 after 150 steps);
3. DOMAIN_STEPS on a mix of support episodes, requests restated field by field or as JSON, case
   notes whose ids and amounts come back later, and key/value tables, where the entities are
   often made up so that only copying predicts them;
4. recipe 3 adds to that mix requests whose customer gives a name that is then taken down
   (`_name_taken_down`). Induction copies a value once its first token is found; the first
   token of a name after `"customer":"` has to be found by where the customer said who they
   are, which recipe 2 never taught. On the full generator (npm run bench:recipe, 400 rows,
   the tiny-cpu-demo preset) recipe 2 scored 0.75 tool-call accuracy with customer names
   copied 10/20; recipe 3 scores 0.975 on 200 held-out rows, names 66/66. Domain steps went
   from 150 to 300: at 150 with the new mix, 0.83 (cities slipped to 5/10).

Everything stays plain text: no chat markers and no `<|call|>name {json}` syntax. Learning the
format is the LoRA's job, so the bare base scores ~0 on tool calls and the gate's base-vs-
candidate comparison shows what the fine-tune added; a base that already made calls would hide
a broken sft.py. The domain is the customer-support agent of test/fixtures/tool-call-rows.ts
(same system prompt, cities, products, names, tools and argument keys, and requests phrased the
way the generator phrases them), so a LoRA on that generator's JSONL learns it quickly.

Usage: python trainers/tiny_base.py --out DIR [--seed 0]
Concurrent builders of the same DIR serialise on an fcntl lock; the second finds it built. A
folder built by an older recipe (its marker names another RECIPE_VERSION) is rebuilt in place.
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
RECIPE_VERSION = 3
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

# Pretraining recipe. Steps of BATCH sequences of BLOCK tokens, fresh documents every step (no
# epochs: repeated documents let the model memorise ids instead of copying them).
COPY_STEPS = 150
DOMAIN_STEPS = 300
LR = 3e-3
WARMUP_STEPS = 30
BATCH = 16
BLOCK = 128  # tokens per pretraining sequence; documents are packed, separated by <|end|>
INIT_RANGE = 0.06  # std of the random init; 0.02 made copying slower to learn
CORPUS_SEED = 1234  # the corpus (and so the tokenizer) is fixed; --seed varies init and order
TOKENIZER_DOCS = 1500

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
ADJECTIVES = ["blue", "steel", "compact", "travel", "wireless", "folding", "quiet", "solar", "smart", "mini", "glass", "wool"]
NOUNS = ["kettle", "charger", "tent", "mug", "keyboard", "jacket", "speaker", "blender", "drill", "scarf", "tripod", "camera"]
REASONS = {"damaged": "arrived damaged", "late": "arrived late", "wrong size": "came in the wrong size"}
STOPPED = " stopped working"


def _made_up_name(r: random.Random) -> str:
    return "".join(r.choice(_SYLLABLES) for _ in range(r.randrange(2, 4))).capitalize()


class _Draw(random.Random):
    """The corpus's random source; `made_up` is the share of entities invented on the spot."""

    def __init__(self, seed: int, made_up: float):
        super().__init__(seed)
        self.made_up = made_up


# Entities: in pretraining two thirds are made up. Those cannot be memorised, so predicting one
# where it comes back needs copying it from where it came in. The tokenizer's corpus uses the
# generator's pools only, so its merges go to the names, cities and words the rows use.
def _name(r: _Draw) -> str:
    return _made_up_name(r) if r.random() < r.made_up else r.choice(NAMES)


def _city(r: _Draw) -> str:
    return _made_up_name(r) if r.random() < r.made_up else r.choice(CITIES)


def _product(r: _Draw) -> str:
    if r.random() < r.made_up:
        first = _made_up_name(r).lower() if r.random() < 0.3 else r.choice(ADJECTIVES)
        return f"{first} {r.choice(NOUNS)}"
    return r.choice(PRODUCTS)


def _id(r: random.Random) -> str:
    x = r.random()
    if x < 0.75:
        return _order_id(r)
    if x < 0.9:
        return f"A-{r.randrange(100_000):05d}"
    return f"INV-{r.randrange(10_000):04d}"


def _amount(r: random.Random) -> float | int:
    x = r.random()
    if x < 0.6:
        return max(1, r.randrange(20001)) / 100
    if x < 0.85:
        return r.randrange(1, 1000)
    return round(r.randrange(1, 10000) / 10, 1)


def _arguments(r: random.Random, tool: str) -> tuple[dict, str]:
    """A call's arguments and the customer's name, every value drawn fresh."""
    who = _name(r)
    if tool == "get_weather":
        return {"city": _city(r), "unit": r.choice(["c", "f"])}, who
    if tool == "lookup_order":
        return {"order_id": _id(r)}, who
    if tool == "refund_order":
        return {"order_id": _id(r), "reason": r.choice(list(REASONS)), "amount": _amount(r)}, who
    if tool == "search_products":
        return {"query": _product(r), "max_price": r.randrange(1, 501), "limit": r.randrange(1, 11)}, who
    if tool == "create_ticket":
        return {"subject": _product(r) + STOPPED, "priority": r.choice(["low", "normal", "high"]), "customer": who}, who
    return {"customer": who, "day": r.choice(DAYS), "hour": 8 + r.randrange(10)}, who


def _request(r: random.Random, tool: str, a: dict, who: str) -> str:
    """A request that states every argument in `a` (the generator's phrasing and variants)."""
    verb = r.choice(VERBS)
    if tool == "get_weather":
        unit = "Celsius" if a["unit"] == "c" else "Fahrenheit"
        return r.choice([
            f"Hi, I'm {who}. Can you {verb} the weather in {a['city']} in {unit} before my trip on the {r.randrange(1, 29)}th?",
            f"What is the weather in {a['city']} today, in {unit}? I'm {who}.",
            f"{who} here, please {verb} the weather in {a['city']} in {unit}.",
        ])
    if tool == "lookup_order":
        return r.choice([
            f"{verb} order {a['order_id']} please — the {_product(r)} I bought {r.randrange(1, 10)} days ago.",
            f"Where is my order {a['order_id']}? I'm {who}.",
            f"Can you {verb} the status of order {a['order_id']}?",
        ])
    if tool == "refund_order":
        amount, why = _js(a["amount"]), REASONS[a["reason"]]
        return r.choice([
            f"Please refund {amount} dollars on order {a['order_id']} — the {_product(r)} I bought {r.randrange(1, 10)} days ago {why}.",
            f"I want {amount} dollars back for order {a['order_id']}; it {why}.",
            f"Order {a['order_id']} {why}. Refund {amount} dollars please, I'm {who}.",
        ])
    if tool == "search_products":
        return r.choice([
            f"Do you have a {a['query']} under {a['max_price']} dollars? Show me the top {a['limit']}. {r.choice(['Thanks!', 'Cheers.', 'Quick question.'])}",
            f"I am looking for a {a['query']} below {a['max_price']} dollars, show me {a['limit']} options.",
            f"Search for {a['query']}, at most {a['max_price']} dollars, top {a['limit']} results.",
        ])
    if tool == "create_ticket":
        thing = a["subject"][: -len(STOPPED)]
        return r.choice([
            f"My {thing} stopped working after the update. I'm {who}, can someone help? Please treat it as {a['priority']} priority.",
            f"The {thing} stopped working and I need a human. This is {who}, {a['priority']} priority.",
        ])
    day = DAY_NAMES[a["day"]]
    return r.choice([
        f"Could someone call me back on {day} at {a['hour']}:00? I'm {who}.",
        f"Please phone me on {day} around {a['hour']}:00. My name is {who}.",
        f"{who} here: call me {day} at {a['hour']}:00 please.",
    ])


def _shuffled(r: random.Random, a: dict) -> dict:
    """The same arguments, half the time in another order: a value is found by what it is, not by
    where its key comes in the JSON."""
    if r.random() < 0.5:
        return a
    keys = list(a)
    r.shuffle(keys)
    return {k: a[k] for k in keys}


def _episode(r: random.Random) -> list[str]:
    """A support episode: the request, the tool with its JSON arguments, the result, the reply."""
    tool = r.choice(TOOL_NAMES)
    a, who = _arguments(r, tool)
    lines = [f"Customer: {_request(r, tool, a, who)}"]
    a = _shuffled(r, a)
    lines.append(r.choice([
        f"The agent uses {tool} with {_js(a)}.",
        f"Agent action: {tool} {_js(a)}",
        f"{tool} is the right tool here. Arguments: {_js(a)}",
    ]))
    if tool in ("lookup_order", "refund_order"):
        result = {"order_id": a["order_id"], "status": r.choice(["shipped", "processing", "delivered"])}
        reply = f"Order {a['order_id']} is {result['status']}. Anything else I can help you with today?"
    elif tool == "get_weather":
        result = {"city": a["city"], "temperature": r.randrange(31)}
        reply = f"It's {result['temperature']} degrees in {a['city']} right now, {who}."
    elif tool == "search_products":
        result = {"hits": r.randrange(40), "top": f"Summit {a['query']}"}
        reply = f"We have {result['hits']} matches; the Summit {a['query']} is the most popular."
    elif tool == "create_ticket":
        result = {"ticket": f"T-{r.randrange(100_000)}"}
        reply = f"I've opened ticket {result['ticket']} about your {a['subject'][: -len(STOPPED)]}, {who}."
    else:
        result = {"booked": True}
        reply = f"Done, {who} — we'll call you on {a['day']} at {a['hour']}:00."
    lines.append(f"Result: {_js(result)}")
    lines.append(f"Agent: {reply}")
    return lines


def _restated(r: random.Random) -> list[str]:
    """A request, then its fields restated: as key-value pairs, in prose, or as JSON."""
    tool = r.choice(TOOL_NAMES)
    a, who = _arguments(r, tool)
    lines = [f"Request: {_request(r, tool, a, who)}"]
    a = _shuffled(r, a)
    style = r.randrange(3)
    if style == 0:
        lines.append("Fields: " + "; ".join(f"{k} {v if isinstance(v, str) else _js(v)}" for k, v in a.items()))
    elif style == 1:
        lines.append("In short: " + ", ".join(f"the {k.replace('_', ' ')} is {v}" for k, v in a.items()) + ".")
    else:
        lines.append(f"As JSON: {_js(a)}")
    return lines


def _case_notes(r: random.Random) -> list[str]:
    """Notes on a few customers, then sentences that bring back their ids, amounts and places."""
    people = [dict(name=_name(r), id=_id(r), amount=_js(_amount(r)), city=_city(r), product=_product(r))
              for _ in range(r.randrange(2, 4))]
    lines = ["Case notes."]
    for p in people:
        lines.append(r.choice([
            f"{p['name']} ordered a {p['product']}, order {p['id']}, paid {p['amount']} dollars, ships to {p['city']}.",
            f"Order {p['id']} by {p['name']}: {p['product']} for {p['amount']} dollars to {p['city']}.",
        ]))
    r.shuffle(people)
    for p in people:
        lines.append(r.choice([
            f"{p['name']} asked about order {p['id']}; the order {p['id']} was shipped to {p['city']}.",
            f"The {p['product']} of {p['name']} cost {p['amount']} dollars (order {p['id']}).",
            f"Refund for {p['name']}: {p['amount']} dollars on {p['id']}.",
            f"{p['id']} belongs to {p['name']} in {p['city']}.",
        ]))
    return lines


def _table(r: random.Random) -> list[str]:
    """A small table of keys and values, then some keys looked up."""
    kind, n = r.randrange(3), r.randrange(3, 6)
    keys = [_id(r) for _ in range(n)] if kind == 1 else [_name(r) for _ in range(n)]
    if kind == 0:
        values = [_id(r) for _ in range(n)]
    elif kind == 1:
        values = [_js(_amount(r)) for _ in range(n)]
    else:
        values = [f"{r.choice(list(DAY_NAMES.values()))} {8 + r.randrange(10)}:00" for _ in range(n)]
    lines = ["Table: " + "; ".join(f"{k} = {v}" for k, v in zip(keys, values))]
    for i in r.sample(range(n), k=min(n, r.randrange(2, 5))):
        lines.append(f"{keys[i]} -> {values[i]}")
    return lines


def _code(r: random.Random) -> list[str]:
    """A random code read out, then repeated: the plainest copying there is."""
    parts = [str(r.randrange(10 ** r.randrange(2, 7))) if r.random() < 0.5 else _made_up_name(r).lower()
             for _ in range(r.randrange(3, 7))]
    code = " ".join(parts)
    return [f"Code: {code}", f"{r.choice(['Again:', 'Repeat:', 'Confirm:'])} {code}"]


def _name_taken_down(r: random.Random) -> list[str]:
    """A ticket or callback request in which the customer gives their name, then the name taken
    down: in the call's JSON, as a field, or alone. The name sits mid-sentence among other
    capitalised words, and two thirds of the names are made up, so the only way to predict it
    after `"customer":"` is to find where the customer said who they are. Recipe 2 had this only
    inside episodes: the base never learnt it, and LoRAs on the full generator copied ids and
    amounts but wrote a plausible wrong name in half the tickets (recipe bench: 0.75)."""
    tool = r.choice(["create_ticket", "schedule_callback"])
    a, who = _arguments(r, tool)
    request = _request(r, tool, a, who)
    a = _shuffled(r, a)
    return [f"Customer: {request}", r.choice([
        f"The agent uses {tool} with {_js(a)}.",
        f"Customer name: {who}.",
        f'{{"customer":"{who}"}}',
        f"Agent action: {tool} {_js(a)}",
    ])]


# Domain documents by weight; a document holds one or two of them, a fifth open with SYSTEM.
DOC_KINDS = [(_episode, 3.0), (_restated, 2.0), (_case_notes, 2.0), (_table, 1.5), (_code, 3.0),
             (_name_taken_down, 8.0)]


def domain_docs(n: int, seed: int, made_up: float = 0.65) -> list[str]:
    """`n` domain documents, deterministic for (n, seed, made_up)."""
    r = _Draw(seed, made_up)
    kinds, weights = zip(*DOC_KINDS)
    docs = []
    for _ in range(n):
        lines: list[str] = []
        if r.random() < 0.2:
            lines.append(SYSTEM)
        for _ in range(r.randrange(1, 3)):
            lines += r.choices(kinds, weights)[0](r)
        docs.append("\n".join(lines))
    return docs


def tokenizer_docs(n: int, seed: int) -> list[str]:
    """The tokenizer's corpus: text like the generator's rows (the system prompt, tool names,
    requests, JSON arguments, results, replies) with the generator's own entities, so its merges
    are the words those rows are made of (rows render to ~190 tokens instead of ~250)."""
    r = _Draw(seed, 0.0)
    docs = []
    for _ in range(n):
        lines = [SYSTEM] if r.random() < 0.5 else []
        if r.random() < 0.5:
            lines.append(" ".join(r.sample(TOOL_NAMES, k=r.randrange(1, len(TOOL_NAMES) + 1))))
        lines += _episode(r)
        docs.append("\n".join(lines))
    return docs


def code_docs(n: int, seed: int) -> list[str]:
    r = _Draw(seed, 1.0)
    return ["\n".join(_code(r)) for _ in range(n)]


# ---------------------------------------------------------------------------------------------


def build_tokenizer(corpus: list[str]):
    """Byte-level BPE with exactly VOCAB_SIZE entries, wrapped as a transformers fast tokenizer.

    Digits are split one per token before the byte-level split (` 127` is `Ġ`, `1`, `2`, `7`), so
    a number is the same tokens after a space, a colon or a quote, and copying it from a request
    into JSON is copying token by token.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
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


def _blocks(tokenizer, make_docs, seed: int):
    """Endless BLOCK-token sequences of fresh documents, packed and separated by <|end|>."""
    end_id = tokenizer.convert_tokens_to_ids(END)
    buf: list[int] = []
    for chunk in range(1_000_000):
        for ids in tokenizer(make_docs(64, seed * 1_000_003 + chunk), add_special_tokens=False)["input_ids"]:
            buf += ids + [end_id]
        while len(buf) >= BLOCK:
            yield buf[:BLOCK]
            buf = buf[BLOCK:]


def _orthonormal_rows(n: int, m: int, g) -> "torch.Tensor":
    import torch

    q, _ = torch.linalg.qr(torch.randn(m, m, generator=g))
    return q[:n]


def _init_copy_circuit(model, tokenizer, seed: int) -> None:
    """Initialise an induction circuit (Elhage et al. 2021, "A Mathematical Framework for
    Transformer Circuits") in layers 0-1 of a freshly initialised model, so pretraining sharpens
    copying instead of waiting ~1M tokens for it to appear.

    Residual stream layout (hidden 128): dims 0-47 token identity (the embedding), 48-71 the
    previous token, 72-95 the one before it, 96-126 the token an induction head copies, 127 a
    constant (the same for every token, so a head can attend by position alone).

    * Layer 0, heads 0 and 1 (KV head 0): q and k read only the constant dimension, rotated by
      RoPE so that head 0 attends to the previous position and head 1 to the one before; their
      values (a 24-dim projection of the token) are written to dims 48-71 and 72-95.
    * Layer 1, head 2 (KV head 1): q = the current token, k = the previous token written at each
      position: it attends to the position after an earlier occurrence of the current token.
      Head 0 (KV head 0) does the same for the token before (q = previous token, k = the one
      before that), so a repeated digit does not derail a copy. q and k use only the 6 lowest
      RoPE frequencies (rotation < 1 radian over 250 positions), so matching ignores distance.
      Both heads write a 31-dim projection of the attended token into dims 96-126, and the
      unembedding reads it there (each token's row holds that projection of its embedding).
    * A word after a space is another token than the same word after a quote (`ĠLima`, `Lima`):
      both start with the same token identity, so a copy head matches and copies across them.
    * Other heads' outputs and every MLP start at a tenth of the usual scale.
    """
    import math as _m

    import torch

    cfg = model.config
    d, hd = cfg.hidden_size, cfg.hidden_size // cfg.num_attention_heads
    g = torch.Generator().manual_seed(seed)
    tok_dims, prev, prev2, out, const = slice(0, 48), slice(48, 72), slice(72, 96), slice(96, 127), 127
    width = 24
    emb = model.model.embed_tokens.weight.data
    a0, a1 = model.model.layers[0].self_attn, model.model.layers[1].self_attn
    with torch.no_grad():
        emb[:, 48:] *= 0.1
        vocab = tokenizer.get_vocab()
        for token, i in vocab.items():
            if token.startswith("\u0120") and token[1:] in vocab:
                emb[i, tok_dims] = emb[vocab[token[1:]], tok_dims]
        for layer in model.model.layers:
            layer.mlp.down_proj.weight.data *= 0.1
            layer.self_attn.o_proj.weight.data *= 0.1
        sigma = emb[:, tok_dims].std().item()
        emb[:, const] = 4 * sigma
        rms = emb.pow(2).mean(1).sqrt().mean().item()  # what RMSNorm divides by
        n_const, n_tok = emb[0, const].item() / rms, sigma / rms

        def rotate(v, pos):
            cos, sin = model.model.rotary_emb(v.view(1, 1, hd), torch.tensor([[pos]]))
            return v * cos[0, 0] + torch.cat((-v[hd // 2:], v[: hd // 2])) * sin[0, 0]

        # Layer 0: positional heads on the 3 highest RoPE frequencies.
        q = torch.zeros(hd)
        q[:3] = 9.0
        a0.q_proj.weight.data[: 2 * hd] = 0
        a0.k_proj.weight.data[:hd] = 0
        a0.q_proj.weight.data[:hd, const] = q / n_const
        a0.q_proj.weight.data[hd: 2 * hd, const] = rotate(q, -1) / n_const
        a0.k_proj.weight.data[:hd, const] = rotate(q, 1) / n_const
        proj = _orthonormal_rows(width, 48, g)
        a0.v_proj.weight.data[:hd] = 0
        a0.v_proj.weight.data[:width, tok_dims] = proj / n_tok
        a0.o_proj.weight.data[:, : 2 * hd] = 0
        a0.o_proj.weight.data[prev, :width] = torch.eye(width) * 2 * sigma
        a0.o_proj.weight.data[prev2, hd: hd + width] = torch.eye(width) * 2 * sigma

        # Layer 1: induction heads matching in the 12 lowest-frequency RoPE dimensions.
        low = [i for i in range(10, 16)] + [i + 16 for i in range(10, 16)]
        copy = _orthonormal_rows(31, 48, g)
        sharp = 12.0

        def induction(q_head, kv_head, q_dims, q_map, k_dims, k_map):
            wq, wk = torch.zeros(hd, d), torch.zeros(hd, d)
            for j, dim in enumerate(low):
                wq[dim, q_dims] = q_map[j] * sharp
                wk[dim, k_dims] = k_map[j] * sharp
            a1.q_proj.weight.data[q_head * hd:(q_head + 1) * hd] = wq
            a1.k_proj.weight.data[kv_head * hd:(kv_head + 1) * hd] = wk
            a1.v_proj.weight.data[kv_head * hd:(kv_head + 1) * hd] = 0
            a1.v_proj.weight.data[kv_head * hd: kv_head * hd + 31, tok_dims] = copy / n_tok
            a1.o_proj.weight.data[:, q_head * hd:(q_head + 1) * hd] = 0
            a1.o_proj.weight.data[out, q_head * hd: q_head * hd + 31] = torch.eye(31) * 10 * sigma

        match = _orthonormal_rows(len(low), width, g)
        # JSON punctuation does not start a copy: after `"customer":"` the value comes from the
        # request, not from whatever followed the call's previous `":"`. Its identity is
        # projected off the directions the induction heads match on.
        seen = match @ proj  # 12 x 48, orthonormal rows
        for token, i in vocab.items():
            if token and set(token) <= set('{}[]":,'):
                e = emb[i, tok_dims]
                emb[i, tok_dims] = e - seen.T @ (seen @ e)
        induction(2, 1, tok_dims, (match @ proj) / n_tok, prev, match / (2 * n_tok))
        match2 = _orthonormal_rows(len(low), width, g)
        induction(0, 0, prev, match2 / (2 * n_tok), prev2, match2 / (2 * n_tok))
        for h in (1, 3):
            a1.o_proj.weight.data[:, h * hd:(h + 1) * hd] *= 0.1
        model.lm_head.weight.data[:, out] = (emb[:, tok_dims] @ copy.T) / sigma
        assert _m.isfinite(float(model.lm_head.weight.data.sum()))


def pretrain(tokenizer, seed: int, log=print):
    import torch
    from transformers import GenerationConfig, LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    pad_id = tokenizer.pad_token_id
    end_id = tokenizer.eos_token_id
    config = LlamaConfig(vocab_size=VOCAB_SIZE, pad_token_id=pad_id, eos_token_id=end_id, bos_token_id=None,
                         initializer_range=INIT_RANGE, **ARCH)
    model = LlamaForCausalLM(config)
    _init_copy_circuit(model, tokenizer, seed)
    total = COPY_STEPS + DOMAIN_STEPS
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)

    def lr_factor(s: int) -> float:
        # Linear warm-up, constant through the copy steps, then cosine decay to 10%.
        warm = min(1.0, (s + 1) / WARMUP_STEPS)
        if s < COPY_STEPS:
            return warm
        return warm * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (s - COPY_STEPS) / max(1, DOMAIN_STEPS))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_factor)
    copy_blocks = _blocks(tokenizer, code_docs, seed + 1)
    domain_blocks = _blocks(tokenizer, domain_docs, seed + 2)
    model.train()
    losses = {}
    for step in range(total):
        source = copy_blocks if step < COPY_STEPS else domain_blocks
        batch = torch.tensor([next(source) for _ in range(BATCH)], dtype=torch.long)
        loss = model(input_ids=batch, labels=batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if step + 1 in (COPY_STEPS, total):
            phase = "copy" if step < COPY_STEPS else "domain"
            losses[f"{phase}_loss"] = round(loss.item(), 4)
            log(f"tiny_base: {phase} steps done ({step + 1}/{total}), loss {loss.item():.3f}")
    model.eval()
    model.generation_config = GenerationConfig(
        eos_token_id=end_id, pad_token_id=pad_id, do_sample=False, max_new_tokens=128
    )
    return model, {"steps": total, **losses}


def _marker(out: Path) -> dict | None:
    try:
        return json.loads((out / MARKER_FILE).read_text())
    except (OSError, ValueError):
        return None


def is_built(out: Path) -> bool:
    """A complete build of the current recipe (an older recipe's folder is not)."""
    files = all((out / f).is_file() for f in ("config.json", "model.safetensors", "tokenizer.json", MARKER_FILE))
    marker = _marker(out) if files else None
    return bool(marker) and marker.get("recipe") == RECIPE_VERSION


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
    """Build the tiny base into `out_dir` unless the current recipe's build is there.

    The build happens in a temporary sibling folder renamed into place at the end, so a reader
    never sees a half-written model and a killed build leaves nothing behind at `out_dir`. A
    complete folder of an older recipe (its marker names another RECIPE_VERSION) is replaced.
    """
    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    out = Path(out_dir).resolve()
    if is_built(out):
        return out
    with _build_lock(out):
        if is_built(out):  # another process built it while we waited for the lock
            return out
        stale = _marker(out)
        if out.exists() and stale is None:
            if any(out.iterdir()):
                raise RuntimeError(f"{out} exists but is not a complete {TINY_MODEL_ID} build; remove it")
            out.rmdir()
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        t0 = time.perf_counter()
        why = f" (replacing recipe {stale.get('recipe')})" if stale else ""
        log(f"tiny_base: building {TINY_MODEL_ID} recipe {RECIPE_VERSION} (seed {seed}) into {out}{why}")
        try:
            import torch

            # Two cores are the target machine; more threads only add contention on tiny matrices.
            torch.set_num_threads(min(torch.get_num_threads(), 4))
            tokenizer = build_tokenizer(tokenizer_docs(TOKENIZER_DOCS, CORPUS_SEED))
            model, stats = pretrain(tokenizer, seed, log=log)
            tmp.mkdir(parents=True)
            model.save_pretrained(tmp)
            # save_jinja_files=False keeps chat_template inside tokenizer_config.json, where every
            # reader (transformers 4 and 5, vLLM, transformers.js) looks for it.
            tokenizer.save_pretrained(tmp, save_jinja_files=False)
            seconds = round(time.perf_counter() - t0, 2)
            (tmp / MARKER_FILE).write_text(json.dumps({
                "model": TINY_MODEL_ID, "recipe": RECIPE_VERSION, "seed": seed,
                "build_seconds": seconds, **stats,
            }, indent=2) + "\n")
            if stale is not None:
                old = out.parent / f".{out.name}.old-{os.getpid()}"
                os.rename(out, old)
                os.rename(tmp, out)
                shutil.rmtree(old, ignore_errors=True)
            else:
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
