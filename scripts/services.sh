#!/usr/bin/env bash
# The servers the tests need, sourced by scripts/test.sh (after scripts/setup.sh):
#   PostgreSQL at PORTAL_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test)
#   Redis at PORTAL_TEST_REDIS_URL (default redis://127.0.0.1:6379/0)
# start_test_servers: a server that already answers at its URL is used as is. When nothing
# listens on the URL's port and the host is this machine, a throwaway server is started from
# Debian's binaries in one temp directory: PostgreSQL with initdb + pg_ctl (as the postgres user
# when run as root; trust auth, TCP only, the URL's user and database), Redis with no
# persistence. A port held by something that is not a usable server of the right kind is an
# error. stop_test_servers (test.sh's EXIT trap) stops what was started and removes the directory.
set -euo pipefail

PORTAL_TEST_POSTGRES_URL="${PORTAL_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
PORTAL_TEST_REDIS_URL="${PORTAL_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}"
export PORTAL_TEST_POSTGRES_URL PORTAL_TEST_REDIS_URL

TEST_SERVERS_DIR=""      # temp directory of the servers started here ("" = none)
TEST_PG_BINDIR=""        # set while a throwaway PostgreSQL may be running
TEST_PG_DATA=""
TEST_REDIS_PIDFILE=""    # set while a throwaway Redis may be running
TEST_SERVERS_STARTED=()
TEST_SERVERS_REUSED=()

declare -F say >/dev/null || say() { printf '==> %s\n' "$*"; }
servers_fail() { printf 'HATA: %s\n' "$*" >&2; exit 1; }

# url_parts URL: scheme, host, port, user, password and database (path), one per line.
url_parts() {
  python3 - "$1" 2>/dev/null <<'PY'
import sys
from urllib.parse import unquote, urlsplit

u = urlsplit(sys.argv[1])
print(u.scheme, u.hostname or "", u.port or "", unquote(u.username or ""),
      unquote(u.password or ""), unquote(u.path.lstrip("/")), sep="\n")
PY
}

is_this_machine() { case "$1" in 127.0.0.1|localhost|::1) return 0 ;; *) return 1 ;; esac; }

# port_open HOST PORT: something accepts TCP connections there.
# shellcheck disable=SC2016  # $1/$2 are the inner bash's arguments
port_open() { timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

make_servers_dir() {
  [ -z "$TEST_SERVERS_DIR" ] || return 0
  TEST_SERVERS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/portal-test-servers.XXXXXX")
  chmod 0755 "$TEST_SERVERS_DIR"   # the postgres user must reach its data directory inside
}

# as_postgres CMD...: initdb and pg_ctl refuse to run as root.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$TEST_SERVERS_DIR" && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

ensure_postgres() {
  local url=$PORTAL_TEST_POSTGRES_URL parts scheme host port user db libpq err
  parts=$(url_parts "$url") || servers_fail "PORTAL_TEST_POSTGRES_URL okunamadı: $url"
  { read -r scheme; read -r host; read -r port; read -r user; read -r _; read -r db; } <<<"$parts"
  case "$scheme" in postgres|postgresql|postgresql+*) ;; *)
    servers_fail "PORTAL_TEST_POSTGRES_URL bir PostgreSQL adresi değil: $url" ;; esac
  [ -n "$host" ] || servers_fail "PORTAL_TEST_POSTGRES_URL bir makine adı içermiyor: $url"
  port=${port:-5432} user=${user:-postgres} db=${db:-$user}
  libpq="postgresql://${url#*://}"   # the SQLAlchemy URL without its +driver, for psql
  local where="PostgreSQL $host:$port"

  if err=$(PGCONNECT_TIMEOUT=3 psql "$libpq" -XAtqc 'SELECT 1' 2>&1 >/dev/null); then
    TEST_SERVERS_REUSED+=("$where"); return 0
  fi
  if port_open "$host" "$port"; then
    local ready=0
    pg_isready -q -h "$host" -p "$port" -t 3 || ready=$?
    if [ "$ready" -le 1 ]; then
      servers_fail "$where çalışıyor ama $user kullanıcısıyla $db veritabanına bağlanılamadı:" \
        "${err//$'\n'/ } — sunucuya trust yetkisi ve '$db' veritabanı ekleyiniz ya da" \
        "PORTAL_TEST_POSTGRES_URL ile boş bir port seçiniz (orada geçici sunucu başlatılır)."
    fi
    servers_fail "$host:$port portunu PostgreSQL olmayan bir program kullanıyor;" \
      "o programı durdurunuz ya da PORTAL_TEST_POSTGRES_URL ile boş bir port seçiniz."
  fi
  is_this_machine "$host" || servers_fail "$where adresine ulaşılamıyor: ${err//$'\n'/ }" \
    "(geçici sunucu yalnız bu makinede, 127.0.0.1 üzerinde başlatılabilir)."
  start_postgres "$host" "$port" "$user" "$db"
  TEST_SERVERS_STARTED+=("$where")
}

