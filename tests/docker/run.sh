#!/usr/bin/env bash
# run.sh - `make docker-test`: the portal's images and both compose files,
# end to end, on this machine.
#
#   tests/docker/run.sh
#
# 1. A Docker engine: the one at DOCKER_HOST (or /var/run/docker.sock) when
#    it answers; otherwise, as root, a dockerd of our own with a private
#    socket, data root and exec root, no docker0 bridge, no iptables rules
#    and no change to ip_forward.  When neither can run, prints
#    "make docker-test: skipped: <why>" and exits 0.
# 2. debian:bookworm-slim: pulled when a registry answers; otherwise built
#    with `debootstrap --variant=minbase` from the Debian mirror
#    (DEBIAN_MIRROR) and imported under that name.  The root filesystem is
#    cached as a tarball in build/docker-cache/ for the next run.
# 3. The five images (docker/Dockerfile), tagged portal/*:docker-test.
# 4. The tests in tests/docker/ (node --test): the one-host compose, then
#    the scaled one with its failovers.  Then fresh-machine.sh: a newcomer's
#    first `make run` in a bare bookworm container.
#    DOCKER_TEST_ONLY=compose or =fresh runs only that part.
# 5. On the way out, always: both compose projects down with their volumes,
#    and then either our dockerd stopped and its folders removed, or (on a
#    shared engine) the images we built removed.  Checks that no container,
#    bridge or iptables rule of ours is left.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKER=/usr/bin/docker          # Debian's docker.io client (not a newer one on PATH)
COMPOSE=docker-compose          # Debian's compose v1
TAG=docker-test
CACHE=${PORTAL_DOCKER_CACHE:-$ROOT/build/docker-cache}
WORK=${PORTAL_DOCKER_WORK:-$ROOT/build/docker-test}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
PREFIX="portaltest$$"           # compose project names: ${PREFIX}one, ${PREFIX}ha
LOGS=$WORK/logs
BUILD_CA=$ROOT/docker/build-ca/docker-test-host.crt
T0=$(date +%s)

log()  { printf 'docker-test: %s\n' "$*" >&2; }
skip() { printf 'make docker-test: skipped: %s\n' "$*"; printf 'fresh-machine: skipped: %s\n' "$*"; exit 0; }
fail() { printf 'make docker-test: FAILED: %s\n' "$*"; exit 1; }
since() { echo $(( $(date +%s) - T0 )); }

[ "$(uname -s)" = Linux ] || skip "Docker's engine needs Linux"
[ -x "$DOCKER" ] || skip "no Docker client at $DOCKER (Debian package docker.io; make deps installs it as root)"
command -v "$COMPOSE" >/dev/null || skip "no docker-compose (Debian package docker-compose)"
command -v node >/dev/null || skip "no node to run the tests"

mkdir -p "$WORK" "$CACHE"
rm -rf "$LOGS"; mkdir -p "$LOGS"

own_dockerd=0
ca_made=0
host_paths_new=()
dk_pid=
dk_exec=
bridges_before=
iptables_before=

# ---- the engine ---------------------------------------------------------------
engine_answers() { timeout 10 "$DOCKER" version >/dev/null 2>&1; }

if [ -z "${DOCKER_HOST:-}" ] && [ -S /var/run/docker.sock ]; then
  export DOCKER_HOST=unix:///var/run/docker.sock
fi
if [ -n "${DOCKER_HOST:-}" ] && engine_answers; then
  log "using the Docker engine at $DOCKER_HOST"
else
  [ "$(id -u)" -eq 0 ] || skip "no Docker engine answers, and starting one needs root"
  command -v dockerd >/dev/null || skip "no dockerd (Debian package docker.io)"
  own_dockerd=1
  # short paths: containerd's sockets live under the exec root
  dk_exec=$(mktemp -d /tmp/portal-dk.XXXXXX)
  export DOCKER_HOST="unix://$dk_exec/docker.sock"
  bridges_before=$(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | sort)
  # what dockerd makes outside its own folders, to remove if it was not there
  host_paths_new=()
  for f in /etc/docker /etc/docker/key.json /run/docker; do [ -e "$f" ] || host_paths_new+=("$f"); done
  iptables_before=$(iptables-save 2>/dev/null | grep -v '^#' | sort || true)
  mkdir -p "$WORK/data"
  setsid dockerd --data-root "$WORK/data" --exec-root "$dk_exec/exec" \
    --host "$DOCKER_HOST" --pidfile "$dk_exec/docker.pid" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    >"$LOGS/dockerd.log" 2>&1 < /dev/null &
  dk_pid=$!
