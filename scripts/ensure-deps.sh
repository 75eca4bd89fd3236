#!/usr/bin/env bash
# Installs node_modules when missing or older than package-lock.json (npm ci: exact, reproducible).
set -euo pipefail
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "deps: npm ci"
  npm ci --no-audit --no-fund
fi
