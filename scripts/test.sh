#!/usr/bin/env bash
# The whole test suite: installs what is missing, then runs pytest on SQLite and PostgreSQL.
# PostgreSQL: 127.0.0.1:5432, user postgres (PORTAL_TEST_POSTGRES_URL overrides). Without it the
# PostgreSQL tests are skipped with the reason shown; with CI=true they fail instead.
# Extra arguments go to pytest, e.g.: bash scripts/test.sh -k iptal
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
exec "$VENV/bin/python" -m pytest "$@"
