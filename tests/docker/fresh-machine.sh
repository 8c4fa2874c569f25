#!/usr/bin/env bash
# fresh-machine.sh - a newcomer's first run, in a container: a bare Debian 12
# (the debian:bookworm-slim image: debootstrap --variant=minbase when no
# registry answers) with only make, git, curl and ca-certificates added, the
# project cloned into it with git (so only committed files travel), then
# `make run`, as root.  Passes when / and /api/v1/health answer 200.
#
#   tests/docker/fresh-machine.sh        (tests/docker/run.sh calls it, with
#                                         DOCKER_HOST set to a working engine)
#
# The container uses the host's network (the package mirror and the npm
# registry are reached as the host reaches them) and gets the host's apt
# proxy settings, proxy variables and CA bundle, as the image build does
# with docker/build-ca/.  Its nginx listens on a free loopback port of the
# host; the portal's other servers use unix sockets inside the container.
# The stack is stopped and the container removed on the way out, whatever
# happened.  Prints "fresh-machine: passed: ..." with the times, or
# "fresh-machine: FAILED: ..." (exit 1) with the end of the run's log.
#
# Settings: DOCKER (client, default /usr/bin/docker), FRESH_BASE (image,
# default debian:bookworm-slim), FRESH_TIMEOUT (seconds for `make run` to
# answer, default 900), DOCKER_TEST_LOGS (folder for the logs),
# DOCKER_TEST_PREFIX (the container's name prefix), DEBIAN_MIRROR.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}
BASE=${FRESH_BASE:-debian:bookworm-slim}
TIMEOUT=${FRESH_TIMEOUT:-900}
LOGS=${DOCKER_TEST_LOGS:-$ROOT/build/docker-test/logs}
NAME=${DOCKER_TEST_PREFIX:-portaltest$$}fresh
T0=$(date +%s)

log()  { printf 'fresh-machine: %s\n' "$*" >&2; }
fail() { printf 'fresh-machine: FAILED: %s\n' "$*"; exit 1; }
since() { echo $(( $(date +%s) - $1 )); }
mkdir -p "$LOGS"

# A free TCP port on the host's loopback for the container's nginx.
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if "$DOCKER" inspect "$NAME" >/dev/null 2>&1; then
    # the stack first (make stop ends what make run started), then the container
    timeout 60 "$DOCKER" exec "$NAME" make -C /root/portal stop >>"$LOGS/fresh-stop.log" 2>&1
    "$DOCKER" rm -f "$NAME" >/dev/null 2>&1
  fi
  "$DOCKER" inspect "$NAME" >/dev/null 2>&1 && { log "container $NAME left behind"; rc=1; }
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- what the host passes on: proxies, apt settings, CA bundle ------------------
env_args=()
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [ -n "${!v:-}" ] && env_args+=(-e "$v=${!v}")
done
ca=""
for f in "${NODE_EXTRA_CA_CERTS:-}" "${SSL_CERT_FILE:-}" /etc/ssl/certs/ca-certificates.crt; do
  if [ -n "$f" ] && [ -s "$f" ]; then ca=$f; break; fi
