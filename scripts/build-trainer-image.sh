#!/usr/bin/env bash
# Builds the CPU trainer image for the DOCKER executor offline, and caches it: prints its tag,
# retune/trainer:cpu-<hash>, where the hash covers trainers/requirements.txt and this script, so a
# second run is a no-op (`docker image inspect`) until the Python dependencies change.
#
# No registry is reachable on the project and CI machines, so nothing is pulled:
#   1. the base, retune/debian-python:bookworm, is a Debian bookworm minbase root file system with
#      python3 made by debootstrap from Debian's mirror and `docker import`ed (built once, cached);
#   2. the trainer image is that base plus the site-packages of trainers/.venv, which
#      scripts/ensure-trainers.sh installs from trainers/requirements.txt out of the local
#      wheelhouse. Debian bookworm's python3 is 3.11, the wheels' ABI (cp311), and its glibc the
#      host's; the scripts themselves travel with each job (/job/trainers).
# The GPU image (trainers/Dockerfile, CUDA PyTorch base) is for real deployments and is built
# where a registry is reachable: `docker build -t retune/trainer:latest trainers/`.
#
# Usage: scripts/build-trainer-image.sh [--tag]   (--tag: print the tag only, build nothing;
#        DOCKER_HOST as docker's CLI reads it)
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=retune/debian-python:bookworm
SITE=trainers/.venv/lib/python3.11/site-packages
hash="$(cat trainers/requirements.txt "$0" | sha256sum | cut -c1-12)"
TAG="retune/trainer:cpu-$hash"
if [ "${1:-}" = "--tag" ]; then
  echo "$TAG"
  exit 0
fi

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "$TAG"
  exit 0
fi
started=$(date +%s)

if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null 2>&1 || {
    echo "trainer image: debootstrap is needed to make the base image (apt-get install debootstrap)" >&2
    exit 1
  }
  rootfs="$(mktemp -d /var/tmp/retune-rootfs.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  echo "trainer image: making $BASE with debootstrap (a few minutes, once)" >&2
  debootstrap --variant=minbase --include=python3,ca-certificates bookworm "$rootfs" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >/var/tmp/retune-debootstrap.log 2>&1 || {
    tail -20 /var/tmp/retune-debootstrap.log >&2
    exit 1
  }
  # `python` is what the PEFT backend's command names (lib/server/training/backends.ts).
  ln -sf python3 "$rootfs/usr/bin/python"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import - "$BASE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

bash scripts/ensure-trainers.sh >&2
cid="$(docker create "$BASE" true)"
trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
echo "trainer image: adding $SITE ($(du -sh "$SITE" | cut -f1)) to $BASE" >&2
docker cp "$SITE" "$cid:/opt/retune-site-packages" >/dev/null
docker commit \
  --change 'ENV PYTHONPATH=/opt/retune-site-packages' \
  --change 'ENV PYTHONUNBUFFERED=1' \
  --change 'ENV HF_HUB_DISABLE_TELEMETRY=1' \
  --change 'WORKDIR /job' \
  --change 'CMD ["python3"]' \
  "$cid" "$TAG" >/dev/null
echo "trainer image: built $TAG in $(($(date +%s) - started)) s" >&2
echo "$TAG"
