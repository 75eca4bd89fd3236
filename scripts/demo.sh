#!/usr/bin/env bash
# README command 1: the console and workers with demo data on http://localhost:3000.
set -euo pipefail
cd "$(dirname "$0")/.."
# A self-hosted product does not phone home: no Next.js build or runtime telemetry.
export NEXT_TELEMETRY_DISABLED=1

bash scripts/services.sh
bash scripts/ensure-deps.sh
bash scripts/ensure-trainers.sh
# The tiny CPU base the story trains on (about a minute and a half on one core, once): built
# beside the seed and `next build` instead of after them, when v1's trainer would need it.
# tiny_base.py is idempotent and serialises concurrent builders, so the trainer waits for it.
OMP_NUM_THREADS=1 trainers/.venv/bin/python trainers/tiny_base.py \
  --out "${BASE_MODEL_DIR:-data/base-models}/retune-tiny-chat" >/dev/null &
# The DOCKER executor where a Docker Engine answers (LOCAL stays the default executor either way):
# the worker gets DOCKER_HOST and the CPU trainer image's tag, and the image is built offline in
# the background (minutes, once; then cached). Without an engine nothing changes.
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  export DOCKER_HOST="${DOCKER_HOST:-unix:///var/run/docker.sock}"
  export TRAINER_IMAGE_PEFT="${TRAINER_IMAGE_PEFT:-$(bash scripts/build-trainer-image.sh --tag)}"
  mkdir -p data && bash scripts/build-trainer-image.sh >data/trainer-image.log 2>&1 &
fi
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/retune}"
export NODE_ENV=production
# The demo runs over plain http on localhost; a real deployment sets BETTER_AUTH_SECRET.
export RETUNE_ALLOW_DEV_SECRET="${RETUNE_ALLOW_DEV_SECRET:-1}"
npm run --silent db:migrate
npm run --silent db:seed

# Rebuild only when a source file is newer than the last build.
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib next.config.ts package-lock.json -newer .next/BUILD_ID -type f -not -path 'lib/server/generated/*' 2>/dev/null | head -1)" ]; then
  node_modules/.bin/next build
fi

pids=()
story=""
cleanup() {
  kill -TERM "${pids[@]}" ${story:+"$story"} 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM
# A worker that dies (an uncaught error, kill -9, the OOM killer) is started again, with a
# backoff that doubles up to 30 s and resets after a minute of uptime; a clean exit (SIGTERM,
# status 0) ends the loop. TERM to the loop is passed on to the worker, which hands its jobs back.
supervise() {
  local child="" delay=1 code started
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while :; do
    started=$SECONDS
    "$@" &
    child=$!
    code=0
    wait "$child" || code=$?
    child=""
    [ "$code" -eq 0 ] && return 0
    if ((SECONDS - started > 60)); then delay=1; fi
    echo "supervisor: '$*' exited with status $code; restarting in ${delay}s" >&2
    sleep "$delay"
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}
supervise node --import tsx workers/index.ts & pids+=($!)
node_modules/.bin/next start -p "${PORT:-3000}" & pids+=($!) # no npx wrapper: the pid is the server itself
# The demo's story (prisma/demo-story.ts): the worker trains, evaluates, gates and promotes v1,
# then a drift retrain brings v2 to the PM's approval. It resumes where it was and ends by itself
# (a few minutes on a laptop CPU); the console shows each step as it happens.
node --import tsx prisma/demo-story.ts & story=$!
echo
echo "retune is starting on http://localhost:${PORT:-3000}  —  sign in as demo@retune.dev / retune-demo  (Ctrl-C stops it)"
wait -n "${pids[@]}"
