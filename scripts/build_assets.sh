#!/usr/bin/env bash
# Install the npm front-end packages (WeUI, ECharts) and copy what the pages serve into app/static/vendor/ (gitignored).
# Idempotent: safe to run on every install.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: apt-get install -y npm" >&2
  exit 1
fi
if [ ! -f node_modules/weui/dist/style/weui.min.css ] || [ ! -f node_modules/echarts/dist/echarts.min.js ] \
   || [ ! -f node_modules/fix-webm-duration/fix-webm-duration.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
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
echo "assets: app/static/vendor/echarts/echarts.min.js ($(wc -c < app/static/vendor/echarts/echarts.min.js) bytes)"
echo "assets: app/static/vendor/weui/weui.min.css ($(wc -c < app/static/vendor/weui/weui.min.css) bytes)"
