#!/usr/bin/env bash
# Starts the portal with demo data on the embedded defaults: SQLite under instance/, the
# embedded GİB simulator and SoftHSM demo tokens. Installs what is missing first.
# Stop with Ctrl+C. PORT (default 8000) and PORTAL_GIB_URL (a real/other GİB) may be set.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

export PORTAL_MODE="${PORTAL_MODE:-demo}"
export PORTAL_INSTANCE_PATH="${PORTAL_INSTANCE_PATH:-$ROOT/instance}"
PORT="${PORT:-8000}"
FLASK=("$VENV/bin/flask" --app wsgi)
mkdir -p "$PORTAL_INSTANCE_PATH"

say "Demo sertifikaları ve SoftHSM kartları hazırlanıyor"
"$VENV/bin/python" -m app.signing.demo_pki "$PORTAL_INSTANCE_PATH/demo-pki"
say "Veritabanı şeması güncelleniyor"
"${FLASK[@]}" db upgrade
say "Demo verileri yükleniyor"
"${FLASK[@]}" demo-data

say "Portal: http://127.0.0.1:$PORT/"
exec "$VENV/bin/gunicorn" --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --access-logfile - wsgi:app
