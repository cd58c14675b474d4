#!/usr/bin/env bash
# Starts the portal with demo data on the embedded defaults: SQLite under instance/, the
# embedded GİB simulator, a background-job worker (queue: instance/jobs.sqlite3) and SoftHSM demo
# tokens. Installs what is missing first.
# Stop with Ctrl+C. PORT (default 8000) and PORTAL_GIB_URL (a real/other GİB) may be set.
set -euo pipefail
GIB_PID="" WORKER_PID="" PORTAL_PID=""
# Ctrl+C (or a kill of this script) stops the portal, the worker and the simulator it started.
stop_children() { kill $PORTAL_PID $WORKER_PID $GIB_PID 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop_children EXIT
trap 'exit 130' INT TERM
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
if [ -z "${PORTAL_GIB_URL:-}" ]; then
  GIB_PORT="${GIB_PORT:-8089}"
  say "GİB simülatörü başlatılıyor: http://127.0.0.1:$GIB_PORT/"
  GIB_SIM_SEAL_PIN=999999 "$VENV/bin/python" -m app.gib.simulator --host 127.0.0.1 --port "$GIB_PORT" \
    --data "$PORTAL_INSTANCE_PATH/gib-simulator" \
    --trust-anchor "$PORTAL_INSTANCE_PATH/demo-pki/ca/root.pem" \
    --seal-token MM-3900383669 --softhsm-conf "$PORTAL_INSTANCE_PATH/demo-pki/softhsm2.conf" \
    --training \
    > "$PORTAL_INSTANCE_PATH/gib-simulator.log" 2>&1 &
  GIB_PID=$!
  export PORTAL_GIB_URL="http://127.0.0.1:$GIB_PORT"
  for _ in $(seq 1 50); do
    "$VENV/bin/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "$PORTAL_GIB_URL/api/v1/time" >/dev/null 2>&1 && break
    kill -0 "$GIB_PID" 2>/dev/null || { cat "$PORTAL_INSTANCE_PATH/gib-simulator.log"; exit 1; }
    sleep 0.2
  done
fi
say "Veritabanı şeması güncelleniyor"
"${FLASK[@]}" db upgrade
say "Demo verileri yükleniyor"
"${FLASK[@]}" demo-data

say "Arka plan işçisi başlatılıyor (günlük: $PORTAL_INSTANCE_PATH/worker.log)"
"$VENV/bin/python" -m app.jobs.worker --workers 2 > "$PORTAL_INSTANCE_PATH/worker.log" 2>&1 &
WORKER_PID=$!
sleep 1
kill -0 "$WORKER_PID" 2>/dev/null || { cat "$PORTAL_INSTANCE_PATH/worker.log"; exit 1; }

say "Portal: http://127.0.0.1:$PORT/"
# Its own control socket: the default (~/.gunicorn/gunicorn.ctl) is shared by every gunicorn of the user, and a
# second instance on this host (a training room runs several) would take over the first one's.
"$VENV/bin/gunicorn" --bind "127.0.0.1:$PORT" --workers 2 --threads 4 \
  --control-socket "$PORTAL_INSTANCE_PATH/gunicorn.ctl" \
  --access-logfile - wsgi:app &
PORTAL_PID=$!
wait "$PORTAL_PID"
