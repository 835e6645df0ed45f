#!/usr/bin/env bash
# Real OCI registries on loopback for the tests (docker-registry = distribution 2.8, filesystem storage).
#
#   scripts/registry.sh start   install if needed, start what is not running, print `export K=V` lines on stdout
#   scripts/registry.sh env     print the `export K=V` lines only
#   scripts/registry.sh stop    stop the registries this script started (by their pidfiles), keep their data
#   scripts/registry.sh status  say which are running
#
# Registries (all under $LAYERWISE_REGISTRY_ROOT, default ${TMPDIR:-/tmp}/layerwise-registry; shared by every
# checkout on the machine, so a second `start` just finds them running):
#   127.0.0.1:5000  open
#   127.0.0.1:5001  htpasswd basic auth
#   127.0.0.1:5002  htpasswd basic auth + the `redirect` storage middleware: blob GETs get a 307 to
#                   http://127.0.0.1:5003/<storage path> (the tests serve the storage folder there, like a CDN)
#   127.0.0.1:5004  token auth: trusts JWTs signed by $ROOT/token/key.pem; the realm http://127.0.0.1:5005/token is
#                   served by the tests' own token server (test/support/token-server.ts)
# Only processes whose pidfile and command line both point into $ROOT are ever stopped; anything else already
# listening on one of the ports is reported, never touched.
set -euo pipefail

ROOT="${LAYERWISE_REGISTRY_ROOT:-${TMPDIR:-/tmp}/layerwise-registry}"
HOST=127.0.0.1
USER_NAME=layerwise
# A throwaway password for throwaway loopback registries; tests read it from the exports.
PASSWORD=layerwise-test-password
SERVICE=layerwise-test-registry
ISSUER=layerwise-test-issuer
NAMES=(open basic redirect token)
declare -A PORT=([open]=5000 [basic]=5001 [redirect]=5002 [token]=5004)
BLOB_PORT=5003
TOKEN_PORT=5005

log() { echo "registry.sh: $*" >&2; }

print_env() {
  cat <<EOF
export LAYERWISE_TEST_REGISTRY=$HOST:${PORT[open]}
export LAYERWISE_TEST_REGISTRY_BASIC=$HOST:${PORT[basic]}
export LAYERWISE_TEST_REGISTRY_USER=$USER_NAME
export LAYERWISE_TEST_REGISTRY_PASSWORD=$PASSWORD
export LAYERWISE_TEST_REGISTRY_REDIRECT=$HOST:${PORT[redirect]}
export LAYERWISE_TEST_REGISTRY_REDIRECT_STORAGE=$ROOT/redirect/storage
export LAYERWISE_TEST_BLOB_SERVER=$HOST:$BLOB_PORT
export LAYERWISE_TEST_REGISTRY_TOKEN=$HOST:${PORT[token]}
export LAYERWISE_TEST_TOKEN_SERVER=$HOST:$TOKEN_PORT
export LAYERWISE_TEST_TOKEN_KEY=$ROOT/token/key.pem
export LAYERWISE_TEST_TOKEN_CERT=$ROOT/token/cert.pem
export LAYERWISE_TEST_TOKEN_SERVICE=$SERVICE
export LAYERWISE_TEST_TOKEN_ISSUER=$ISSUER
EOF
}

install_packages() {
  local missing=()
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v openssl >/dev/null || missing+=(openssl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "missing ${missing[*]}: install them (Debian: apt-get install -y docker-registry skopeo apache2-utils openssl)"
    exit 1
  fi
  log "installing ${missing[*]}"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "${missing[@]}" >&2
}

# The pid of a registry we started and that still runs, or nothing (a dead or foreign pidfile is removed).
running_pid() {
  local name=$1 pidfile="$ROOT/$1/registry.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$ROOT/$name/config.yml"; then
    echo "$pid"
  else
    log "removing stale pidfile of the $name registry (pid ${pid:-?} is gone)"
    rm -f "$pidfile"
  fi
}

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

answers() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.status === 200 || r.status === 401 ? 0 : 1), () => process.exit(1))' \
    "http://$HOST:$1/v2/"
}

