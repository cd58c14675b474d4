#!/usr/bin/env bash
# Installs what the portal needs on Debian/Ubuntu (as root, or with sudo) and prepares .venv.
# Idempotent: a second run only checks. Sourced by scripts/demo.sh and scripts/test.sh; with
# SETUP_TEST_SERVERS=1 (test.sh) also Debian's postgresql and redis-server packages.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Root yetkisi gerekli: şu paketleri kurunuz: $*" >&2; exit 1; fi
}

missing_system_packages() {
  local missing=()
  python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null || missing+=(python3)
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  [ -e /usr/lib/softhsm/libsofthsm2.so ] || missing+=(softhsm2)
  command -v xmlsec1 >/dev/null || missing+=(xmlsec1)
  command -v pkcs11-tool >/dev/null || missing+=(opensc)
  command -v npm >/dev/null || missing+=(nodejs npm)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # DejaVuSans: Turkish letters in PDFs (training handouts, verification reports)
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  if [ -n "${SETUP_TEST_SERVERS:-}" ]; then
    # Only scripts/test.sh (which sets SETUP_TEST_SERVERS=1): the demo runs on SQLite and an
    # embedded queue. scripts/services.sh starts throwaway servers from these binaries.
    { compgen -G '/usr/lib/postgresql/*/bin/initdb' && command -v psql && command -v pg_isready; } \
      >/dev/null || missing+=(postgresql)
    { command -v redis-server && command -v redis-cli; } >/dev/null || missing+=(redis-server)
  fi
  printf '%s\n' "${missing[@]}"
}

install_system_packages() {
  local packages
  packages=$(missing_system_packages | xargs)
  if [ -n "$packages" ]; then
    say "Sistem paketleri kuruluyor: $packages"
    as_root apt-get update -q
    # Installing Debian's postgresql would also create (and, with systemd, start) a "main"
    # cluster on 5432 that refuses password-less TCP logins; the tests start their own server
    # instead, so no cluster is created during this install (the drop-in is removed after it).
    local no_cluster=/etc/postgresql-common/createcluster.d/zz-ebelge-no-main-cluster.conf
    case " $packages " in *" postgresql "*)
      as_root mkdir -p "${no_cluster%/*}"
      echo "create_main_cluster = off" | as_root tee "$no_cluster" >/dev/null ;;
    esac
    local status=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $packages || status=$?
    [ ! -e "$no_cluster" ] || as_root rm -f "$no_cluster"
    [ "$status" -eq 0 ] || exit "$status"
  fi
}

install_python_packages() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "Python sanal ortamı oluşturuluyor: $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -e "$stamp" ]; then
    say "Python paketleri kuruluyor"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT[test]"
    rm -f "$VENV"/.installed-* && touch "$stamp"
  fi
}

install_web_assets() {
  # htmx comes from npm (pinned in package.json) and is served by the portal itself.
  local lock_stamp="$ROOT/node_modules/.ebelge-$(sha256sum "$ROOT/package-lock.json" | cut -c1-16)"
  if [ ! -e "$lock_stamp" ]; then
    say "Web paketleri kuruluyor (npm)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    touch "$lock_stamp"
  fi
  install -D -m 0644 "$ROOT/node_modules/htmx.org/dist/htmx.min.js" "$ROOT/app/static/vendor/htmx.min.js"
}

install_system_packages
install_python_packages
install_web_assets
