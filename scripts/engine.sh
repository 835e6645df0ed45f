#!/usr/bin/env bash
# A real Docker engine (with BuildKit and buildx) for layerwise's real-engine tests, CI and the evidence scripts.
#
#   scripts/engine.sh start    use the engine that answers at $DOCKER_HOST (or the default socket); otherwise, on
#                              Debian as root, provision and start our own modern engine (see below). Idempotent.
#   scripts/engine.sh stop     stop the engine this script started (and remove its bridge and NAT rules)
#   scripts/engine.sh status   exit 0 when an engine answers (details on stderr)
#   scripts/engine.sh env      the exports for the engine that answers, without starting anything
#
# stdout carries only `export K=V` lines, so callers can `eval "$(scripts/engine.sh start)"` (.ci/run does);
# progress goes to stderr.
#
# Our own engine: Debian sid's docker.io 28.5 (BuildKit ~0.25: COPY --link, heredocs, RUN --mount, # check=) with
# sid's containerd, docker-cli, docker-buildx and tini-static. The packages are fetched with a private apt state
# folder (the host's sources and dpkg database are untouched) and unpacked with `dpkg-deb -x`; dockerd runs with the
# host's own runc (sid's needs a newer glibc than bookworm's), private data/exec roots, socket and bridge, and
# --iptables=false plus three commented NAT rules of its own. No registry is reachable, so the base image
# `debian:bookworm` is debootstrapped once, trimmed and imported; its rootfs tarball stays in the state folder so a
# restart on the same machine takes seconds. Everything lives under $LAYERWISE_ENGINE_DIR; nothing outside it is
# changed except the bridges, the NAT rules and (if it was off) net.ipv4.ip_forward.
#
# A second dockerd of the same build runs beside it with the containerd image store (daemon.json
# `"features": {"containerd-snapshotter": true}`; its own containerd, data/exec roots, socket and bridge), exported as
# LAYERWISE_ENGINE_CONTAINERD=unix://…: `COPY --link` is keyed differently there (a copy onto scratch plus a merge),
# and it is the default store of Docker 29+ and Docker Desktop. It shares the unpacked packages and the base image
# tarball, so it costs seconds (a start and a `docker import`).
#
# Knobs: LAYERWISE_ENGINE_DIR (${TMPDIR:-/tmp}/layerwise-engine)  LAYERWISE_ENGINE_SUITE (sid; trixie = Docker 26.1)
#        LAYERWISE_ENGINE_BRIDGE (lwdocker0)  LAYERWISE_ENGINE_CIDR (172.29.0.1/24)
#        LAYERWISE_ENGINE_OWN=1 (skip the probe of $DOCKER_HOST / the default socket: always use our own engine)
#        LAYERWISE_ENGINE_CONTAINERD_STORE=0 (no second engine)  LAYERWISE_ENGINE_CONTAINERD_BRIDGE (lwdocker1)
#        LAYERWISE_ENGINE_CONTAINERD_CIDR (172.29.1.1/24)
set -euo pipefail

ACTION=${1:-start}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
STATE=${LAYERWISE_ENGINE_DIR:-${TMPDIR:-/tmp}/layerwise-engine}
SUITE=${LAYERWISE_ENGINE_SUITE:-sid}
ROOT=$STATE/$SUITE/root          # the unpacked .debs
BIN=$STATE/$SUITE/bin            # what dockerd finds on its PATH (containerd, runc, docker-init, docker-proxy)
CLI=$STATE/cli                   # a PATH folder holding only our docker client
CONFIG=$STATE/docker-config      # DOCKER_CONFIG: holds the buildx plugin
SOCK=$STATE/docker.sock
PIDFILE=$STATE/dockerd.pid
BRIDGE=${LAYERWISE_ENGINE_BRIDGE:-lwdocker0}
CIDR=${LAYERWISE_ENGINE_CIDR:-172.29.0.1/24}
NAT_TAG=layerwise-engine
# The second engine (containerd image store): state under $CSTATE, its own bridge and subnet.
CSTATE=$STATE/containerd-store
CSOCK=$CSTATE/docker.sock
CPIDFILE=$CSTATE/dockerd.pid
CBRIDGE=${LAYERWISE_ENGINE_CONTAINERD_BRIDGE:-lwdocker1}
CCIDR=${LAYERWISE_ENGINE_CONTAINERD_CIDR:-172.29.1.1/24}
WANT_CSTORE=${LAYERWISE_ENGINE_CONTAINERD_STORE:-1}
export DEBIAN_FRONTEND=noninteractive

