#!/usr/bin/env bash
# Start Redis (and, with --postgres, PostgreSQL) when they are not answering. Safe to rerun.
set -euo pipefail
need_pg=0
[ "${1:-}" = "--postgres" ] && need_pg=1

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "[services] starting redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "[services] redis did not start" >&2; exit 1; }

if [ "$need_pg" = 1 ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    echo "[services] starting postgresql"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 100); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 0.2; done
  fi
  pg_isready -h 127.0.0.1 -p 5432 -q || { echo "[services] postgresql did not start" >&2; exit 1; }
  # The tests use database `test` as user postgres (trust auth on loopback).
  if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    su postgres -c "createdb test" 2>/dev/null || createdb -h 127.0.0.1 -U postgres test
  fi
fi
