#!/usr/bin/env bash
# Install what is missing, start Redis, PostgreSQL and SeaweedFS (S3) if they are down, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh --postgres --s3
exec .venv/bin/python -m pytest "$@"