T0=$(date +%s)
log() { echo "[engine] +$(($(date +%s) - T0))s $*" >&2; }
die() {
  echo "[engine] ERROR: $*" >&2
  exit 1
}
emit() { printf 'export %s=%q\n' "$1" "$2"; }

# --- an engine that already answers ------------------------------------------------------------------------------

# The client to probe with: ours when provisioned, else whatever `docker` is on PATH.
probe_client() {
  if [ -x "$CLI/docker" ]; then echo "$CLI/docker"; else command -v docker || true; fi
}

answers() { # $1 = DOCKER_HOST value
  local client
  client=$(probe_client)
  [ -n "$client" ] && DOCKER_HOST=$1 timeout 20 "$client" info >/dev/null 2>&1
}

# A pidfile counts only if its process is the dockerd started with exactly that pidfile (pids wrap around).
dockerd_alive() { # $1 = pidfile
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = dockerd ] &&
    tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | grep -q -- "--pidfile $1 "
}
own_engine_alive() { dockerd_alive "$PIDFILE"; }
cstore_alive() { dockerd_alive "$CPIDFILE" && answers "unix://$CSOCK"; }

own_exports() {
  emit DOCKER_HOST "unix://$SOCK"
  emit DOCKER_CONFIG "$CONFIG"
  case ":$PATH:" in
  *":$CLI:"*) emit PATH "$PATH" ;;
  *) emit PATH "$CLI:$PATH" ;;
  esac
  emit DOCKER_BUILDKIT 1
  emit LAYERWISE_ENGINE 1
  emit LAYERWISE_ENGINE_DIR "$STATE"
  # Bookworm's docker 20.10 client (no buildx): for the tests of the plain-progress path.
  [ -x "$STATE/old-client/docker" ] && emit LAYERWISE_DOCKER_NO_BUILDX "$STATE/old-client/docker"
  # The same engine with the containerd image store (the tests of `--link` on that store).
  cstore_alive && emit LAYERWISE_ENGINE_CONTAINERD "unix://$CSOCK"
  return 0
}

# Prints the exports for an engine that answers now and returns 0; returns 1 when none does.
exports_for_running_engine() {
  if own_engine_alive && answers "unix://$SOCK"; then
    own_exports
    return 0
  fi
  [ "${LAYERWISE_ENGINE_OWN:-0}" = 1 ] && return 1
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  [ "$host" = "unix://$SOCK" ] && return 1 # ours, but not (fully) up: `start` provisions what is missing
  if answers "$host"; then
    log "using the engine at $host ($(DOCKER_HOST=$host "$(probe_client)" version --format 'server {{.Server.Version}}, client {{.Client.Version}}' 2>/dev/null))"
    emit DOCKER_HOST "$host"
    emit DOCKER_BUILDKIT 1
    emit LAYERWISE_ENGINE 1
    return 0
  fi
  return 1
}

# --- stop / status / env -----------------------------------------------------------------------------------------

