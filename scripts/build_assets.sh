#!/usr/bin/env bash
# Install the npm front-end packages (WeUI, ECharts; axe-core for tests/browser/test_accessibility.py, read from
# node_modules and never served) and copy what the pages serve into app/static/vendor/ (gitignored).
# Idempotent: safe to run on every install.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: apt-get install -y npm" >&2
  exit 1
fi
if [ ! -f node_modules/weui/dist/style/weui.min.css ] || [ ! -f node_modules/echarts/dist/echarts.min.js ] \
   || [ ! -f node_modules/fix-webm-duration/fix-webm-duration.js ] || [ ! -f node_modules/axe-core/axe.min.js ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p app/static/vendor/weui
cp -f node_modules/weui/dist/style/weui.min.css app/static/vendor/weui/weui.min.css
# ECharts draws the radar chart on the manager's report page.
mkdir -p app/static/vendor/echarts
cp -f node_modules/echarts/dist/echarts.min.js app/static/vendor/echarts/echarts.min.js
# fix-webm-duration writes the measured duration into the candidate's review copy (MediaRecorder's WebM has none).
mkdir -p app/static/vendor/fix-webm-duration
cp -f node_modules/fix-webm-duration/fix-webm-duration.js app/static/vendor/fix-webm-duration/fix-webm-duration.js
# gzip copies of the vendored files (ECharts 1 MB -> ~330 KB); WhiteNoise sends them to browsers that accept gzip
# (app/web/static_files.py). Our own small files are left alone, so an edited file never meets a stale copy.
VENV_PY="${VENV:-.venv}/bin/python"
if [ -x "$VENV_PY" ] && "$VENV_PY" -c "import whitenoise" 2>/dev/null; then
  "$VENV_PY" -m whitenoise.compress --no-brotli --quiet app/static/vendor
fi
echo "assets: app/static/vendor/echarts/echarts.min.js ($(wc -c < app/static/vendor/echarts/echarts.min.js) bytes)"
echo "assets: app/static/vendor/weui/weui.min.css ($(wc -c < app/static/vendor/weui/weui.min.css) bytes)"