write_config() {
  local name=$1 dir="$ROOT/$1" auth="" middleware=""
  case "$name" in
  basic | redirect) auth="auth:
  htpasswd:
    realm: layerwise-$name
    path: $ROOT/htpasswd" ;;
  token) auth="auth:
  token:
    realm: http://$HOST:$TOKEN_PORT/token
    service: $SERVICE
    issuer: $ISSUER
    rootcertbundle: $ROOT/token/cert.pem" ;;
  esac
  if [ "$name" = redirect ]; then
    middleware="middleware:
  storage:
    - name: redirect
      options:
        baseurl: http://$HOST:$BLOB_PORT/"
  fi
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml.new" <<EOF
# Written by scripts/registry.sh; regenerated on every start.
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $HOST:${PORT[$name]}
  secret: layerwise-test-$name
$auth
$middleware
EOF
  mv "$dir/config.yml.new" "$dir/config.yml"
}

prepare_secrets() {
  mkdir -p "$ROOT/token"
  if [ ! -s "$ROOT/htpasswd" ]; then
    htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$ROOT/htpasswd.new" 2>/dev/null
    mv "$ROOT/htpasswd.new" "$ROOT/htpasswd"
  fi
  if [ ! -s "$ROOT/token/cert.pem" ] || [ ! -s "$ROOT/token/key.pem" ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$ISSUER" \
      -keyout "$ROOT/token/key.pem.new" -out "$ROOT/token/cert.pem.new" 2>/dev/null
    mv "$ROOT/token/key.pem.new" "$ROOT/token/key.pem"
    mv "$ROOT/token/cert.pem.new" "$ROOT/token/cert.pem"
  fi
}

start_one() {
  local name=$1 port=${PORT[$1]} pid
  pid=$(running_pid "$name")
  if [ -n "$pid" ]; then
    return 0
  fi
  if port_busy "$port"; then
    log "port $port is already in use by a process this script did not start; not touching it"
    exit 1
  fi
  write_config "$name"
  setsid docker-registry serve "$ROOT/$name/config.yml" >>"$ROOT/$name/registry.log" 2>&1 </dev/null &
  echo $! >"$ROOT/$name/registry.pid"
  for _ in $(seq 1 100); do
    if answers "$port"; then
      log "started the $name registry on $HOST:$port (pid $(cat "$ROOT/$name/registry.pid"))"
      return 0
    fi
    if [ -z "$(running_pid "$name")" ]; then break; fi
    sleep 0.1
  done
  log "the $name registry did not come up; its log ($ROOT/$name/registry.log) ends with:"
  tail -n 20 "$ROOT/$name/registry.log" >&2 || true
  exit 1
}

stop_one() {
  local name=$1 pid
  pid=$(running_pid "$name")
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  [ -d "/proc/$pid" ] && kill -9 "$pid" 2>/dev/null || true
  rm -f "$ROOT/$name/registry.pid"
  log "stopped the $name registry (pid $pid)"
}

case "${1:-}" in
start)
  install_packages
  mkdir -p "$ROOT"
  prepare_secrets
  for name in "${NAMES[@]}"; do start_one "$name"; done
  print_env
  ;;
stop)
  [ -d "$ROOT" ] || exit 0
  for name in "${NAMES[@]}"; do stop_one "$name"; done
  ;;
env)
  print_env
  ;;
status)
  for name in "${NAMES[@]}"; do
    pid=$([ -d "$ROOT" ] && running_pid "$name" || true)
    if [ -n "$pid" ]; then echo "$name $HOST:${PORT[$name]} running (pid $pid)"; else echo "$name $HOST:${PORT[$name]} stopped"; fi
  done
  ;;
*)
  echo "usage: scripts/registry.sh start|stop|env|status" >&2
  exit 2
  ;;
esac