remove_network() { # $1 = bridge, $2 = its address/prefix, $3 = the marker saying we created the bridge
  local bridge=$1 subnet=${2%.*}.0/${2#*/} c=(-m comment --comment "$NAT_TAG")
  if command -v iptables >/dev/null; then
    while iptables -t nat -D POSTROUTING -s "$subnet" ! -o "$bridge" "${c[@]}" -j MASQUERADE 2>/dev/null; do :; done
    while iptables -D FORWARD -o "$bridge" -m conntrack --ctstate RELATED,ESTABLISHED "${c[@]}" -j ACCEPT 2>/dev/null; do :; done
    while iptables -D FORWARD -i "$bridge" "${c[@]}" -j ACCEPT 2>/dev/null; do :; done
  fi
  if [ -f "$3" ]; then
    ip link del "$bridge" 2>/dev/null || true
    rm -f "$3"
  fi
}

stop_dockerd() { # $1 = pidfile, $2 = socket
  if dockerd_alive "$1"; then
    local pid
    pid=$(cat "$1")
    log "stopping dockerd (pid $pid, $2)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      [ -e /proc/"$pid" ] || break
      sleep 0.5
    done
    [ -e /proc/"$pid" ] && die "dockerd $pid did not exit within 30 s"
  fi
  rm -f "$1" "$2"
}

stop_engine() {
  stop_dockerd "$CPIDFILE" "$CSOCK"
  remove_network "$CBRIDGE" "$CCIDR" "$CSTATE/bridge-created"
  stop_dockerd "$PIDFILE" "$SOCK"
  remove_network "$BRIDGE" "$CIDR" "$STATE/bridge-created"
  log "stopped"
}

mkdir -p "$STATE"
# One start/stop at a time: several worktrees and test runs share this engine.
exec 9>"$STATE/lock"
flock 9

case $ACTION in
start) ;;
stop)
  stop_engine
  exit 0
  ;;
status)
  if own_engine_alive && answers "unix://$SOCK"; then
    log "own engine: dockerd pid $(cat "$PIDFILE"), socket $SOCK, server $("$CLI/docker" -H "unix://$SOCK" version --format '{{.Server.Version}}')"
    if cstore_alive; then
      log "containerd image store engine: dockerd pid $(cat "$CPIDFILE"), socket $CSOCK"
    else
      log "containerd image store engine: not running"
    fi
    exit 0
  fi
  if answers "${DOCKER_HOST:-unix:///var/run/docker.sock}"; then
    log "an engine answers at ${DOCKER_HOST:-unix:///var/run/docker.sock}"
    exit 0
  fi
  log "no engine answers"
  exit 1
  ;;
env)
  exports_for_running_engine || die "no engine answers; run: scripts/engine.sh start"
  if [ -x "$HERE/registry.sh" ]; then "$HERE/registry.sh" env 9>&- | grep '^export ' || true; fi
  exit 0
  ;;
*) die "usage: $0 start|stop|status|env" ;;
esac

# --- start -------------------------------------------------------------------------------------------------------

start_registry() {
  [ -x "$HERE/registry.sh" ] || return 0
  log "starting the registry (scripts/registry.sh start)"
  local out
  out=$(eval "$1" && "$HERE/registry.sh" start 9>&-) || die "scripts/registry.sh start failed"
  printf '%s\n' "$out" | grep '^export ' || true
}

# Ours already up and complete, or another engine: only the exports. (Ours up but incomplete, e.g. set up by an
# older version of this script: fall through; every step below skips what is already there.)
own_engine_complete() {
  [ -x "$STATE/old-client/docker" ] && { [ "$WANT_CSTORE" = 0 ] || cstore_alive; }
}
if { ! own_engine_alive || own_engine_complete; } && EXPORTS=$(exports_for_running_engine); then
  printf '%s\n' "$EXPORTS"
  start_registry "$EXPORTS"
  log "ready"
  exit 0
fi

[ "$(id -u)" = 0 ] || die "no Docker engine answers at ${DOCKER_HOST:-the default socket}, and provisioning one needs root"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
  die "no Docker engine answers, and provisioning one needs Debian (apt-get, dpkg-deb); start Docker and set DOCKER_HOST"

MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$MIRROR" ] || die "cannot find the Debian mirror apt uses (no sources file)"