start_postgres() {
  local host=$1 port=$2 user=$3 db=$4 listen=127.0.0.1 initdb
  [ "$host" != "::1" ] || listen="::1"
  initdb=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1) ||
    servers_fail "PostgreSQL sunucu programları yok (/usr/lib/postgresql/*/bin/initdb): Debian'ın postgresql paketini kurunuz."
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    servers_fail "postgres kullanıcısı yok (initdb root olarak çalışmaz): Debian'ın postgresql paketini kurunuz."
  fi
  make_servers_dir
  local data="$TEST_SERVERS_DIR/postgresql" log="$TEST_SERVERS_DIR/postgresql.log"
  mkdir -m 0700 "$data"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$data"
  if ! as_postgres "${initdb%/*}/initdb" -D "$data" -U "$user" -A trust -E UTF8 --locale=C.UTF-8 \
      >"$TEST_SERVERS_DIR/initdb.log" 2>&1; then
    cat "$TEST_SERVERS_DIR/initdb.log" >&2
    servers_fail "Geçici PostgreSQL hazırlanamadı (initdb)."
  fi
  # TCP only (no socket in /var/run/postgresql); durability is pointless for a throwaway server.
  cat >>"$data/postgresql.conf" <<EOF

# portal test server (scripts/services.sh)
listen_addresses = '$listen'
port = $port
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  TEST_PG_BINDIR=${initdb%/*} TEST_PG_DATA=$data
  [ "$(id -u)" -ne 0 ] || { touch "$log"; chown postgres: "$log"; }
  if ! as_postgres "$TEST_PG_BINDIR/pg_ctl" -D "$data" -l "$log" -w -t 30 start >/dev/null; then
    tail -n 20 "$log" >&2
    servers_fail "Geçici PostgreSQL $listen:$port üzerinde başlatılamadı (günlük yukarıda)."
  fi
  case "$db" in postgres|template1) ;; *)   # initdb made these two
    "$TEST_PG_BINDIR/createdb" -h "$listen" -p "$port" -U "$user" -- "$db" ||
      servers_fail "Geçici PostgreSQL'de '$db' veritabanı oluşturulamadı." ;;
  esac
}

ensure_redis() {
  local url=$PORTAL_TEST_REDIS_URL parts scheme host port password out
  parts=$(url_parts "$url") || servers_fail "PORTAL_TEST_REDIS_URL okunamadı: $url"
  { read -r scheme; read -r host; read -r port; read -r _; read -r password; read -r _; } <<<"$parts"
  case "$scheme" in redis|rediss) ;; *) servers_fail "PORTAL_TEST_REDIS_URL bir Redis adresi değil: $url" ;; esac
  [ -n "$host" ] || servers_fail "PORTAL_TEST_REDIS_URL bir makine adı içermiyor: $url"
  port=${port:-6379}
  local where="Redis $host:$port"
  # redis-cli sends "AUTH '' password" for redis://:password@…; the tests' client means "default".
  local cli_url=${url/#$scheme:\/\/:/$scheme://default:}

  out=$(timeout 5 redis-cli --no-auth-warning -u "$cli_url" ping 2>&1) || true
  if [ "$out" = PONG ]; then
    TEST_SERVERS_REUSED+=("$where"); return 0
  fi
  if port_open "$host" "$port"; then
    servers_fail "$host:$port portunda PING'e PONG diyen bir Redis yok (yanıt: ${out:-yok});" \
      "o programı durdurunuz ya da PORTAL_TEST_REDIS_URL ile boş bir port seçiniz."
  fi
  if ! is_this_machine "$host" || [ "$scheme" != redis ]; then
    servers_fail "$where adresine ulaşılamıyor: ${out:-yanıt yok}" \
      "(geçici sunucu yalnız bu makinede, redis:// için başlatılabilir)."
  fi
  start_redis "$host" "$port" "$password" "$cli_url"
  TEST_SERVERS_STARTED+=("$where")
}

start_redis() {
  local host=$1 port=$2 password=$3 cli_url=$4 listen=127.0.0.1
  [ "$host" != "::1" ] || listen="::1"
  command -v redis-server >/dev/null || servers_fail "redis-server yok: Debian'ın redis-server paketini kurunuz."
  make_servers_dir
  local dir="$TEST_SERVERS_DIR/redis"
  mkdir -m 0700 "$dir"
  TEST_REDIS_PIDFILE="$dir/redis.pid"
  "$(command -v redis-server)" --port "$port" --bind "$listen" --save "" --appendonly no --daemonize yes \
    --dir "$dir" --pidfile "$TEST_REDIS_PIDFILE" --logfile "$dir/redis.log" \
    ${password:+--requirepass "$password"} ||
    servers_fail "Geçici Redis $listen:$port üzerinde başlatılamadı."
  for _ in $(seq 1 50); do
    [ "$(timeout 5 redis-cli --no-auth-warning -u "$cli_url" ping 2>/dev/null)" = PONG ] &&
      return 0
    sleep 0.1
  done
  tail -n 20 "$dir/redis.log" >&2 || true
  servers_fail "Geçici Redis $listen:$port üzerinde yanıt vermedi (günlük yukarıda)."
}

start_test_servers() {
  ensure_postgres
  ensure_redis
  local line started reused
  started=$(printf '%s, ' "${TEST_SERVERS_STARTED[@]}") reused=$(printf '%s, ' "${TEST_SERVERS_REUSED[@]}")
  if [ -n "$TEST_SERVERS_DIR" ]; then
    line="Geçici test sunucuları başlatıldı: ${started%, } ($TEST_SERVERS_DIR, testlerden sonra silinir)"
  else
    line="Geçici test sunucusu başlatılmadı"
  fi
  [ "$reused" = ", " ] || line+="; çalışan kullanılıyor: ${reused%, }"
  say "$line"
}

# Never fails: it runs from an EXIT trap and must not change the tests' exit code.
stop_test_servers() {
  local pid
  if [ -n "$TEST_REDIS_PIDFILE" ] && [ -s "$TEST_REDIS_PIDFILE" ]; then
    pid=$(cat "$TEST_REDIS_PIDFILE" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  TEST_REDIS_PIDFILE=""
  if [ -n "$TEST_PG_DATA" ] && [ -e "$TEST_PG_DATA/postmaster.pid" ]; then
    as_postgres "$TEST_PG_BINDIR/pg_ctl" -D "$TEST_PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  TEST_PG_DATA=""
  if [ -n "$TEST_SERVERS_DIR" ]; then rm -rf "$TEST_SERVERS_DIR" || true; fi
  TEST_SERVERS_DIR=""
  return 0
}
