#!/usr/bin/env bash
# GPU smoke test of the trainer scripts (issue #15): on a machine with an NVIDIA GPU and a CUDA
# build of PyTorch, trains the tiny base (retune/tiny-chat) with trainers/sft.py on CUDA — a bf16
# LoRA, then a 4-bit QLoRA when bitsandbytes imports — generates with each adapter through
# trainers/generate.py, and prints a PASS / FAIL / SKIP table with a reason and a time per step.
#
#   bash scripts/gpu-smoke.sh                 # on the GPU machine, from the repository
#   bash scripts/gpu-smoke.sh --cpu-dry-run   # the same flow on CPU (fp32 LoRA, no QLoRA), to
#                                             # check the plumbing where there is no GPU
#
# CI and `npm test` run on CPU-only machines and never call this: run it whenever a GPU machine
# is at hand and report its output (the table) on the issue.
#
# Environment:
#   TRAINER_PYTHON   the interpreter to test (default: RETUNE_PYTHON, the worker's trainer Python,
#                    else trainers/.venv/bin/python from scripts/ensure-trainers.sh). Its torch
#                    must be a CUDA build: pip's default Linux wheel is, a CPU wheelhouse's
#                    (torch ...+cpu) is not; install one into the venv or point this elsewhere.
#   BASE_MODEL_DIR   where the tiny base is built or found, as for the demo and the tests
#                    (default data/base-models; built once by trainers/tiny_base.py, on CPU)
#   GPU_SMOKE_ALLOW_CPU=1   the same as --cpu-dry-run
#   GPU_SMOKE_KEEP=1        keep the work folder (data, specs, logs, adapters) after a pass
# Also needs node and node_modules (README command 1 installs them): the rows and the trainer
# specs come from the repository's fixtures and zod schema (scripts/gpu-smoke-inputs.ts).
#
# Exit status: 0 every step that ran passed; 1 a step failed; 2 no CUDA GPU is visible to the
# Python (nothing was run), or a bad argument.
set -euo pipefail
cd "$(dirname "$0")/.."

dry_run="${GPU_SMOKE_ALLOW_CPU:-0}"
for arg in "$@"; do
  case "$arg" in
    --cpu-dry-run) dry_run=1 ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "gpu-smoke: unknown argument $arg (see --help)" >&2
      exit 2
      ;;
  esac
done
[ "$dry_run" = 1 ] || dry_run=0

PY="${TRAINER_PYTHON:-${RETUNE_PYTHON:-trainers/.venv/bin/python}}"
BASE_DIR="${BASE_MODEL_DIR:-data/base-models}/retune-tiny-chat"
# What the worker sets for a trainer (lib/server/training/backends.ts), and no network: the tiny
# base is local, so a hub lookup would only be a bug hiding behind a download.
export PYTHONUNBUFFERED=1 HF_HUB_DISABLE_TELEMETRY=1 TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1
if [ "$dry_run" = 1 ]; then
  # A dry run on a GPU machine must still train on CPU: sft.py and generate.py pick CUDA whenever
  # torch sees a device.
  export CUDA_VISIBLE_DEVICES=""
fi

# ── the step table ───────────────────────────────────────────────────────────────────────────
names=() results=() times=() notes=()
now_ms() { date +%s%3N; }
record() { # name result start_ms note
  names+=("$1")
  results+=("$2")
  local ms=$(($(now_ms) - $3))
  times+=("$(printf '%d.%d s' $((ms / 1000)) $(((ms % 1000) / 100)))")
  notes+=("$4")
  printf 'gpu-smoke: %-15s %s  %s\n' "$1" "$2" "$4"
}
skip() { # name note
  names+=("$1") results+=(SKIP) times+=("-") notes+=("$2")
  printf 'gpu-smoke: %-15s SKIP  %s\n' "$1" "$2"
}
summary() {
  local failed=0 i
  printf '\n%-15s %-6s %9s  %s\n' STEP RESULT TIME DETAIL
  for i in "${!names[@]}"; do
    printf '%-15s %-6s %9s  %s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" "${notes[$i]}"
    [ "${results[$i]}" != FAIL ] || failed=1
  done
  return "$failed"
}
# The last lines of a step's logs, so a failure can be read without opening the work folder.
show_tail() {
  local f
  for f in "$@"; do
    [ -s "$f" ] || continue
    echo "── last lines of $f"
    tail -n 25 "$f" | sed 's/^/   /'
  done
}

# ── 1. the device ────────────────────────────────────────────────────────────────────────────
t=$(now_ms)
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "gpu-smoke: no CUDA GPU visible to $PY (it does not exist: run bash scripts/ensure-trainers.sh, or set TRAINER_PYTHON); nothing was run"
  exit 2
fi
probe="$("$PY" - <<'PY' 2>&1
import os, sys
try:
    import torch
except Exception as e:
    print(f"reason=torch does not import ({type(e).__name__}: {e})")
    sys.exit(1)
