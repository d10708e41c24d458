#!/usr/bin/env bash
# Install what is missing, start Redis, PostgreSQL and SeaweedFS (S3) if they are down, then run the whole test suite (on every core).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
bash scripts/services.sh --postgres --s3
# One pytest worker per core (pytest-xdist), each with its own Redis db and PostgreSQL database
# (tests/support/app.py); a test file's tests stay on one worker. TEST_WORKERS=0 runs in this process alone.
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"
