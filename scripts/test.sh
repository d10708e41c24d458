#!/usr/bin/env bash
# Install what is missing, start Redis and PostgreSQL if they are down, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh --postgres
exec .venv/bin/python -m pytest "$@"
