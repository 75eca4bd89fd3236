#!/usr/bin/env bash
# README command 2: the whole suite — check, unit, build, integration (real PostgreSQL and Redis, a
# fresh database and BullMQ prefix per run), and Playwright e2e against `next start` + the worker.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
# A self-hosted product does not phone home: no Next.js build or runtime telemetry.
export NEXT_TELEMETRY_DISABLED=1

bash scripts/services.sh
bash scripts/ensure-deps.sh
bash scripts/ensure-trainers.sh
bash scripts/ensure-chromium.sh
mkdir -p .artifacts
rm -f .artifacts/*.json
# The tiny CPU base the integration and e2e tests train (about a minute and a half on one core):
# built on the second core while check and unit tests run on the first. tiny_base.py is
# idempotent and serialises concurrent builders; integration waits for it below.
OMP_NUM_THREADS=1 trainers/.venv/bin/python trainers/tiny_base.py \
  --out data/base-models/retune-tiny-chat >.artifacts/tiny-base.log 2>&1 &
tiny_base=$!
# The DOCKER executor's real-engine tests (workers/docker-engine.int.test.ts) need a Docker Engine
# and the CPU trainer image: the engine installed and started when missing, the image built
# offline (a few minutes on a fresh machine, then cached by its tag), beside check, unit tests
# and the build.
(bash scripts/ensure-docker.sh >/dev/null && bash scripts/build-trainer-image.sh) \
  >.artifacts/trainer-image.log 2>&1 &
trainer_image=$!

# Each step's heading says how far into the run it starts, so a slow step shows in the log.
step() { printf '\n━━ %s (at %d s)\n' "$*" "$(($(date +%s) - t0))"; }

step "check (typecheck, lint, format)"
npm run --silent check

step "unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json=.artifacts/unit.json

# Built before the integration tests, which need the trainer image: on a fresh machine that image
# is still building after check and unit tests (about four minutes), and this fills the wait.
step "build"
# `check` above typechecked this tree: the build skips its own pass over the same files.
RETUNE_TYPECHECKED=1 NODE_ENV=production RETUNE_ALLOW_DEV_SECRET=1 npx next build

step "integration tests"
wait "$tiny_base" || { cat .artifacts/tiny-base.log; exit 1; }
wait "$trainer_image" || { cat .artifacts/trainer-image.log; exit 1; }
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json=.artifacts/integration.json

step "e2e (Playwright, Chromium, next start + worker)"
# The tiny CPU base model the training e2e fine-tunes (built by the integration tests already,
# or now: tiny_base.py is idempotent).
OMP_NUM_THREADS=1 trainers/.venv/bin/python trainers/tiny_base.py --out data/base-models/retune-tiny-chat >/dev/null
run="$(date +%s)$$"
export E2E_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/retune_e2e_${run}"
export E2E_BULLMQ_PREFIX="retune-e2e-${run}"
export E2E_ARTIFACT_DIR="$PWD/data/e2e-${run}"
DATABASE_URL="$E2E_DATABASE_URL" npm run --silent db:migrate
cleanup_e2e() {
  # Trainers are detached from the worker on purpose (they outlive its restarts): stop this run's.
  pkill -KILL -f "$E2E_ARTIFACT_DIR" 2>/dev/null || true
  rm -rf "$E2E_ARTIFACT_DIR"
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS \"retune_e2e_${run}\" WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 --scan --pattern "${E2E_BULLMQ_PREFIX}*" 2>/dev/null | xargs -r redis-cli -h 127.0.0.1 del >/dev/null 2>&1 || true
}
trap cleanup_e2e EXIT
PLAYWRIGHT_JSON_OUTPUT_NAME=.artifacts/e2e.json npx playwright test --reporter=list,json

step "summary"
node scripts/test-summary.mjs