print(f"torch={torch.__version__}")
print(f"cuda_build={torch.version.cuda}")
if torch.cuda.is_available():
    for i in range(torch.cuda.device_count()):
        p = torch.cuda.get_device_properties(i)
        print(f"gpu=cuda:{i} {p.name}, {p.total_memory / 2**30:.0f} GiB, compute capability {p.major}.{p.minor}")
    print(f"cudnn={torch.backends.cudnn.version()}")
    # What sft.py and generate.py choose on this device: bf16 where supported, else fp16.
    print(f"precision={'bf16' if torch.cuda.is_bf16_supported() else 'fp16'}")
    sys.exit(0)
hidden = os.environ.get("CUDA_VISIBLE_DEVICES")
if torch.version.cuda is None:
    why = f"torch {torch.__version__} is a CPU-only build"
else:
    why = f"torch {torch.__version__} is built for CUDA {torch.version.cuda} but torch.cuda.is_available() is False: no NVIDIA driver or device"
if hidden is not None and not hidden.strip():
    why += "; CUDA_VISIBLE_DEVICES is empty"
print(f"reason={why}")
sys.exit(1)
PY
)" && cuda=1 || cuda=0
field() { sed -n "s/^$1=//p" <<<"$probe"; }
torch_version="$(field torch)"
if [ -z "$torch_version" ]; then
  # torch itself is missing or broken: neither mode can run anything.
  reason="$(field reason)"
  echo "gpu-smoke: no CUDA GPU visible to $PY (${reason:-$probe}); nothing was run"
  exit 2
fi
if [ "$cuda" = 1 ]; then
  precision="$(field precision)"
  echo "gpu-smoke: python $PY"
  echo "gpu-smoke: torch $torch_version, CUDA $(field cuda_build), cuDNN $(field cudnn)"
  while IFS= read -r gpu; do echo "gpu-smoke: GPU $gpu"; done < <(field gpu)
  if command -v nvidia-smi >/dev/null 2>&1; then
    echo "gpu-smoke: NVIDIA driver $(nvidia-smi --query-gpu=driver_version --format=csv,noheader | head -1)"
  fi
  record cuda PASS "$t" "$(field gpu | head -1 | cut -d' ' -f2- | cut -d, -f1); torch $torch_version, CUDA $(field cuda_build), $precision"
  device="cuda/$precision"
elif [ "$dry_run" = 1 ]; then
  precision=fp32
  echo "gpu-smoke: python $PY, torch $torch_version; CPU dry run: $(field reason)"
  skip cuda "CPU dry run (--cpu-dry-run): the same flow on CPU, fp32"
  device="cpu/fp32"
else
  echo "gpu-smoke: no CUDA GPU visible to $PY ($(field reason)); nothing was run"
  echo "gpu-smoke: --cpu-dry-run runs the same flow on CPU to check the plumbing"
  exit 2
fi

# ── 2. the inputs: work folder, tiny base, rows and specs ────────────────────────────────────
work="$(mktemp -d "${TMPDIR:-/tmp}/retune-gpu-smoke.XXXXXX")"
echo "gpu-smoke: work folder $work"

t=$(now_ms)
# The demo's and the tests' way: tiny_base.py builds it once (on CPU, ~1.5 min on 2 cores) and
# finds it built afterwards; concurrent builders of one folder serialise on a lock.
if "$PY" trainers/tiny_base.py --out "$BASE_DIR" >"$work/tiny-base.log" 2>&1; then
  if grep -q '^tiny_base: built in' "$work/tiny-base.log"; then
    record tiny-base PASS "$t" "built into $BASE_DIR"
  else
    record tiny-base PASS "$t" "found at $BASE_DIR"
  fi
  base_ok=1
else
  record tiny-base FAIL "$t" "trainers/tiny_base.py failed (log: $work/tiny-base.log)"
  show_tail "$work/tiny-base.log"
  base_ok=0
fi

t=$(now_ms)
if node --import tsx scripts/gpu-smoke-inputs.ts "$work" "$BASE_DIR" >"$work/inputs.log" 2>&1; then
  record inputs PASS "$t" "$(wc -l <"$work/data/train.jsonl") train / $(wc -l <"$work/data/eval.jsonl") eval rows, $(wc -l <"$work/prompts.jsonl") prompts, specs parsed by trainerSpecSchema"
  inputs_ok=1
else
  record inputs FAIL "$t" "scripts/gpu-smoke-inputs.ts failed (needs node and node_modules; log: $work/inputs.log)"
  show_tail "$work/inputs.log"
  inputs_ok=0
fi

# ── 3. train and generate, per method ────────────────────────────────────────────────────────
# sft.py's stdout: the Trainer's log dicts, e.g. {'loss': '4.864', ..., 'step': 5} (transformers
# 5 quotes floats, 4 does not). Prints "first → last" and fails unless the loss fell.
loss_fell() {
  "$PY" - "$1" <<'PY'
import ast, sys
points = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not (line.startswith("{") and "'loss'" in line):
        continue
    try:
        d = ast.literal_eval(line)
        points.append((d.get("step"), float(d["loss"])))
    except (ValueError, SyntaxError, KeyError, TypeError):
        continue
if len(points) < 2:
    print(f"{len(points)} loss point(s) logged, need 2")
    sys.exit(1)
(s0, first), (s1, last) = points[0], points[-1]
print(f"loss {first:.3f} (step {s0}) -> {last:.3f} (step {s1})")
sys.exit(0 if last < first else 1)
PY
}

