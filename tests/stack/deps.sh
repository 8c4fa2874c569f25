#!/usr/bin/env bash
# deps.sh - install the Debian packages the portal needs.
#
#   tests/stack/deps.sh run    what building and running the portal needs (make run)
#   tests/stack/deps.sh test   that, and what the tests need too (make test, make bench)
#
# As root: installs what is missing.  As another user: prints the one
# `sudo apt-get install` line to run and stops (exit 1).  Quiet and quick
# when nothing is missing.
set -euo pipefail

what=${1:-run}

# Building and running: compiler, libraries, the servers the stack starts,
# Node.js and npm for the page assets (GOV.UK Frontend, compiled with Sass),
# libcurl for portal-notify's SMTP and aiosmtpd for the stack's SMTP server.
RUN_PACKAGES=(
  make gcc libc6-dev pkg-config
  libfcgi-dev libhiredis-dev libjwt-dev libldap-dev libjansson-dev libcurl4-openssl-dev
  nginx redis-server slapd ldap-utils python3-aiosmtpd
  curl openssl ca-certificates procps
)
# The tests: Check, clang's sanitizers and libFuzzer, Chromium for the
# browser tests, wrk and PHP-FPM for the bench's baseline, promtool for the
# metrics test, git (the fresh-machine test clones the checkout), and
# iproute2/iptables for the Docker test's checks.
TEST_PACKAGES=(
  check clang libclang-rt-14-dev
  chromium
  wrk php-fpm php-redis prometheus
  git iproute2
)

case "$what" in
  run) PACKAGES=("${RUN_PACKAGES[@]}") ;;
  test) PACKAGES=("${RUN_PACKAGES[@]}" "${TEST_PACKAGES[@]}") ;;
  *) echo "usage: $0 run|test" >&2; exit 2 ;;
esac

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${PACKAGES[@]}"; do
  case "$p" in
    # any nginx will do (nginx, nginx-full, nginx-light, a build of one's own)
    nginx) command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=("$p") ;;
    *) installed "$p" || missing+=("$p") ;;
  esac
done
# Node.js may come from elsewhere with npm bundled: ask for the commands.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "$what" = test ]; then
  # make docker-test: Debian's Docker engine and client, compose v1 and
  # debootstrap, unless the commands are already there (another Docker
  # package, say).  The engine's services are not started (policy-rc.d below).
  command -v dockerd >/dev/null 2>&1 && [ -x /usr/bin/docker ] || missing+=(docker.io)
  command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "These Debian packages are missing. Install them, then run the command again:" >&2
  echo "  sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Services must not start on their own: the stack starts its own instances.
policy_added=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  policy_added=1
fi
trap '[ $policy_added -eq 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "Installed."
