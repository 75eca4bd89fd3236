"""Helpers shared by sft.py and generate.py: events, base-model resolution, chat rows, tool calls.

Kept free of heavy imports at module level: sft.py must be able to import Unsloth before
transformers, so torch and transformers are only imported inside functions here.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterator

TINY_MODEL_ID = "retune/tiny-chat"

# Exit codes shared by the trainer scripts (the worker maps them to a job error).
EXIT_BAD_INPUT = 2  # the spec, a CLI argument or a data file is wrong: retrying will not help
EXIT_ENVIRONMENT = 3  # this machine cannot run it (no CUDA for QLoRA, Unsloth not installed, ...)


class InputError(Exception):
    """A problem with what the caller gave us; the message names the field, file or line."""


class EnvironmentProblem(Exception):
    """The host lacks something the request needs."""


def setup_process() -> None:
    """Process-wide settings; call first in main(), before torch or transformers is imported.

    * stdout/stderr flush every line: the worker tails our output while we run, possibly for hours.
    * Hugging Face progress bars (weights loading/saving) off: in a log file they are noise.
    * OpenMP threads sleep instead of spinning while they wait. On a CPU host shared with other
      work (a laptop, a CI runner, a busy worker), spinning threads steal the cores their siblings
      need: measured on 2 cores under load, a tiny-chat training step took 2-6 s with the default
      policy and 0.2-0.25 s with PASSIVE (about 0.15 s vs 0.17 s when the host is idle).
    Both are defaults: a caller's environment wins.
    """
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
    except AttributeError:  # not a TextIOWrapper (embedded use); print(flush=True) still works
        pass


def emit(event: str, **fields: Any) -> None:
    """A structured progress line, `[retune] {json}`, parsed by lib/domain/trainer-log.ts."""
    print("[retune] " + json.dumps({"event": event, **fields}, separators=(",", ":")), flush=True)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def resolve_base(base_model: str, base_model_path: str | None) -> str:
    """Where to load the base from: a local folder, or a Hugging Face id.

    retune/tiny-chat is never on the hub; it is built locally (tiny_base.py) into
    `base_model_path`, or into a per-user cache folder when no path is given. It is always
    built with seed 0, so every job on a host shares one base.
    """
    if base_model == TINY_MODEL_ID:
        path = base_model_path or os.environ.get("RETUNE_TINY_BASE_DIR") or str(
            Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "retune" / "tiny-chat"
        )
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from tiny_base import ensure_tiny_base

        return str(ensure_tiny_base(path, seed=0))
    if base_model_path:
        if not Path(base_model_path).exists():
            raise InputError(f"baseModelPath: {base_model_path} does not exist")
        return base_model_path
    return base_model


def iter_jsonl(path: str, field: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value or an Exception) for each non-blank line of a JSONL file."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{field}: {path} is not a file")
    with p.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as e:
                yield lineno, ValueError(f"invalid JSON: {e.msg} at column {e.colno}")


_SHAREGPT_ROLES = {"human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant",
                   "system": "system", "tool": "tool", "function": "tool", "observation": "tool"}


def row_messages(row: Any) -> tuple[list[dict], list[dict] | None]:
    """The (messages, tools) of an OpenAI-style chat row; raises ValueError when it is not one.

    Accepts `conversations` as an alias of `messages`, with ShareGPT's from/value keys mapped to
    role/content: a trivial rename, not ShareGPT's tool conventions.
    """
    if not isinstance(row, dict):
        raise ValueError("row is not a JSON object")
    msgs = row.get("messages")
    if msgs is None and isinstance(row.get("conversations"), list):
        msgs = []
        for m in row["conversations"]:
            if isinstance(m, dict) and "from" in m and "role" not in m:
                role = _SHAREGPT_ROLES.get(str(m["from"]).lower())
                if role is None:
                    raise ValueError(f"unknown conversations role {m['from']!r}")
                m = {"role": role, "content": m.get("value")}
            msgs.append(m)
    if not isinstance(msgs, list) or not msgs:
        raise ValueError("no messages")
    out = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or not isinstance(m.get("role"), str):
            raise ValueError(f"messages[{i}] has no role")
        m = dict(m)
        content = m.get("content")
        if content is not None and not isinstance(content, str):
            # Tool results are sometimes objects; templates expect text.
            m["content"] = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        elif content is None and not (m["role"] == "assistant" and m.get("tool_calls")):
            m["content"] = ""
        out.append(m)
    tools = row.get("tools")
    if tools is not None and not isinstance(tools, list):
        raise ValueError("tools is not a list")
    return out, tools or None


def template_takes_string_arguments(chat_template: str | None) -> bool:
    """Whether a chat template writes `tool_calls[].function.arguments` strings verbatim.

    OpenAI rows carry arguments as a JSON string. Templates that test `is string` (tiny-chat,
    Qwen3) print it as-is, which keeps the dataset's exact bytes; most others (Llama 3.1,
    Qwen2.5) apply `tojson`, which would double-encode a string, so they get a dict instead.
    """
    return bool(chat_template) and "is string" in chat_template


def prepare_tool_calls(messages: list[dict], string_arguments: bool) -> list[dict]:
    """Normalise assistant tool_calls' arguments to the form the template expects."""
    out = []
    for m in messages:
        calls = m.get("tool_calls")
        if m["role"] == "assistant" and calls:
            fixed = []
            for c in calls:
                fn = dict(c.get("function") or {})
                args = fn.get("arguments")
                if string_arguments and not isinstance(args, str):
                    fn["arguments"] = json.dumps(args if args is not None else {}, separators=(",", ":"))
                elif not string_arguments and isinstance(args, str):
                    try:
                        fn["arguments"] = json.loads(args) if args.strip() else {}
                    except json.JSONDecodeError as e:
                        raise ValueError(f"tool call arguments are not JSON: {e.msg}") from None
                fixed.append({**c, "function": fn})
            m = {**m, "tool_calls": fixed}
        out.append(m)
    return out