done
mounts=(-v "$ROOT:/origin:ro")
[ -n "$ca" ] && mounts+=(-v "$ca:/host/ca-bundle.crt:ro")
# apt's proxy and fetch settings (not the host's package lists or keys)
mkdir -p "$LOGS/fresh-apt"
rm -f "$LOGS"/fresh-apt/*
for f in /etc/apt/apt.conf /etc/apt/apt.conf.d/*; do
  [ -f "$f" ] && grep -qiE '^[^/#]*(proxy|Acquire::)' "$f" && cp "$f" "$LOGS/fresh-apt/host-$(basename "$f")"
done
mounts+=(-v "$LOGS/fresh-apt:/host/apt.conf.d:ro")

"$DOCKER" rm -f "$NAME" >/dev/null 2>&1 || true
"$DOCKER" run -d --name "$NAME" --network host "${env_args[@]}" "${mounts[@]}" \
  "$BASE" sleep infinity >/dev/null || fail "cannot start a container from $BASE"

inside() { "$DOCKER" exec "${env_args[@]}" "$NAME" bash -c "$1"; }

# ---- the bare machine gets what `git clone` over HTTPS needs, and make ----------
t=$(date +%s)
mirror_fix=""
[ -n "${DEBIAN_MIRROR:-}" ] && mirror_fix="sed -i 's|http://deb.debian.org/debian\$|${DEBIAN_MIRROR}|' /etc/apt/sources.list.d/*.sources 2>/dev/null;"
inside "cp /host/apt.conf.d/* /etc/apt/apt.conf.d/ 2>/dev/null; $mirror_fix
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq --no-install-recommends make git curl ca-certificates >/dev/null
        if [ -s /host/ca-bundle.crt ]; then
          cp /host/ca-bundle.crt /usr/local/share/ca-certificates/host-bundle.crt && update-ca-certificates >/dev/null 2>&1
        fi" >"$LOGS/fresh-prereq.log" 2>&1 || { tail -20 "$LOGS/fresh-prereq.log"; fail "installing make, git, curl, ca-certificates"; }
prereq=$(since "$t")
inside 'command -v gcc cc pkg-config node nginx redis-server slapd' >"$LOGS/fresh-bare.log" 2>&1 &&
  fail "the base is not bare: $(tr '\n' ' ' < "$LOGS/fresh-bare.log")"

# ---- the project, as a newcomer gets it ------------------------------------------
inside 'git clone -q /origin /root/portal' >"$LOGS/fresh-clone.log" 2>&1 ||
  { cat "$LOGS/fresh-clone.log"; fail "git clone of the checkout"; }
log "cloned $(inside 'git -C /root/portal log -1 --format=%h'); running make run on port $PORT"

# ---- as another user: the one apt-get line to run, and a stop ---------------------
inside 'useradd -m newcomer && git clone -q /origin /home/newcomer/portal && chown -R newcomer: /home/newcomer/portal' \
  >"$LOGS/fresh-user.log" 2>&1 || { cat "$LOGS/fresh-user.log"; fail "cloning as another user"; }
for target in run test; do
  if inside "cd /home/newcomer/portal && runuser -u newcomer -- make $target" >"$LOGS/fresh-user-$target.log" 2>&1; then
    fail "make $target as another user did not stop for the missing packages"
  fi
  line=$(grep -E '^  sudo apt-get install ' "$LOGS/fresh-user-$target.log" || true)
  [ "$(printf '%s' "$line" | grep -c .)" = 1 ] ||
    { cat "$LOGS/fresh-user-$target.log"; fail "make $target as another user did not print one sudo apt-get install line"; }
  case "$target:$line" in
    run:*chromium*|run:*docker.io*) fail "make run asks for what only the tests need: $line" ;;
    test:*chromium*) ;;
    test:*) fail "make test does not ask for the tests' packages: $line" ;;
  esac
done
inside 'test ! -e /home/newcomer/portal/build/portal-auth' || fail "make run as another user built without the packages"
log "as another user: make run and make test printed one sudo apt-get line each and stopped"

# ---- make run, first try -----------------------------------------------------------
node_ca=""
[ -n "${NODE_EXTRA_CA_CERTS:-}" ] && node_ca="export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt;"
t=$(date +%s)
"$DOCKER" exec -d "${env_args[@]}" "$NAME" bash -c \
  "$node_ca cd /root/portal && make run PORT=$PORT > /root/make-run.log 2>&1; echo \$? > /root/make-run.rc"
ok=0
while [ "$(since "$t")" -lt "$TIMEOUT" ]; do
  home=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/" || true)
  health=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$PORT/api/v1/health" || true)
  if [ "$home" = 200 ] && [ "$health" = 200 ]; then ok=1; break; fi
  # make run ended without serving: no point in waiting
  inside 'test -e /root/make-run.rc' 2>/dev/null && break
  sleep 3
done
first=$(since "$t")
inside 'cat /root/make-run.log' >"$LOGS/fresh-make-run.log" 2>&1 || true
if [ $ok != 1 ]; then
  tail -40 "$LOGS/fresh-make-run.log"
  fail "the first make run did not answer 200 on / and /api/v1/health within ${first} s (/: ${home:-none}, health: ${health:-none}; log: $LOGS/fresh-make-run.log)"
fi
grep -q 'Demo sign-ins' "$LOGS/fresh-make-run.log" || fail "make run did not print the demo sign-ins"
printf 'fresh-machine: passed: a bare bookworm with make, git, curl and ca-certificates (%s s to add them), then git clone and the first make run: / and /api/v1/health answered 200 after %s s (%s s in all)\n' \
  "$prereq" "$first" "$(since "$T0")"
