#!/usr/bin/env bash
# Fuzz the mini-program JSON API (/mp/api/v1: the interview and the conversation, from its OpenAPI document) with
# schemathesis, bounded in time.
#
#   bash bench/fuzz.sh              # SQLite; FUZZ_MAX_TIME=120 FUZZ_MAX_EXAMPLES=40 FUZZ_SEED=14 by default
#   bash bench/fuzz.sh --postgres   # PostgreSQL at FUZZ_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/fuzz)
#
# schemathesis lives in its own virtualenv (.fuzz-venv, made on first use) so its pins never touch .venv.
# The app runs under gunicorn on loopback with a temporary SQLite database (or the PostgreSQL database, which must
# exist and is EMPTIED: every table in its public schema is dropped) and media folder, Redis DB 11
# (FUZZ_REDIS_URL; flushed) and rate limits off (they would turn the fuzzing into 429s). One candidate is invited
# and taken through consent, identity and the device check, so the question and upload operations are reachable.
# The check is `not_a_server_error`: any 5xx fails the run. Prints a table per operation and writes
# bench/results/fuzz-sqlite.md or bench/results/fuzz-postgresql.md.
set -euo pipefail
DB=sqlite
for arg in "$@"; do
  case "$arg" in
    --postgres) DB=postgresql ;;
    *) echo "unknown option $arg (use --postgres)" >&2; exit 2 ;;
  esac
done
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MAX_TIME="${FUZZ_MAX_TIME:-120}"
EXAMPLES="${FUZZ_MAX_EXAMPLES:-40}"
SEED="${FUZZ_SEED:-14}"
REDIS="${FUZZ_REDIS_URL:-redis://127.0.0.1:6379/11}"
FUZZ_VENV="$ROOT/.fuzz-venv"
SCHEMATHESIS_VERSION=4.32.5

if [ ! -x "$FUZZ_VENV/bin/schemathesis" ]; then
  echo "making $FUZZ_VENV with schemathesis $SCHEMATHESIS_VERSION"
  python3 -m venv "$FUZZ_VENV"
  "$FUZZ_VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

TMP="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$TMP"
}
trap cleanup EXIT

PORT="$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
if [ "$DB" = postgresql ]; then
  DATABASE_URL="${FUZZ_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/fuzz}"
else
  DATABASE_URL="sqlite:///$TMP/fuzz.db"
fi
export APP_ENV=fuzz DATABASE_URL MEDIA_ROOT="$TMP/media" REDIS_URL="$REDIS" \
  PUBLIC_BASE_URL="$BASE" RATE_LIMITS_ENABLED=0 SECRET_KEY="fuzz-$(date +%s%N)" HOST=127.0.0.1 PORT="$PORT"
.venv/bin/python -c "import redis, os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"
if [ "$DB" = postgresql ]; then
  # A fresh schema, so the imported job is job 1 as on SQLite.
  .venv/bin/python -c "import os, psycopg2; c = psycopg2.connect(os.environ['DATABASE_URL']); c.autocommit = True
c.cursor().execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')"
fi
.venv/bin/flask --app wsgi db upgrade >/dev/null
.venv/bin/flask --app wsgi jobs import job_templates/backend-engineer.yaml >/dev/null
LINK="$(.venv/bin/flask --app wsgi invite --job 1 --name 李雷 --phone 13812345678 | sed -n 's/^面试链接 link: //p')"
TOKEN="${LINK##*/}"

.venv/bin/gunicorn -c config/gunicorn.py --workers 2 --threads 4 --access-logfile /dev/null \
  --error-logfile "$TMP/gunicorn.log" wsgi:app &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

AUTH="Authorization: Bearer $TOKEN"
API="$BASE/mp/api/v1"
curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$API/consent" \
  -d '{"recording": true, "biometric": false, "text_version": "'"$(curl -sf -H "$AUTH" "$API/interview" \
  | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["consent"]["version"])')"'"}' >/dev/null
curl -sf -H "$AUTH" -H 'Content-Type: application/json' "$API/identity" \
  -d '{"name": "李雷", "phone_last4": "5678"}' >/dev/null
curl -sf -H "$AUTH" -X POST "$API/device-check" >/dev/null

set +e
"$FUZZ_VENV/bin/schemathesis" run "$API/openapi.json" --url "$API" -H "$AUTH" --checks not_a_server_error \
  --max-examples "$EXAMPLES" --max-time "$MAX_TIME" --seed "$SEED" --phases examples,coverage,fuzzing \
  --report ndjson --report-ndjson-path "$TMP/events.ndjson" > "$TMP/schemathesis.log" 2>&1
STATUS=$?
set -e
tail -n 25 "$TMP/schemathesis.log"
.venv/bin/python bench/fuzz_table.py "$TMP/events.ndjson" "$STATUS" "$MAX_TIME" "$EXAMPLES" "$SEED" \
  "$SCHEMATHESIS_VERSION" "$DB"
if grep -q "Traceback" "$TMP/gunicorn.log"; then
  echo "server errors logged by gunicorn:"; grep -A3 "unhandled error" "$TMP/gunicorn.log" | head -40
fi
exit "$STATUS"
