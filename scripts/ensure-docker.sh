#!/usr/bin/env bash
# Makes a Docker Engine reachable on this machine for the DOCKER executor (its real-engine tests and
# the CPU trainer image, scripts/build-trainer-image.sh), like scripts/services.sh does for
# PostgreSQL and Redis. A no-op when `docker info` already answers.
#
# On a Debian machine run as root (the project and CI machines): installs Debian's docker.io when
# dockerd is missing, then starts dockerd in the background, logging to /var/log/retune-dockerd.log.
# Elsewhere
# it says what to do instead. Prints the DOCKER_HOST to use on its last line.
#
# Storage driver: overlay2 where the kernel mounts overlay (these VMs do: a container of the 1.3 GB
# trainer image starts in ~3 s), else vfs, which copies the whole image per container (~40 s).
set -euo pipefail

SOCKET="${RETUNE_DOCKER_SOCKET:-/var/run/docker.sock}"
export DOCKER_HOST="unix://$SOCKET"

engine_up() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_up; then
  echo "$DOCKER_HOST"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "docker: no Docker Engine answers on $SOCKET. Start one (Docker Desktop, or 'sudo dockerd')," >&2
  echo "  or run this script as root on Debian to install and start docker.io." >&2
  exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "docker: dockerd is not installed and apt-get is not available; install Docker Engine." >&2
    exit 1
  fi
  echo "docker: installing Debian's docker.io (Docker Engine) and debootstrap" >&2
  # policy-rc.d keeps the package from starting a service manager's unit: this script starts it.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io debootstrap \
    >/tmp/retune-apt-docker.log 2>&1 || {
    # The package lists of a fresh image can be stale: refresh once and retry.
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>/tmp/retune-apt-docker.log 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io debootstrap \
      >>/tmp/retune-apt-docker.log 2>&1 || {
      tail -20 /tmp/retune-apt-docker.log >&2
      exit 1
    }
  }
fi

wait_engine() {
  for _ in $(seq 1 "$1"); do
    engine_up && return 0
    pgrep -x dockerd >/dev/null 2>&1 || return 1
    sleep 1
  done
  return 1
}

start_dockerd() {
  echo "docker: starting dockerd (storage driver $1)" >&2
  nohup dockerd --host "unix://$SOCKET" --storage-driver="$1" >/var/log/retune-dockerd.log 2>&1 &
}

if ! pgrep -x dockerd >/dev/null 2>&1; then
  start_dockerd overlay2
  if ! wait_engine 60; then
    pkill -x dockerd 2>/dev/null || true
    sleep 1
    start_dockerd vfs
  fi
fi
if wait_engine 60; then
  echo "$DOCKER_HOST"
  exit 0
fi
echo "docker: dockerd did not answer on $SOCKET within 60 s; its log:" >&2
tail -20 /var/log/retune-dockerd.log >&2 || true
exit 1