# 1. host packages: the runc that matches the host's glibc, debootstrap for the base image, iptables for NAT.
missing=()
command -v debootstrap >/dev/null || missing+=(debootstrap)
command -v iptables >/dev/null || missing+=(iptables)
[ -x /usr/sbin/runc ] || missing+=(runc)
command -v ip >/dev/null || missing+=(iproute2)
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"$STATE/apt-install.log" 2>&1; then
    apt-get update -q >>"$STATE/apt-install.log" 2>&1 || true # a fresh machine may have no package lists yet
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$STATE/apt-install.log" 2>&1 ||
      {
        tail -20 "$STATE/apt-install.log" >&2
        die "apt-get install ${missing[*]} failed"
      }
  fi
fi

# Fetches packages of one Debian suite with a private apt state folder (the host's sources, lists and dpkg database
# are untouched) and unpacks them into a folder, once.   fetch_unpacked SUITE DEST PACKAGE...
fetch_unpacked() {
  local suite=$1 dest=$2
  shift 2
  [ -f "$dest/.debs" ] && return 0
  local apt_dir=$STATE/apt-$suite
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources" "$apt_dir/prefs"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$MIRROR" "$suite" >"$apt_dir/sources/$suite.sources"
  local apt_opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt_dir/sources"
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache"
    -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts="$apt_dir/prefs"
    -o APT::Sandbox::User=root -o Acquire::Check-Valid-Until=false)
  log "fetching the $suite package index from $MIRROR"
  apt-get "${apt_opts[@]}" update -q >"$apt_dir/update.log" 2>&1 ||
    {
      tail -20 "$apt_dir/update.log" >&2
      die "apt-get update ($suite)"
    }
  rm -rf "$apt_dir/debs"
  mkdir -p "$apt_dir/debs"
  log "downloading $* ($suite)"
  (cd "$apt_dir/debs" && apt-get "${apt_opts[@]}" download "${@/%//$suite}") >"$apt_dir/download.log" 2>&1 ||
    {
      tail -20 "$apt_dir/download.log" >&2
      die "apt-get download ($suite)"
    }
  rm -rf "$dest.tmp"
  mkdir -p "$dest.tmp"
  for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$dest.tmp"; done
  (cd "$apt_dir/debs" && ls ./*.deb) | sed 's,^\./,,' >"$dest.tmp/.debs"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  rm -rf "$apt_dir/debs" "$apt_dir/cache"
  log "unpacked $(tr '\n' ' ' <"$dest/.debs")"
}

# 2. the $SUITE engine, and bookworm's 20.10 client: the "old docker without buildx" whose only build output is
#    `--progress=plain` (it still drives this engine's BuildKit over API 1.41; tests check that reader with it).
fetch_unpacked "$SUITE" "$ROOT" docker.io docker-cli docker-buildx containerd tini-static
fetch_unpacked bookworm "$STATE/bookworm/root" docker.io
mkdir -p "$STATE/old-client"
ln -sfn "$STATE/bookworm/root/usr/bin/docker" "$STATE/old-client/docker"

# 3. the folders on dockerd's PATH and on the client's.
if [ ! -x "$BIN/dockerd" ]; then
  rm -rf "$BIN.tmp"
  mkdir -p "$BIN.tmp"
  for f in dockerd docker-proxy; do ln -s "$ROOT/usr/sbin/$f" "$BIN.tmp/$f"; done
  for f in "$ROOT"/usr/bin/containerd* "$ROOT/usr/bin/docker"; do ln -s "$f" "$BIN.tmp/${f##*/}"; done
  ln -s "$ROOT/usr/bin/tini-static" "$BIN.tmp/docker-init"
  ln -s /usr/sbin/runc "$BIN.tmp/runc" # the host's: built against the host's glibc
  for f in "$BIN.tmp"/*; do [ -x "$(readlink -f "$f")" ] || die "missing binary $(readlink -f "$f")"; done
  # A binary built for a newer glibc fails here, clearly, instead of deep inside a build.
  "$BIN.tmp/dockerd" --version >/dev/null 2>"$STATE/version-check.log" ||
    die "$SUITE's dockerd does not run on this host: $(head -3 "$STATE/version-check.log")"
  rm -rf "$BIN"
  mv "$BIN.tmp" "$BIN"
fi
mkdir -p "$CONFIG/cli-plugins" "$CLI"
ln -sfn "$ROOT/usr/libexec/docker/cli-plugins/docker-buildx" "$CONFIG/cli-plugins/docker-buildx"
ln -sfn "$BIN/docker" "$CLI/docker"

# 4. our own bridges and outbound NAT (never docker0 or the DOCKER* chains of another engine).
setup_network() { # $1 = bridge, $2 = its address/prefix, $3 = the marker saying we created the bridge
  local bridge=$1 cidr=$2 subnet=${2%.*}.0/${2#*/} nat=(-m comment --comment "$NAT_TAG")
  mkdir -p "${3%/*}"
  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add name "$bridge" type bridge
    touch "$3"
  fi
  ip -4 addr show dev "$bridge" | grep -q "inet $cidr " || ip addr add "$cidr" dev "$bridge"
  ip link set "$bridge" up
  iptables -t nat -C POSTROUTING -s "$subnet" ! -o "$bridge" "${nat[@]}" -j MASQUERADE 2>/dev/null ||
    iptables -t nat -A POSTROUTING -s "$subnet" ! -o "$bridge" "${nat[@]}" -j MASQUERADE
  iptables -C FORWARD -o "$bridge" -m conntrack --ctstate RELATED,ESTABLISHED "${nat[@]}" -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD 1 -o "$bridge" -m conntrack --ctstate RELATED,ESTABLISHED "${nat[@]}" -j ACCEPT
  iptables -C FORWARD -i "$bridge" "${nat[@]}" -j ACCEPT 2>/dev/null || iptables -I FORWARD 1 -i "$bridge" "${nat[@]}" -j ACCEPT
}
setup_network "$BRIDGE" "$CIDR" "$STATE/bridge-created"
if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then
  log "enabling net.ipv4.ip_forward (containers need it to reach the mirror)"
  echo 1 >/proc/sys/net/ipv4/ip_forward
