#!/usr/bin/env bash
# The whole test suite in one command: installs what is missing (scripts/setup.sh, here also
# Debian's postgresql and redis-server), makes sure PostgreSQL and Redis answer, runs pytest.
# PostgreSQL: PORTAL_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
# Redis: PORTAL_TEST_REDIS_URL (default redis://127.0.0.1:6379/0). A server already answering
# there is used as is; when nothing listens on the (local) port, scripts/services.sh starts a
# throwaway one from Debian's binaries in a temp directory (PostgreSQL with trust auth and the
# URL's database, Redis without persistence) and stops and removes it when the tests end. A port
# held by something else is an error. The exit code is pytest's; "no tests ran" (pytest's 5) is a
# failure (1). Extra arguments go to pytest, e.g.: bash scripts/test.sh -k iptal
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SETUP_TEST_SERVERS=1
source "$ROOT/scripts/setup.sh"
source "$ROOT/scripts/services.sh"
cd "$ROOT"

trap 'status=$?; set +e; stop_test_servers; exit "$status"' EXIT
trap 'exit 130' INT TERM
start_test_servers

status=0
"$VENV/bin/python" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "HATA: pytest hiç test çalıştırmadı (pytest çıkış kodu 5): hiç test toplanmadı ya da seçim hiçbir teste uymadı." >&2
  exit 1
fi
exit "$status"