# ---------------------------------------------------------------------------------------------
# Tool-call parsing of generated text.

_DECODER = json.JSONDecoder()


def _load_json_at(text: str, start: int) -> tuple[Any, int]:
    i = start
    while i < len(text) and text[i].isspace():
        i += 1
    return _DECODER.raw_decode(text, i)


def _call(name: Any, args: Any) -> dict | None:
    if isinstance(args, str):  # some models emit arguments as a JSON string
        try:
            args = json.loads(args)
        except json.JSONDecodeError:
            return None
    if args is None:
        args = {}
    if not isinstance(name, str) or not name or not isinstance(args, dict):
        return None
    return {"name": name, "arguments": args}


class ToolCallParse:
    """The outcome of parsing a completion: calls (or None), the remaining text, and whether the
    model attempted a call that did not parse (malformed JSON, missing name)."""

    def __init__(self, calls: list[dict] | None, text: str, malformed: bool):
        self.calls = calls
        self.text = text
        self.malformed = malformed


_TINY_CALL = "<|call|>"
_NAME = re.compile(r"\s*([A-Za-z_][\w.\-]*)")


def parse_tiny_calls(text: str) -> ToolCallParse:
    """tiny-chat: `<|call|>name {json}` repeated; anything before the first marker is content."""
    if _TINY_CALL not in text:
        return ToolCallParse(None, text.strip(), False)
    head, *parts = text.split(_TINY_CALL)
    calls, malformed = [], False
    for part in parts:
        m = _NAME.match(part)
        if not m:
            malformed = True
            continue
        try:
            args, _ = _load_json_at(part, m.end())
        except json.JSONDecodeError:
            malformed = True
            continue
        call = _call(m.group(1), args)
        if call is None:
            malformed = True
        else:
            calls.append(call)
    return ToolCallParse(calls or None, head.strip(), malformed)


_QWEN_BLOCK = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)


def parse_qwen_calls(text: str) -> ToolCallParse:
    """Qwen/Hermes: `<tool_call>{"name": ..., "arguments": {...}}</tool_call>` blocks."""
    if "<tool_call>" not in text:
        return ToolCallParse(None, text.strip(), False)
    calls, malformed = [], False
    for body in _QWEN_BLOCK.findall(text):
        try:
            obj, _ = _load_json_at(body, 0)
        except json.JSONDecodeError:
            malformed = True
            continue
        call = _call(obj.get("name"), obj.get("arguments", obj.get("parameters"))) if isinstance(obj, dict) else None
        if call is None:
            malformed = True
        else:
            calls.append(call)
    rest = _QWEN_BLOCK.sub("", text).strip()
    return ToolCallParse(calls or None, rest, malformed)


def parse_llama_json_calls(text: str) -> ToolCallParse:
    """Llama 3.1 JSON tool calls: the whole reply is `{"name": ..., "parameters": {...}}`
    (optionally after `<|python_tag|>`, several separated by `;`)."""
    body = text.strip()
    if body.startswith("<|python_tag|>"):
        body = body[len("<|python_tag|>"):].strip()
    if not body.startswith("{"):
        return ToolCallParse(None, text.strip(), False)
    calls, i = [], 0
    while i < len(body):
        try:
            obj, i = _load_json_at(body, i)
        except json.JSONDecodeError:
            # Looked like a call but is not valid JSON: report the attempt.
            return ToolCallParse(None, text.strip(), True)
        call = _call(obj.get("name"), obj.get("parameters", obj.get("arguments"))) if isinstance(obj, dict) else None
        if call is None:
            return ToolCallParse(None, text.strip(), not calls and isinstance(obj, dict) and "name" in obj)
        calls.append(call)
        while i < len(body) and (body[i].isspace() or body[i] == ";"):
            i += 1
    return ToolCallParse(calls, "", False)


def parse_tool_calls(text: str) -> ToolCallParse:
    """Best-effort, by the markers present: tiny-chat, then Qwen/Hermes, then Llama 3.1 JSON."""
    if _TINY_CALL in text:
        return parse_tiny_calls(text)
    if "<tool_call>" in text:
        return parse_qwen_calls(text)
    return parse_llama_json_calls(text)
