#!/usr/bin/env bash
# Install everything the product and its tests need on Debian with Python 3.11. Safe and quick to rerun:
# each step is skipped when what it installs is already there and unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
VENV="${VENV:-.venv}"

# 1. System packages (root on Debian): media tools, Redis, PostgreSQL for the tests, Chromium for the H5
#    tests and screenshots, Node.js for the front-end assets.
missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(nodejs npm)
# A Chinese font, so Chromium (browser tests, screenshots) renders the Chinese UI instead of boxes.
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[install] apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# pip here warns about each configured local index folder that lacks a package; keep the log readable.
quiet() { "$@" 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }; }

# 2. Python packages, reinstalled only when a requirements file changed.
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
stamp="$VENV/.installed-$(cat requirements/*.txt scripts/install_ml.sh | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "[install] python packages into $VENV"
  quiet "$VENV/bin/python" -m pip install --quiet --upgrade pip
  quiet "$VENV/bin/python" -m pip install --quiet -r requirements/dev.txt
  PYTHON="$VENV/bin/python" quiet bash scripts/install_ml.sh
  rm -f "$VENV"/.installed-* && touch "$stamp"
else
  # Model files live under instance/ (not in the venv): make sure they exist in this checkout.
  "$VENV/bin/python" scripts/install_models.py >/dev/null
fi

# 3. Front-end assets (WeUI) into app/static/vendor.
if [ -f scripts/build_assets.sh ]; then
  bash scripts/build_assets.sh
fi
echo "[install] done"