fi

projects_down() {
  local p f
  for p in one ha; do
    f=$ROOT/docker/compose.yaml; [ $p = ha ] && f=$ROOT/docker/compose.ha.yaml
    PORTAL_TAG=$TAG timeout 120 "$COMPOSE" -p "$PREFIX$p" -f "$f" down -v --remove-orphans \
      >>"$LOGS/compose-down.log" 2>&1 || true
  done
}

cleanup() {
  local rc=$? left
  trap - EXIT INT TERM
  # every step below runs, whatever the one before it gave
  set +e +o pipefail
  [ "$ca_made" = 1 ] && rm -f "$BUILD_CA"
  if engine_answers; then
    projects_down
    left=$("$DOCKER" ps -aq --filter "label=com.docker.compose.project" 2>/dev/null |
           xargs -r "$DOCKER" inspect -f '{{index .Config.Labels "com.docker.compose.project"}}' 2>/dev/null |
           grep "^$PREFIX" || true)
    [ -z "$left" ] || { log "containers left behind: $left"; rc=1; }
    left=$("$DOCKER" volume ls -q --filter "label=com.docker.compose.project" 2>/dev/null |
           xargs -r "$DOCKER" volume inspect -f '{{index .Labels "com.docker.compose.project"}}' 2>/dev/null |
           grep "^$PREFIX" || true)
    [ -z "$left" ] || { log "volumes left behind: $left"; rc=1; }
    if [ $own_dockerd = 0 ]; then
      "$DOCKER" image rm "portal/portal:$TAG" "portal/nginx:$TAG" "portal/redis:$TAG" "portal/slapd:$TAG" \
        "portal/mail:$TAG" >/dev/null 2>&1 || true
    fi
  fi
  if [ $own_dockerd = 1 ]; then
    if [ -n "$dk_pid" ] && kill -0 "$dk_pid" 2>/dev/null; then
      kill -TERM "$dk_pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$dk_pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$dk_pid" 2>/dev/null && { log "dockerd did not stop: killing it"; kill -KILL "$dk_pid" 2>/dev/null || true; }
      wait "$dk_pid" 2>/dev/null || true
    fi
    # anything still mounted under our folders (after a dockerd that was killed)
    grep -oE " ($WORK/data|$dk_exec)[^ ]*" /proc/mounts 2>/dev/null | sort -r |
      while read -r m; do umount -l "$m" 2>/dev/null || true; done
    rm -rf "$WORK/data" "$dk_exec"
    local p b
    for p in "${host_paths_new[@]}"; do rm -rf "$p"; done
    if pgrep -f "$dk_exec" >/dev/null; then
      log "processes of our engine still running: $(pgrep -af "$dk_exec" | cut -c1-200 | tr '\n' ';')"; rc=1
    fi
    for b in $(comm -13 <(printf '%s\n' "$bridges_before") \
                        <(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | sort)); do
      case "$b" in br-*|docker0) log "removing bridge $b left by dockerd"; ip link del "$b" 2>/dev/null || true;; esac
    done
    if [ "$(iptables-save 2>/dev/null | grep -v '^#' | sort || true)" != "$iptables_before" ]; then
      log "iptables rules changed during the run"; rc=1
    fi
  fi
  if [ $rc -eq 0 ]; then
    printf 'make docker-test: passed in %s s, nothing left running\n' "$(since)"
  else
    printf 'make docker-test: FAILED (exit %s) after %s s; logs in %s\n' "$rc" "$(since)" "$LOGS"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ $own_dockerd = 1 ]; then
  for _ in $(seq 1 150); do engine_answers && break; kill -0 "$dk_pid" 2>/dev/null || break; sleep 0.2; done
  if ! engine_answers; then
    why=$(grep -iE 'level=(error|fatal)|failed' "$LOGS/dockerd.log" | tail -1 | cut -c1-200)
    trap - EXIT
    kill -TERM "$dk_pid" 2>/dev/null || true; wait "$dk_pid" 2>/dev/null || true
    rm -rf "$WORK/data" "$dk_exec"
    skip "dockerd could not start on this machine: ${why:-see $LOGS/dockerd.log}"
  fi
  log "started dockerd (pid $dk_pid) on $DOCKER_HOST after $(since) s"
