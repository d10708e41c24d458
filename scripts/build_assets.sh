#!/usr/bin/env bash
# Install the npm front-end packages and copy what the H5 serves into app/static/vendor/ (gitignored).
# Idempotent: safe to run on every install.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: apt-get install -y npm" >&2
  exit 1
fi
if [ ! -f node_modules/weui/dist/style/weui.min.css ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p app/static/vendor/weui
cp -f node_modules/weui/dist/style/weui.min.css app/static/vendor/weui/weui.min.css
echo "assets: app/static/vendor/weui/weui.min.css ($(wc -c < app/static/vendor/weui/weui.min.css) bytes)"