fi

# 5. dockerd (a dead pidfile or a stale socket from a killed daemon is cleared first).
#    start_dockerd DIR PIDFILE SOCKET BRIDGE DAEMON_JSON: DIR holds data/, exec/, daemon.json and dockerd.log.
start_dockerd() {
  local dir=$1 pidfile=$2 sock=$3 bridge=$4
  mkdir -p "$dir"
  # Our own config file keeps /etc/docker/daemon.json out of it.
  if [ "$(cat "$dir/daemon.json" 2>/dev/null)" != "$5" ]; then
    echo "$5" >"$dir/daemon.json"
    dockerd_alive "$pidfile" && log "$dir/daemon.json changed: applies after scripts/engine.sh stop && scripts/engine.sh start"
  fi
  if ! dockerd_alive "$pidfile"; then
    rm -f "$pidfile" "$sock"
    mkdir -p "$dir/data" "$dir/exec"
    [ -f "$dir/dockerd.log" ] && mv -f "$dir/dockerd.log" "$dir/dockerd.log.1"
    log "starting dockerd ($sock)"
    PATH=$BIN:/usr/sbin:/usr/bin:/sbin:/bin nohup setsid "$BIN/dockerd" \
      --config-file "$dir/daemon.json" \
      --data-root "$dir/data" \
      --exec-root "$dir/exec" \
      --pidfile "$pidfile" \
      -H "unix://$sock" \
      --bridge "$bridge" --iptables=false --ip6tables=false \
      --init-path "$BIN/docker-init" \
      --userland-proxy-path "$BIN/docker-proxy" \
      >"$dir/dockerd.log" 2>&1 </dev/null 9>&- &
  fi
  for _ in $(seq 1 120); do
    answers "unix://$sock" && return 0
    sleep 0.5
  done
  tail -30 "$dir/dockerd.log" >&2
  die "dockerd did not answer on $sock within 60 s"
}
start_dockerd "$STATE" "$PIDFILE" "$SOCK" "$BRIDGE" '{}'
DOCKER() { DOCKER_HOST=${ENGINE_HOST:-unix://$SOCK} DOCKER_CONFIG=$CONFIG "$CLI/docker" "$@"; }
log "dockerd up: pid $(cat "$PIDFILE"), server $(DOCKER version --format '{{.Server.Version}}'), $(DOCKER buildx version 2>/dev/null | awk '{print $1, $2}')"

# 6. the base image debian:bookworm, debootstrapped once; the rootfs tarball is kept for fast re-imports.
tarball=$STATE/bookworm-rootfs.tar
make_rootfs_tarball() {
  if [ ! -s "$tarball" ]; then
    rootfs=$STATE/rootfs
    rm -rf "$rootfs"
    log "debootstrap bookworm from $MIRROR (about a minute)"
    debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >"$STATE/debootstrap.log" 2>&1 ||
      {
        tail -20 "$STATE/debootstrap.log" >&2
        die "debootstrap failed"
      }
    rm -f "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/usr/share/doc/* \
      "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
    mkdir -p "$rootfs/var/lib/apt/lists/partial"
    # The host's apt sources (the mirror that is reachable here), and no expiry check: the mirror may be a snapshot.
    if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
      cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/"
      rm -f "$rootfs/etc/apt/sources.list"
    elif [ -f /etc/apt/sources.list ]; then
      cp /etc/apt/sources.list "$rootfs/etc/apt/sources.list"
    fi
    printf 'Acquire::Check-Valid-Until "false";\n' >"$rootfs/etc/apt/apt.conf.d/99no-check-valid-until"
    # As the official image does: no package caches or translations left in layers.
    cat >"$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
    echo 'Acquire::Languages "none";' >"$rootfs/etc/apt/apt.conf.d/docker-no-languages"
    # HTTPS egress may be TLS-intercepted: seed the host's extra CAs (used once the image installs ca-certificates).
    if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
      mkdir -p "$rootfs/usr/local/share/ca-certificates"
      cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
    fi
    : >"$rootfs/etc/resolv.conf"
    : >"$rootfs/etc/hostname"
    tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs"
  fi
}
import_base() { # into the engine at $ENGINE_HOST (default: ours)
  if ! DOCKER image inspect debian:bookworm >/dev/null 2>&1; then
    make_rootfs_tarball
    log "importing debian:bookworm (${ENGINE_HOST:-unix://$SOCK})"
    DOCKER import --change 'CMD ["bash"]' "$tarball" debian:bookworm >/dev/null
  fi
  log "base image debian:bookworm $(DOCKER image inspect debian:bookworm --format '{{.Id}}') (${ENGINE_HOST:-unix://$SOCK})"
}
import_base

# 7. the second engine, with the containerd image store (same binaries, same base image tarball).
if [ "$WANT_CSTORE" != 0 ]; then
  setup_network "$CBRIDGE" "$CCIDR" "$CSTATE/bridge-created"
  # It also grants the security.insecure entitlement (`RUN --security=insecure` with `--allow security.insecure`):
  # Docker 28.5's built-in Dockerfile frontend (BuildKit 0.25) still refuses the flag itself (it is labs-only before
  # Dockerfile 1.20 / BuildKit 0.26), but the test of it (test/cache/engine-security.test.ts) then shows exactly that.
  start_dockerd "$CSTATE" "$CPIDFILE" "$CSOCK" "$CBRIDGE" \
    '{"features": {"containerd-snapshotter": true}, "builder": {"entitlements": {"security-insecure": true}}}'
  ENGINE_HOST=unix://$CSOCK
  DOCKER info --format '{{.Driver}} {{json .DriverStatus}}' | grep -q snapshotter ||
    die "the engine at $CSOCK does not use the containerd image store: $(DOCKER info --format '{{.Driver}}')"
  import_base
  unset ENGINE_HOST
fi

own_exports
start_registry "$(own_exports)"
log "ready: DOCKER_HOST=unix://$SOCK"
