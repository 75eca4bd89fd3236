#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on loopback: starts them when installed but stopped,
# and says clearly what to do when they are missing. Idempotent.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "services: starting PostgreSQL"
    for v in $(ls /etc/postgresql); do pg_ctlcluster --skip-systemctl-redirect "$v" main start || true; done
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    echo "services: starting PostgreSQL and Redis with docker compose"
    docker compose up -d postgres redis
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "services: PostgreSQL is not reachable on 127.0.0.1:5432. Install it (apt-get install postgresql) or run 'docker compose up -d'." >&2; exit 1; }
fi

if ! redis_up; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "services: starting Redis"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    # AOF everysec + noeviction: the only eviction policy under which BullMQ queues stay correct.
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --appendonly yes --appendfsync everysec \
      --maxmemory-policy noeviction --dir "${REDIS_DIR:-/var/lib/redis}" --logfile "${REDIS_LOG:-/var/log/redis/retune.log}"
  elif command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
    docker compose up -d redis
  fi
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "services: Redis is not reachable on 127.0.0.1:6379. Install it (apt-get install redis-server) or run 'docker compose up -d'." >&2; exit 1; }
fi
echo "services: PostgreSQL and Redis are up"