fi

# ---- the base image -------------------------------------------------------------
base_from_debootstrap() {
  local tar=$CACHE/debian-bookworm-minbase.tar root=$WORK/rootfs
  if [ ! -s "$tar" ]; then
    command -v debootstrap >/dev/null || fail "no debootstrap to build debian:bookworm-slim (Debian package debootstrap)"
    [ "$(id -u)" -eq 0 ] || skip "building debian:bookworm-slim with debootstrap needs root"
    log "building debian:bookworm-slim with debootstrap --variant=minbase from $MIRROR"
    rm -rf "$root"
    debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 ||
      fail "debootstrap failed (see $LOGS/debootstrap.log)"
    # as the official slim image: Debian's own sources, no caches, docs or manuals
    rm -f "$root/etc/apt/sources.list"
    cat > "$root/etc/apt/sources.list.d/debian.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    cat > "$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
SLIM
    printf 'APT::Install-Recommends "false";\n' > "$root/etc/apt/apt.conf.d/docker-no-recommends"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/man/* \
           "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/tmp/*
    find "$root/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
    tar --numeric-owner -C "$root" -cf "$tar.tmp" . && mv "$tar.tmp" "$tar"
    rm -rf "$root"
  else
    log "debian:bookworm-slim from the cached $tar"
  fi
  "$DOCKER" import --change 'CMD ["bash"]' --message "debootstrap --variant=minbase bookworm" \
    "$tar" debian:bookworm-slim >/dev/null || fail "docker import of $tar failed"
}

if ! "$DOCKER" image inspect debian:bookworm-slim >/dev/null 2>&1; then
  if timeout 60 "$DOCKER" pull debian:bookworm-slim >"$LOGS/pull.log" 2>&1; then
    log "pulled debian:bookworm-slim"
  else
    log "no registry answers ($(tail -1 "$LOGS/pull.log" | cut -c1-120))"
    base_from_debootstrap
  fi
fi
log "base image ready after $(since) s"
# the engine must be able to run a container at all
if ! "$DOCKER" run --rm --network none debian:bookworm-slim true >"$LOGS/smoke.log" 2>&1; then
  skip "this machine's Docker engine cannot run a container: $(tail -1 "$LOGS/smoke.log" | cut -c1-200)"
fi

ONLY=${DOCKER_TEST_ONLY:-}
rc=0
if [ "$ONLY" != fresh ]; then
# ---- the images -------------------------------------------------------------------
# Where the npm registry is reached through a TLS proxy, the assets stage
# must trust its CA: the host's CA bundle goes in docker/build-ca/ for the
# build (that stage is in no image that runs), and is removed on the way out.
for f in "${NODE_EXTRA_CA_CERTS:-}" "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
  if [ -n "$f" ] && [ -s "$f" ] && [ ! -e "$BUILD_CA" ]; then cp "$f" "$BUILD_CA"; ca_made=1; break; fi
done
for t in portal nginx redis slapd mail; do
  s=$(date +%s)
  DOCKER_BUILDKIT=1 "$DOCKER" build --network host -f "$ROOT/docker/Dockerfile" \
    --target "$t" -t "portal/$t:$TAG" "$ROOT" >"$LOGS/build-$t.log" 2>&1 || {
      tail -30 "$LOGS/build-$t.log" >&2; fail "building the $t image (see $LOGS/build-$t.log)"; }
  log "built portal/$t:$TAG in $(( $(date +%s) - s )) s"
done

# ---- the tests ----------------------------------------------------------------------
export DOCKER COMPOSE PORTAL_TAG=$TAG DOCKER_TEST_PREFIX=$PREFIX DOCKER_TEST_LOGS=$LOGS
node --test --test-concurrency=1 "$ROOT"/tests/docker/*.test.mjs || rc=1
fi

# ---- a newcomer's first run -----------------------------------------------------------
if [ "$ONLY" != compose ]; then
  DOCKER=$DOCKER DOCKER_TEST_PREFIX=$PREFIX DOCKER_TEST_LOGS=$LOGS "$ROOT/tests/docker/fresh-machine.sh" || rc=1
fi
exit $rc
