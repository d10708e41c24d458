#!/usr/bin/env bash
# Install everything, then run the product: web (gunicorn) + workers + the WeCom sandbox, SQLite, a seeded demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh
export PATH="$PWD/.venv/bin:$PATH"
export PORT="${PORT:-5000}" SANDBOX_PORT="${SANDBOX_PORT:-5100}"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}"
export WECOM_API_BASE="${WECOM_API_BASE:-http://127.0.0.1:$SANDBOX_PORT/cgi-bin/}"
export SMS_ENDPOINT="${SMS_ENDPOINT:-http://127.0.0.1:$SANDBOX_PORT}"   # the sandbox speaks Tencent Cloud SMS
flask --app wsgi db upgrade
flask --app wsgi seed-demo | tee instance/demo-link.txt
# SYNTHETIC recruiting data for the analytics pages (jobs titled "[演示数据] …"), once; ANALYTICS_DEMO=0 skips it
if [ "${ANALYTICS_DEMO:-1}" = 1 ]; then flask --app wsgi analytics demo-data --once; fi
cat <<INFO

  候选人 H5 / candidate:   see the link above (open it in Chromium or on a phone on this network)
  HR 管理后台 / admin:      $PUBLIC_BASE_URL/admin/
  经理页面 / manager:       $PUBLIC_BASE_URL/m/
  WeCom 沙箱 / sandbox:     http://127.0.0.1:$SANDBOX_PORT/   (phones: /phone/zhangwei, /phone/hr_lina; SMS: /sms/<mobile>)
  Stop with Ctrl-C.
INFO
# Every process of Procfile.dev, each restarted (with a backoff and a log line) when it exits: a killed worker
# comes back instead of scoring silently stopping (honcho stopped everything instead).
# Models workers: one per core (docs/operations.md, sizing), two by default; MODEL_WORKERS=1 on a small laptop.
exec python scripts/supervise.py Procfile.dev --scale worker="${MODEL_WORKERS:-2}"
