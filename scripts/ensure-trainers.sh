#!/usr/bin/env bash
# Makes trainers/.venv ready to run trainers/*.py (the PEFT backend, local generation, the tiny
# base model). Idempotent and a fast no-op when up to date: the sha256 of
# trainers/requirements.txt at the last successful install is stamped inside the venv, and pip
# runs only when the venv is missing or the requirements changed since.
#
# pip resolves from the configured index / local wheelhouse; --retries 0 keeps it from waiting on
# an unreachable public index (docs/architecture.md, "Environment"). Set PYTHON to pick another interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=trainers/.venv
REQ=trainers/requirements.txt
STAMP="$VENV/.requirements.sha256"
PYTHON="${PYTHON:-python3}"

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "trainers: $PYTHON not found. Install Python 3.10+ (Debian/Ubuntu: apt-get install python3 python3-venv)." >&2
  exit 1
fi

want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "trainers: $PYTHON has no working venv/ensurepip module." >&2
    echo "  Debian/Ubuntu: apt-get install python3-venv" >&2
    exit 1
  fi
  echo "trainers: creating $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

# A venv built before the stamp existed (or by hand) may already hold exactly the pinned versions:
# checking that locally takes a fraction of a second, where pip would still consult its indexes.
if "$VENV/bin/python" - "$REQ" <<'PY'
import re, sys
from importlib.metadata import PackageNotFoundError, version

for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    pin = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;+]+)", line)
    if not pin:
        sys.exit(1)  # anything but an exact pin: let pip decide
    try:
        installed = version(pin.group(1))
    except PackageNotFoundError:
        sys.exit(1)
    if installed.split("+", 1)[0] != pin.group(2):  # torch 2.13.0+cpu satisfies ==2.13.0
        sys.exit(1)
PY
then
  echo "$want" >"$STAMP"
  exit 0
fi

echo "trainers: installing $REQ into $VENV"
# The stamp is removed first and written last, so an interrupted install is retried next time.
rm -f "$STAMP"
if ! PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --retries 0 -r "$REQ"; then
  echo "trainers: pip install failed (see above). Without internet, pip needs a local wheelhouse" >&2
  echo "  (PIP_FIND_LINKS / PIP_INDEX_URL or pip.conf) holding the pinned versions in $REQ." >&2
  exit 1
fi
echo "$want" >"$STAMP"
echo "trainers: ready ($("$VENV/bin/python" -c 'import torch, transformers, peft; print(f"torch {torch.__version__}, transformers {transformers.__version__}, peft {peft.__version__}")'))"