# generate.py's output: one row per prompt; each must have produced tokens and no error.
generated_ok() {
  "$PY" - "$1" "$2" <<'PY'
import json, sys
prompts = sum(1 for l in open(sys.argv[1], encoding="utf-8") if l.strip())
rows = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
errors = [r["error"] for r in rows if r.get("error")]
empty = sum(1 for r in rows if not r.get("completionTokens"))
calls = [c["name"] for r in rows for c in (r.get("toolCalls") or [])]
for r in rows:
    print(f"   {r['id']}: " + (json.dumps(r["toolCalls"]) if r.get("toolCalls") else repr(r.get("text", ""))[:100]),
          file=sys.stderr)
if len(rows) != prompts or errors or empty:
    print(f"{len(rows)}/{prompts} rows, {empty} empty" + (f", error: {errors[0]}" if errors else ""))
    sys.exit(1)
print(f"{len(rows)}/{prompts} prompts answered, {len(calls)} tool call(s) parsed")
PY
}

# run_method LORA|QLORA label
run_method() {
  local method="$1" label="$2" dir note
  dir="$work/$(tr '[:upper:]' '[:lower:]' <<<"$method")"
  local rc=0
  t=$(now_ms)
  "$PY" trainers/sft.py --spec "$dir/spec.json" >"$dir/sft.out" 2>"$dir/sft.err" || rc=$?
  if [ "$rc" != 0 ]; then
    # sft.py's last stdout line on a non-zero exit is its error event: the job's headline.
    record "sft $label" FAIL "$t" "sft.py exited $rc: $(sed -n 's/^\[retune\] {"event":"error".*"message":"\(.*\)"}$/\1/p' "$dir/sft.out" | tail -1)"
    show_tail "$dir/sft.err" "$dir/sft.out"
    skip "generate $label" "no adapter: sft $label failed"
    return
  fi
  local out="$dir/output" trained=1
  if [ ! -s "$out/adapter_config.json" ] || [ ! -s "$out/adapter_model.safetensors" ]; then
    record "sft $label" FAIL "$t" "exit 0 but no adapter_config.json / adapter_model.safetensors in $out"
    trained=0
  elif note="$(loss_fell "$dir/sft.out")"; then
    record "sft $label" PASS "$t" "$device; $note; adapter $(du -k "$out/adapter_model.safetensors" | cut -f1) KiB"
  else
    record "sft $label" FAIL "$t" "$device; ${note:-no loss lines in $dir/sft.out}"
    show_tail "$dir/sft.out"
  fi
  if [ "$trained" = 0 ]; then
    skip "generate $label" "no adapter: sft $label failed"
    return
  fi
  rc=0
  t=$(now_ms)
  "$PY" trainers/generate.py --base retune/tiny-chat --base-path "$BASE_DIR" --adapter "$out" \
    --input "$work/prompts.jsonl" --output "$dir/generated.jsonl" --max-new-tokens 48 \
    >"$dir/generate.out" 2>"$dir/generate.err" || rc=$?
  if [ "$rc" != 0 ]; then
    record "generate $label" FAIL "$t" "generate.py exited $rc"
    show_tail "$dir/generate.err" "$dir/generate.out"
  elif note="$(generated_ok "$work/prompts.jsonl" "$dir/generated.jsonl" 2>"$dir/generated.txt")"; then
    record "generate $label" PASS "$t" "$device; $note"
    cat "$dir/generated.txt"
  else
    record "generate $label" FAIL "$t" "$note"
    cat "$dir/generated.txt"
  fi
}

if [ "$base_ok" = 1 ] && [ "$inputs_ok" = 1 ]; then
  run_method LORA lora
  if [ "$cuda" = 0 ]; then
    skip "sft qlora" "CPU dry run: 4-bit loading needs CUDA"
    skip "generate qlora" "CPU dry run"
  elif bnb_error="$("$PY" -c 'import bitsandbytes' 2>&1)"; then
    run_method QLORA qlora
  else
    bnb_error="$(tail -n 1 <<<"$bnb_error")"
    echo "SKIP qlora: bitsandbytes does not import: $bnb_error"
    skip "sft qlora" "bitsandbytes does not import: $bnb_error"
    skip "generate qlora" "no QLoRA adapter"
  fi
else
  for s in "sft lora" "generate lora" "sft qlora" "generate qlora"; do
    skip "$s" "needs the tiny base and the inputs (failed above)"
  done
fi

# ── summary ──────────────────────────────────────────────────────────────────────────────────
if summary; then
  echo
  echo "gpu-smoke: PASS ($device, python $PY, torch $torch_version)"
  if [ "${GPU_SMOKE_KEEP:-0}" = 1 ]; then echo "gpu-smoke: kept $work"; else rm -rf "$work"; fi
  exit 0
fi
echo
echo "gpu-smoke: FAIL ($device, python $PY, torch $torch_version); logs, specs and adapters kept in $work"
exit 1
