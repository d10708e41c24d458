#!/usr/bin/env bash
# Fuzz the mini-program JSON API (/mp/api/v1, from its OpenAPI document) with schemathesis, bounded in time.
#
#   bash bench/fuzz.sh            # FUZZ_MAX_TIME=120 FUZZ_MAX_EXAMPLES=40 FUZZ_SEED=14 by default
#
# schemathesis lives in its own virtualenv (.fuzz-venv, made on first use) so its pins never touch .venv.
# The app runs under gunicorn on loopback with a temporary SQLite database and media folder, Redis DB 11
# (FUZZ_REDIS_URL; flushed) and rate limits off (they would turn the fuzzing into 429s). One candidate is invited
# and taken through consent, identity and the device check, so the question and upload operations are reachable.
# The check is `not_a_server_error`: any 5xx fails the run. Prints a table per operation and writes
# bench/results/fuzz.md.
set -euo pipefail
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
export APP_ENV=fuzz DATABASE_URL="sqlite:///$TMP/fuzz.db" MEDIA_ROOT="$TMP/media" REDIS_URL="$REDIS" \
  PUBLIC_BASE_URL="$BASE" RATE_LIMITS_ENABLED=0 SECRET_KEY="fuzz-$(date +%s%N)" HOST=127.0.0.1 PORT="$PORT"
.venv/bin/python -c "import redis, os; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"
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
  "$SCHEMATHESIS_VERSION"
if grep -q "Traceback" "$TMP/gunicorn.log"; then
  echo "server errors logged by gunicorn:"; grep -A3 "unhandled error" "$TMP/gunicorn.log" | head -40
fi
exit "$STATUS"
